import type { Db } from '../../db/schema.ts';
import type { Principal } from '../../http/auth.ts';
import { invalidRequest } from '../../http/api-error.ts';
import { toPage, type Page } from '../../http/pagination.ts';
import { isTenantScoped } from './event-types.ts';
import { listEvents, readsBackwards, type AuditLogFilter, type AuditLogRow } from './repository.ts';
import type { AuditLog, ListAuditLogsQuery } from './schemas.ts';

/** The stored event as served: its details go under a key named after its type. */
export function toAuditLog(row: AuditLogRow): AuditLog {
  return {
    object: 'organization.audit_log',
    id: row.id,
    type: row.type,
    effective_at: row.effective_at,
    ...(row.project_id === null ? {} : { project: { id: row.project_id, name: row.project_name ?? '' } }),
    actor: JSON.parse(row.actor),
    [row.type]: JSON.parse(row.details),
  };
}

/**
 * Tenant-scoped events are listed only on request (`tenant_only=true`), and then nothing else is:
 * asking for a type on the wrong side of that line is a mistake worth reporting.
 */
function checkTenantScope(eventTypes: string[] | undefined, tenantOnly: boolean): void {
  const misplaced = eventTypes?.find((type) => isTenantScoped(type) !== tenantOnly);
  if (misplaced === undefined) return;
  const message = tenantOnly
    ? `Event type '${misplaced}' is not tenant-scoped; with tenant_only=true every event type must be.`
    : `Event type '${misplaced}' is tenant-scoped; send tenant_only=true to list it.`;
  throw invalidRequest(message, 'event_types', 'invalid_value');
}

/** The filter a list (or export) request names, refused when it mixes the two sides of the tenant line. */
export function auditLogFilter(query: Omit<ListAuditLogsQuery, 'limit' | 'order'>): AuditLogFilter {
  const tenantOnly = query.tenant_only === true || query.tenant_only === '1';
  checkTenantScope(query.event_types, tenantOnly);
  return {
    effectiveAt: query.effective_at,
    projectIds: query.project_ids,
    eventTypes: query.event_types,
    actorIds: query.actor_ids,
    // Emails are stored lower-cased.
    actorEmails: query.actor_emails?.map((email) => email.toLowerCase()),
    resourceIds: query.resource_ids,
    tenantOnly,
  };
}

export async function listAuditLogs(db: Db, principal: Principal, query: ListAuditLogsQuery): Promise<Page<AuditLog>> {
  const pageRequest = { limit: query.limit, after: query.after, before: query.before, order: query.order };
  const rows = await listEvents(db, principal.organizationId, auditLogFilter(query), pageRequest);
  const page = toPage(rows, query.limit, toAuditLog);
  // A page read backwards was fetched nearest to `before` first; serve it in list order.
  if (!readsBackwards(pageRequest)) return page;
  const data = page.data.reverse();
  return { ...page, data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}
