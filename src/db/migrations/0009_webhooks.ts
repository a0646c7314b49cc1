import { sql, type Kysely } from 'kysely';
import { idType, type Dialect } from './column-types.ts';

/**
 * Webhooks: endpoints an organization registers, one delivery per audit event and endpoint (queued
 * in the transaction that records the event), and every attempt made to send one.
 */
export function webhooks(dialect: Dialect) {
  const id = idType(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('webhook_endpoints')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('organization_id', id, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        // JSON array of the event types sent, or null for every type.
        .addColumn('event_types', 'text')
        // Kept in clear: every delivery is signed with it.
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('disabled_reason', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhook_endpoints_by_organization').on('webhook_endpoints').columns(['organization_id', 'id']).execute();

      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', id, (c) => c.notNull())
        .addColumn('organization_id', id, (c) => c.notNull())
        .addColumn('endpoint_id', id, (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
        // Not a foreign key: audit events are append-only and never deleted.
        .addColumn('audit_log_id', id, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempt_count', 'integer', (c) => c.notNull().defaultTo(0))
        // Milliseconds: when the next attempt is due.
        .addColumn('next_attempt_at_ms', 'bigint', (c) => c.notNull())
        // Milliseconds: until when a worker holds the delivery (null when none does).
        .addColumn('lease_expires_at_ms', 'bigint')
        // Milliseconds of the first attempt of the current run of retries; the retry window counts from it.
        .addColumn('first_attempt_at_ms', 'bigint')
        .addColumn('last_status_code', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('delivered_at', 'bigint')
        // Keyed by endpoint first: the key's index also lists an endpoint's deliveries, one index
        // fewer for every write with a subscriber to insert into.
        .addPrimaryKeyConstraint('webhook_deliveries_pk', ['endpoint_id', 'id'])
        .execute();
      // The queue: pending deliveries only, in audit order per endpoint. Every write that has a
      // subscriber inserts into each index of this table, so it has no more than it needs (the
      // worker's scan for due heads reads the pending rows through this one).
      await db.schema
        .createIndex('webhook_deliveries_pending_by_endpoint')
        .on('webhook_deliveries')
        .columns(['endpoint_id', 'audit_log_id'])
        .where(sql.ref('status'), '=', 'pending')
        .execute();

      await db.schema
        .createTable('webhook_attempts')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('endpoint_id', id, (c) => c.notNull())
        .addColumn('delivery_id', id, (c) => c.notNull())
        .addColumn('attempted_at', 'bigint', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('error', 'text')
        .addColumn('latency_ms', 'integer', (c) => c.notNull())
        .addColumn('succeeded', 'integer', (c) => c.notNull())
        .addForeignKeyConstraint('webhook_attempts_delivery_fk', ['endpoint_id', 'delivery_id'], 'webhook_deliveries', ['endpoint_id', 'id'], (c) =>
          c.onDelete('cascade'),
        )
        .execute();
      await db.schema.createIndex('webhook_attempts_by_delivery').on('webhook_attempts').columns(['delivery_id', 'id']).execute();
    },
  };
}
