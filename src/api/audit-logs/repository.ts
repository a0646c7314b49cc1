import type { Db } from '../../db/schema.ts';
import { TENANT_SCOPED_TYPES, UNLISTED_ORGANIZATION_TYPES } from './event-types.ts';

export interface AuditLogFilter {
  effectiveAt?: { gt?: number; gte?: number; lt?: number; lte?: number };
  projectIds?: string[];
  /** All on the side of the tenant line that `tenantOnly` names. */
  eventTypes?: string[];
  /** Members or admin keys. */
  actorIds?: string[];
  actorEmails?: string[];
  resourceIds?: string[];
  /** Tenant-scoped events when true, organization events otherwise. */
  tenantOnly: boolean;
}

export interface AuditLogPageRequest {
  limit: number;
  after?: string;
  before?: string;
  order: 'asc' | 'desc';
}

function events(db: Db, organizationId: string) {
  return db
    .selectFrom('audit_logs')
    .select(['id', 'type', 'effective_at', 'project_id', 'project_name', 'actor', 'details'])
    .where('organization_id', '=', organizationId);
}

export type AuditLogRow = Awaited<ReturnType<ReturnType<typeof events>['execute']>>[number];

/** A page that only names a place to end at is read from that place backwards. */
export function readsBackwards(page: AuditLogPageRequest): boolean {
  return page.before !== undefined && page.after === undefined;
}

const nonEmpty = (values: string[] | undefined): values is string[] => values !== undefined && values.length > 0;

/**
 * One page of matching events, `limit + 1` rows so the caller can tell whether more follow. Ids
 * sort by creation, so list order is id order. `after` and `before` name a place in list order;
 * a page before a place is read towards it (nearest first) and returned in fetch order, which the
 * caller turns back into list order.
 */
export function listEvents(db: Db, organizationId: string, filter: AuditLogFilter, page: AuditLogPageRequest) {
  let query = events(db, organizationId);
  const range = filter.effectiveAt ?? {};
  if (range.gt !== undefined) query = query.where('effective_at', '>', range.gt);
  if (range.gte !== undefined) query = query.where('effective_at', '>=', range.gte);
  if (range.lt !== undefined) query = query.where('effective_at', '<', range.lt);
  if (range.lte !== undefined) query = query.where('effective_at', '<=', range.lte);
  if (nonEmpty(filter.projectIds)) query = query.where('project_id', 'in', filter.projectIds);
  if (nonEmpty(filter.actorIds)) {
    const ids = filter.actorIds;
    query = query.where((eb) => eb.or([eb('actor_id', 'in', ids), eb('actor_key_id', 'in', ids)]));
  }
  if (nonEmpty(filter.actorEmails)) query = query.where('actor_email', 'in', filter.actorEmails);
  if (nonEmpty(filter.resourceIds)) query = query.where('resource_id', 'in', filter.resourceIds);
  // Requested types are on the side of the tenant line that `tenantOnly` names (the service
  // refuses others); without any, that side is what is listed, less roster's own event types.
  if (nonEmpty(filter.eventTypes)) query = query.where('type', 'in', filter.eventTypes);
  else if (filter.tenantOnly) query = query.where('type', 'in', TENANT_SCOPED_TYPES);
  else query = query.where('type', 'not in', UNLISTED_ORGANIZATION_TYPES);

  const ascending = page.order === 'asc';
  if (page.after !== undefined) query = query.where('id', ascending ? '>' : '<', page.after);
  if (page.before !== undefined) query = query.where('id', ascending ? '<' : '>', page.before);
  const fetchAscending = ascending !== readsBackwards(page);
  return query.orderBy('id', fetchAscending ? 'asc' : 'desc').limit(page.limit + 1).execute();
}

/** The events with these ids, for whoever sends them on (webhook deliveries). */
export function eventsByIds(db: Db, organizationId: string, ids: string[]) {
  return events(db, organizationId).where('id', 'in', ids).execute();
}
