import type { Db } from '../../db/schema.ts';
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

/**
 * Writes one audit event. Services call it with the transaction of the change it records, so the
 * change and its event are kept or lost together.
 */
export async function recordAuditEvent(trx: Db, principal: Principal, event: AuditEvent): Promise<void> {
  const actor = {
    type: 'api_key',
    api_key: { id: principal.keyId, type: 'user', user: { id: principal.userId, email: principal.userEmail } },
  };
  await trx
    .insertInto('audit_logs')
    .values({
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
    })
    .execute();
}
