import { route, routeTable } from '../../http/route-table.ts';
import { AuditLogList, ListAuditLogsQuery } from './schemas.ts';
import { listAuditLogs } from './service.ts';

/** `/v1/organization/audit_logs`: every change made in the organization, newest first. */
export const auditLogsRoutes = routeTable(
  ['Audit logs'],
  [
    route.get(
      '/organization/audit_logs',
      {
        operationId: 'list-audit-logs',
        summary: 'List the changes made in the organization, newest first',
        querystring: ListAuditLogsQuery,
        response: AuditLogList,
      },
      ({ db, principal, query }) => listAuditLogs(db, principal, query),
    ),
  ],
);
