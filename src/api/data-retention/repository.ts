import type { Db } from '../../db/schema.ts';
import type { PolicyScope } from '../policy/scope.ts';

/** The retention type set for the scope, or undefined when it never set one. */
export async function findRetention(db: Db, scopeId: string): Promise<string | undefined> {
  const row = await db.selectFrom('data_retention').select('retention_type').where('scope_id', '=', scopeId).executeTakeFirst();
  return row?.retention_type;
}

/** The retention types set by each of the scopes, in one read. */
export async function findRetentions(db: Db, scopeIds: string[]): Promise<Map<string, string>> {
  const rows = await db.selectFrom('data_retention').select(['scope_id', 'retention_type']).where('scope_id', 'in', scopeIds).execute();
  return new Map(rows.map((row) => [row.scope_id, row.retention_type]));
}

export async function saveRetention(db: Db, scope: PolicyScope, retentionType: string, now: number): Promise<void> {
  await db
    .insertInto('data_retention')
    .values({
      scope_id: scope.scopeId,
      organization_id: scope.organizationId,
      project_id: scope.project?.id ?? null,
      retention_type: retentionType,
      updated_at: now,
    })
    .onConflict((conflict) => conflict.column('scope_id').doUpdateSet({ retention_type: retentionType, updated_at: now }))
    .execute();
}
