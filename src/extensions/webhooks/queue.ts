import { compiledQuery, type Arg } from '../../db/compiled-query.ts';
import type { Db } from '../../db/schema.ts';
import { newId } from '../../lib/ids.ts';
import { nowSeconds } from '../../lib/time.ts';

// Run by every write (inside its transaction): compiled once.
const enabledEndpoints = compiledQuery((db, arg: Arg<{ organizationId: string }>) =>
  db
    .selectFrom('webhook_endpoints')
    .select(['id', 'event_types'])
    .where('organization_id', '=', arg('organizationId'))
    .where('status', '=', 'enabled'),
);

const insertDelivery = compiledQuery(
  (db, arg: Arg<{ id: string; organizationId: string; endpointId: string; auditLogId: string; createdAt: number }>) =>
    db.insertInto('webhook_deliveries').values({
      id: arg('id'),
      organization_id: arg('organizationId'),
      endpoint_id: arg('endpointId'),
      audit_log_id: arg('auditLogId'),
      status: 'pending',
      // Due at once, whatever the worker's clock says.
      next_attempt_at_ms: 0,
      created_at: arg('createdAt'),
    }),
);

function subscribes(eventTypesJson: string | null, type: string): boolean {
  return eventTypesJson === null || (JSON.parse(eventTypesJson) as string[]).includes(type);
}

/**
 * Queues one delivery of the audit event `event` to every enabled endpoint of its organization that
 * subscribes to its type. Called by `recordAuditEvent` in the event's own transaction, so a
 * committed change always has its deliveries queued, and a rolled-back one never has.
 */
export async function queueWebhookDeliveries(trx: Db, event: { id: string; organizationId: string; type: string }): Promise<void> {
  const endpoints = await enabledEndpoints(trx, { organizationId: event.organizationId });
  for (const endpoint of endpoints) {
    if (!subscribes(endpoint.event_types, event.type)) continue;
    await insertDelivery(trx, {
      id: newId('webhook_delivery-'),
      organizationId: event.organizationId,
      endpointId: endpoint.id,
      auditLogId: event.id,
      createdAt: nowSeconds(),
    });
  }
}
