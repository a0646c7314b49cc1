import type { Dialect } from '../../db/migrations/column-types.ts';
import { compiledQuery, type Arg } from '../../db/compiled-query.ts';
import type { Database, Db, WebhookDeliveriesTable, WebhookEndpointsTable } from '../../db/schema.ts';

export type EndpointRow = WebhookEndpointsTable;

// ---- endpoints ----

export function findEndpoint(db: Db, organizationId: string, id: string): Promise<EndpointRow | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
}

export function listEndpoints(db: Db, organizationId: string, page: { limit: number; after?: string }): Promise<EndpointRow[]> {
  let query = db.selectFrom('webhook_endpoints').selectAll().where('organization_id', '=', organizationId);
  if (page.after !== undefined) query = query.where('id', '>', page.after);
  return query.orderBy('id').limit(page.limit + 1).execute();
}

export async function insertEndpoint(db: Db, row: EndpointRow): Promise<void> {
  await db.insertInto('webhook_endpoints').values(row).execute();
}

export async function updateEndpoint(db: Db, organizationId: string, id: string, changes: Partial<EndpointRow>): Promise<void> {
  await db.updateTable('webhook_endpoints').set(changes).where('organization_id', '=', organizationId).where('id', '=', id).execute();
}

export async function deleteEndpoint(db: Db, organizationId: string, id: string): Promise<void> {
  await db.deleteFrom('webhook_endpoints').where('organization_id', '=', organizationId).where('id', '=', id).execute();
}

// ---- deliveries and attempts, as listed ----

function deliveries(db: Db, organizationId: string) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('audit_logs as a', 'a.id', 'd.audit_log_id')
    .selectAll('d')
    .select('a.type as event_type')
    .where('d.organization_id', '=', organizationId);
}

export type DeliveryRow = Awaited<ReturnType<ReturnType<typeof deliveries>['execute']>>[number];

export function listDeliveries(
  db: Db,
  organizationId: string,
  endpointId: string,
  filter: { limit: number; after?: string; status?: WebhookDeliveriesTable['status'] },
): Promise<DeliveryRow[]> {
  let query = deliveries(db, organizationId).where('d.endpoint_id', '=', endpointId);
  if (filter.status !== undefined) query = query.where('d.status', '=', filter.status);
  if (filter.after !== undefined) query = query.where('d.id', '>', filter.after);
  return query.orderBy('d.id').limit(filter.limit + 1).execute();
}

export function findDelivery(db: Db, organizationId: string, endpointId: string, id: string): Promise<DeliveryRow | undefined> {
  return deliveries(db, organizationId).where('d.endpoint_id', '=', endpointId).where('d.id', '=', id).executeTakeFirst();
}

export function listAttempts(db: Db, deliveryId: string, page: { limit: number; after?: string }) {
  let query = db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', deliveryId);
  if (page.after !== undefined) query = query.where('id', '>', page.after);
  return query.orderBy('id').limit(page.limit + 1).execute();
}

export type AttemptRow = Awaited<ReturnType<typeof listAttempts>>[number];

/** Queues a finished delivery again, due at once, with a fresh retry window. */
export async function requeueDelivery(db: Db, endpointId: string, id: string): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at_ms: 0, lease_expires_at_ms: null, first_attempt_at_ms: null, delivered_at: null })
    .where('endpoint_id', '=', endpointId)
    .where('id', '=', id)
    .execute();
}

// ---- the queue, as the worker reads it ----

export interface ClaimedDelivery {
  id: string;
  audit_log_id: string;
  attempt_count: number;
  next_attempt_at_ms: number;
  lease_expires_at_ms: number | null;
  first_attempt_at_ms: number | null;
}

/**
 * Due deliveries that head their endpoint's queue: pending, due, held by no worker, of an enabled
 * endpoint, with no pending delivery of an earlier audit event before them. On PostgreSQL the rows are locked and
 * rows another instance has locked are skipped, so instances never claim the same head at once.
 */
export function dueHeads(trx: Db, dialect: Dialect, nowMs: number, limit: number) {
  let query = trx
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .select(['d.id', 'd.endpoint_id', 'd.audit_log_id'])
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at_ms', '<=', nowMs)
    .where((eb) => eb.or([eb('d.lease_expires_at_ms', 'is', null), eb('d.lease_expires_at_ms', '<=', nowMs)]))
    .where('e.status', '=', 'enabled')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('webhook_deliveries as earlier')
            .select('earlier.id')
            .whereRef('earlier.endpoint_id', '=', 'd.endpoint_id')
            .where('earlier.status', '=', 'pending')
            .whereRef('earlier.audit_log_id', '<', 'd.audit_log_id'),
        ),
      ),
    )
    .orderBy('d.next_attempt_at_ms')
    .orderBy('d.audit_log_id')
    .limit(limit);
  if (dialect === 'postgres') query = query.forUpdate('d').skipLocked();
  return query.execute();
}

/**
 * The endpoint's pending deliveries from its head on, in audit order. Locked on PostgreSQL, waiting
 * rather than skipping: the caller holds the head, so only a brief change (a re-send) can hold one,
 * and skipping it would send the run out of order.
 */
export function queueFrom(trx: Db, dialect: Dialect, endpointId: string, headAuditLogId: string, limit: number): Promise<ClaimedDelivery[]> {
  let query = trx
    .selectFrom('webhook_deliveries')
    .select(['id', 'audit_log_id', 'attempt_count', 'next_attempt_at_ms', 'lease_expires_at_ms', 'first_attempt_at_ms'])
    .where('endpoint_id', '=', endpointId)
    .where('status', '=', 'pending')
    .where('audit_log_id', '>=', headAuditLogId)
    .orderBy('audit_log_id')
    .limit(limit);
  if (dialect === 'postgres') query = query.forUpdate();
  return query.execute();
}

/** Marks deliveries as held by a worker until `untilMs`; that value is also the worker's claim on them. */
export async function lease(trx: Db, endpointId: string, ids: string[], untilMs: number): Promise<void> {
  await trx.updateTable('webhook_deliveries').set({ lease_expires_at_ms: untilMs }).where('endpoint_id', '=', endpointId).where('id', 'in', ids).execute();
}

export type AttemptOutcome = {
  status: WebhookDeliveriesTable['status'];
  attempt_count: number;
  first_attempt_at_ms: number | null;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at_ms: number;
  delivered_at: number | null;
};

// Written once per attempt: compiled once (see compiledQuery).
const recordOutcome = compiledQuery((db, arg: Arg<AttemptOutcome & { endpointId: string; id: string; leaseUntilMs: number }>) =>
  db
    .updateTable('webhook_deliveries')
    .set({
      status: arg('status'),
      attempt_count: arg('attempt_count'),
      first_attempt_at_ms: arg('first_attempt_at_ms'),
      last_status_code: arg('last_status_code'),
      last_error: arg('last_error'),
      next_attempt_at_ms: arg('next_attempt_at_ms'),
      delivered_at: arg('delivered_at'),
      lease_expires_at_ms: null,
    })
    .where('endpoint_id', '=', arg('endpointId'))
    .where('id', '=', arg('id'))
    .where('status', '=', 'pending')
    .where('lease_expires_at_ms', '=', arg('leaseUntilMs'))
    .returning('id'),
);

const release = compiledQuery((db, arg: Arg<{ endpointId: string; id: string; leaseUntilMs: number }>) =>
  db
    .updateTable('webhook_deliveries')
    .set({ lease_expires_at_ms: null })
    .where('endpoint_id', '=', arg('endpointId'))
    .where('id', '=', arg('id'))
    .where('status', '=', 'pending')
    .where('lease_expires_at_ms', '=', arg('leaseUntilMs')),
);

/**
 * Records an attempt's outcome and ends the worker's hold on the delivery, only while its lease
 * still holds; false when it no longer does (it lapsed and another worker took the delivery).
 */
export async function recordLeasedOutcome(trx: Db, endpointId: string, id: string, leaseUntilMs: number, outcome: AttemptOutcome): Promise<boolean> {
  return (await recordOutcome(trx, { ...outcome, endpointId, id, leaseUntilMs })).length > 0;
}

/** Ends the worker's hold on a delivery it did not send, leaving it as it was. */
export async function releaseUnsent(trx: Db, endpointId: string, id: string, leaseUntilMs: number): Promise<void> {
  await release(trx, { endpointId, id, leaseUntilMs });
}

/** Ends every hold: on the embedded store, a starting worker is the only one, so any lease is a dead process's. */
export async function releaseAllLeases(db: Db): Promise<void> {
  await db.updateTable('webhook_deliveries').set({ lease_expires_at_ms: null }).where('lease_expires_at_ms', 'is not', null).execute();
}

type AttemptRowValues = { [K in keyof Database['webhook_attempts']]: Database['webhook_attempts'][K] };

const insertAttemptRow = compiledQuery((db, arg: Arg<AttemptRowValues>) =>
  db.insertInto('webhook_attempts').values({
    id: arg('id'),
    endpoint_id: arg('endpoint_id'),
    delivery_id: arg('delivery_id'),
    attempted_at: arg('attempted_at'),
    status_code: arg('status_code'),
    error: arg('error'),
    latency_ms: arg('latency_ms'),
    succeeded: arg('succeeded'),
  }),
);

export async function insertAttempt(trx: Db, row: AttemptRowValues): Promise<void> {
  await insertAttemptRow(trx, row);
}

export type EndpointSummary = Pick<EndpointRow, 'id' | 'organization_id' | 'url' | 'secret'>;

export function endpointsByIds(db: Db, ids: string[]): Promise<EndpointSummary[]> {
  return db.selectFrom('webhook_endpoints').select(['id', 'organization_id', 'url', 'secret']).where('id', 'in', ids).execute();
}

/** Pending deliveries and the age of the oldest, for metrics. */
export function queueDepth(db: Db) {
  return db
    .selectFrom('webhook_deliveries')
    .select((eb) => [eb.fn.countAll<number>().as('pending'), eb.fn.min('created_at').as('oldest_created_at')])
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
}
