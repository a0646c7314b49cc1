import { compiledWrite, type Arg } from '../../db/compiled-query.ts';
import type { Database, Db } from '../../db/schema.ts';
import type { Principal } from '../../http/auth.ts';
import { newId } from '../../lib/ids.ts';
import { nowSeconds } from '../../lib/time.ts';

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
 * Writes one audit event. Services call it with the transaction of the change it records, so the
 * change and its event are kept or lost together.
 */
export async function recordAuditEvent(trx: Db, principal: Principal, event: AuditEvent): Promise<void> {
  const actor = {
    type: 'api_key',
    api_key: { id: principal.keyId, type: 'user', user: { id: principal.userId, email: principal.userEmail } },
  };
  await insertEvent(trx, {
    id: newId('audit_log-'),
    organization_id: principal.organizationId,
    type: event.type,
    effective_at: nowSeconds(),
    project_id: event.project?.id ?? null,
    project_name: event.project?.name ?? null,
    actor_id: principal.userId,
    actor_key_id: principal.keyId,
    actor_email: principal.userEmail,
    actor: JSON.stringify(actor),
    ip_address: principal.ipAddress,
    user_agent: principal.userAgent,
    resource_id: event.resourceId,
    details: JSON.stringify({ id: event.resourceId, ...event.details }),
  });
}
