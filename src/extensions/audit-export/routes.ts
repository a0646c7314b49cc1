import { route, routeTable } from '../../http/route-table.ts';
import { AuditLogExport, ExportAuditLogsQuery } from './schemas.ts';
import { exportAuditLogs } from './service.ts';

/** `/roster/v1/audit_logs/export`: the whole audit log, or a filtered part, as one stream. */
export const auditExportRoutes = routeTable(
  ['Audit logs (roster extension)'],
  [
    route.get(
      '/audit_logs/export',
      {
        operationId: 'export-audit-logs',
        summary: 'Stream every matching audit event as NDJSON, oldest first',
        description: 'Takes the filters of `GET /v1/organization/audit_logs`; `after` resumes after an event id.',
        querystring: ExportAuditLogsQuery,
        response: AuditLogExport,
      },
      ({ db, principal, query, reply }) => {
        const stream = exportAuditLogs(db, principal, query);
        reply.header('content-type', 'application/x-ndjson; charset=utf-8');
        return stream;
      },
    ),
  ],
);
