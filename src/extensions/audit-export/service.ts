import { Readable } from 'node:stream';
import type { Db } from '../../db/schema.ts';
import type { Principal } from '../../http/auth.ts';
import { listEvents } from '../../api/audit-logs/repository.ts';
import { auditLogFilter, toAuditLog } from '../../api/audit-logs/service.ts';
import type { ExportAuditLogsQuery } from './schemas.ts';

/** Events read per query: large enough that queries are a small part of the cost, small enough to hold. */
export const EXPORT_PAGE_SIZE = 1000;

/**
 * Every matching event, oldest first, as NDJSON. The filter is checked before anything is sent,
 * so a bad one is an ordinary error answer. Events are read a page at a time by keyset on their
 * ids, and the next page only when the client has taken the last one (the stream pulls), so
 * memory stays the same whatever the number of events; a client that stops reading stops the
 * queries, and one that disconnects ends them. `after` resumes from the last id a client has.
 */
export function exportAuditLogs(db: Db, principal: Principal, query: ExportAuditLogsQuery, pageSize = EXPORT_PAGE_SIZE): Readable {
  const filter = auditLogFilter(query);
  async function* pages() {
    let after = query.after;
    for (;;) {
      const rows = await listEvents(db, principal.organizationId, filter, { limit: pageSize, after, order: 'asc' });
      const page = rows.slice(0, pageSize);
      if (page.length > 0) yield page.map((row) => JSON.stringify(toAuditLog(row))).join('\n') + '\n';
      if (rows.length <= pageSize) return;
      after = page.at(-1)!.id;
    }
  }
  return Readable.from(pages(), { objectMode: false });
}
