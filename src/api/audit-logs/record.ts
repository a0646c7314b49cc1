import { compiledWrite, type Arg } from '../../db/compiled-query.ts';
import type { Database, Db } from '../../db/schema.ts';
import type { Principal } from '../../http/auth.ts';
import { newId } from '../../lib/ids.ts';
import { nowSeconds } from '../../lib/time.ts';
import { queueWebhookDeliveries } from '../../extensions/webhooks/queue.ts';

export interface AuditEvent {
  /** One of the reference's event types, e.g. `user.updated`. */
  type: string;
  /** The id of the object the event is about; it is also the `id` inside the details. */
  resourceId: string;
  /** Event-specific details beside `id`, e.g. `{ changes_requested: { role: 'owner' } }`. */
  details?: Record<string, unknown>;
  project?: { id: string; name: string } | null;
}

type AuditRow = Database['audit_logs'];

// Every mutation writes one: compiled once, and on PostgreSQL sent along with the commit that
// follows it rather than in a round trip of its own (see compiledWrite).
const insertEvent = compiledWrite((db, arg: Arg<{ [K in keyof AuditRow]: AuditRow[K] }>) =>
  db.insertInto('audit_logs').values({
    id: arg('id'),
    organization_id: arg('organization_id'),
    type: arg('type'),
    effective_at: arg('effective_at'),
    project_id: arg('project_id'),
    project_name: arg('project_name'),
    actor_id: arg('actor_id'),
    actor_key_id: arg('actor_key_id'),
    actor_email: arg('actor_email'),
    actor: arg('actor'),
    ip_address: arg('ip_address'),
    user_agent: arg('user_agent'),
    resource_id: arg('resource_id'),
    details: arg('details'),
  }),
);

/**
 * roster itself acting, not a caller: e.g. the webhook worker disabling an endpoint that keeps
 * failing. Recorded as a service-account key named after the part of roster that acted.
 */
export interface SystemActor {
  organizationId: string;
  system: string;
}

function actorColumns(by: Principal | SystemActor) {
  if ('system' in by) {
    const actor = { type: 'api_key', api_key: { id: by.system, type: 'service_account', service_account: { id: by.system } } };
    return { actor_id: null, actor_key_id: by.system, actor_email: null, actor: JSON.stringify(actor), ip_address: null, user_agent: null };
  }
  const actor = { type: 'api_key', api_key: { id: by.keyId, type: 'user', user: { id: by.userId, email: by.userEmail } } };
  return {
    actor_id: by.userId,
    actor_key_id: by.keyId,
    actor_email: by.userEmail,
    actor: JSON.stringify(actor),
    ip_address: by.ipAddress,
    user_agent: by.userAgent,
  };
}

/**
 * Writes one audit event, and queues its webhook deliveries. Services call it with the transaction
 * of the change it records, so the change, its event and their deliveries are kept or lost together.
 */
export async function recordAuditEvent(trx: Db, by: Principal | SystemActor, event: AuditEvent): Promise<void> {
  const id = newId('audit_log-');
  await insertEvent(trx, {
    id,
    organization_id: by.organizationId,
    type: event.type,
    effective_at: nowSeconds(),
    project_id: event.project?.id ?? null,
    project_name: event.project?.name ?? null,
    ...actorColumns(by),
    resource_id: event.resourceId,
    details: JSON.stringify({ id: event.resourceId, ...event.details }),
  });
  await queueWebhookDeliveries(trx, { id, organizationId: by.organizationId, type: event.type });
}
