import type { Kysely } from 'kysely';
import { idType, type Dialect } from './column-types.ts';

/**
 * Audit-log filtering. Each filter of `GET /organization/audit_logs` gets an index that starts
 * with the organization and ends with the id, so a filtered page is read newest-first straight
 * from the index. `actor_key_id` records which admin key acted, so `actor_ids[]` can name a key
 * as well as a user.
 */
const FILTERED_COLUMNS = ['type', 'project_id', 'actor_id', 'actor_key_id', 'actor_email', 'resource_id', 'effective_at'] as const;

export function keysAudit(dialect: Dialect) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('audit_logs').addColumn('actor_key_id', idType(dialect)).execute();
      await backfillActorKeys(db);
      for (const column of FILTERED_COLUMNS) {
        await db.schema
          .createIndex(`audit_logs_by_${column}`)
          .on('audit_logs')
          .columns(['organization_id', column, 'id'])
          .execute();
      }
    },
  };
}

/** Events written before this migration carry the key only inside their actor JSON. */
async function backfillActorKeys(db: Kysely<any>): Promise<void> {
  const rows: { id: string; actor: string }[] = await db.selectFrom('audit_logs').select(['id', 'actor']).execute();
  for (const row of rows) {
    const keyId = JSON.parse(row.actor)?.api_key?.id;
    if (typeof keyId === 'string') {
      await db.updateTable('audit_logs').set({ actor_key_id: keyId }).where('id', '=', row.id).execute();
    }
  }
}
