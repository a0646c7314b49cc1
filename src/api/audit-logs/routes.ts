import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuditLogList, ListAuditLogsQuery } from './schemas.ts';
import { listAuditLogs } from './service.ts';

/** `/v1/organization/audit_logs`: every change made in the organization, newest first. */
export const auditLogsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/organization/audit_logs',
    {
      schema: {
        operationId: 'list-audit-logs',
        summary: 'List the changes made in the organization, newest first',
        tags: ['Audit logs'],
        querystring: ListAuditLogsQuery,
        response: { 200: AuditLogList },
      },
    },
    (request) => listAuditLogs(app.db, request.principal, request.query),
  );
};
