import { Type, type Static } from 'typebox';
import type { Readable } from 'node:stream';
import { ListAuditLogsQuery } from '../../api/audit-logs/schemas.ts';

const { limit: _limit, before: _before, order: _order, after: _after, ...filters } = ListAuditLogsQuery.properties;

export const ExportAuditLogsQuery = Type.Object({
  ...filters,
  after: Type.Optional(Type.String({ description: 'Resume: stream only the events after the event with this id.' })),
});
export type ExportAuditLogsQuery = Static<typeof ExportAuditLogsQuery>;

/** Documented as text; served as a stream, one audit event (as the list shows it) per line. */
export const AuditLogExport = Type.Unsafe<Readable>({
  type: 'string',
  description: 'NDJSON: one audit event per line, oldest first, each exactly as `GET /v1/organization/audit_logs` lists it.',
});
