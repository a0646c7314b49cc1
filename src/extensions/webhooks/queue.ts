import { sql } from 'kysely';
import { compiledWrite, type Arg } from '../../db/compiled-query.ts';
import type { Db } from '../../db/schema.ts';
import { nowSeconds } from '../../lib/time.ts';

const AUDIT_ID_PREFIX = 'audit_log-';

/**
 * One delivery of an audit event to every enabled endpoint of its organization that subscribes to
 * its type, in one `insert … select`. Every write runs it, so it is a compiledWrite: on PostgreSQL
 * it travels with the transaction's next statement instead of costing a round trip of its own.
 *
 * `event_types` is a JSON array of type names (null: every type). Type names hold only
 * `[a-z._]`, so the array has the type exactly when its text contains the quoted name; `_` is a
 * LIKE wildcard, hence the escape. A delivery's id is its event's id and its endpoint's, so
 * deliveries sort in audit-log order, as the worker sends them.
 */
const queueDeliveries = compiledWrite((db, arg: Arg<{ organizationId: string; auditLogId: string; eventKey: string; typePattern: string; createdAt: number }>) =>
  db
    .insertInto('webhook_deliveries')
    .columns(['id', 'organization_id', 'endpoint_id', 'audit_log_id', 'status', 'next_attempt_at_ms', 'created_at'])
    .expression((eb) =>
      eb
        .selectFrom('webhook_endpoints as e')
        .select([
          sql<string>`${'webhook_delivery-'} || ${arg('eventKey')} || ${'_'} || e.id`.as('id'),
          'e.organization_id',
          'e.id as endpoint_id',
          sql<string>`${arg('auditLogId')}`.as('audit_log_id'),
          sql<string>`${'pending'}`.as('status'),
          // Due at once, whatever the worker's clock says.
          sql<number>`${0}`.as('next_attempt_at_ms'),
          sql<number>`${arg('createdAt')}`.as('created_at'),
        ])
        .where('e.organization_id', '=', arg('organizationId'))
        .where('e.status', '=', 'enabled')
        .where((where) => where.or([where('e.event_types', 'is', null), sql<boolean>`e.event_types like ${arg('typePattern')} escape '\\'`])),
    ),
);

/**
 * Queues the deliveries of the audit event `event`. Called by `recordAuditEvent` in the event's own
 * transaction, so a committed change always has its deliveries queued, and a rolled-back one never has.
 */
export async function queueWebhookDeliveries(trx: Db, event: { id: string; organizationId: string; type: string }): Promise<void> {
  await queueDeliveries(trx, {
    organizationId: event.organizationId,
    auditLogId: event.id,
    eventKey: event.id.slice(AUDIT_ID_PREFIX.length),
    typePattern: `%"${event.type.replace(/[\\%_]/g, (character) => `\\${character}`)}"%`,
    createdAt: nowSeconds(),
  });
}
