import type { Db } from '../../db/schema.ts';
import type { PolicyScope } from '../policy/scope.ts';

export interface SpendLimitRow {
  threshold_amount: number;
  currency: string;
  interval: string;
}

export function findSpendLimit(db: Db, scopeId: string): Promise<SpendLimitRow | undefined> {
  return db.selectFrom('spend_limits').select(['threshold_amount', 'currency', 'interval']).where('scope_id', '=', scopeId).executeTakeFirst();
}

/** The limits set by each of the scopes, in one read. */
export async function findSpendLimits(db: Db, scopeIds: string[]): Promise<Map<string, SpendLimitRow>> {
  const rows = await db
    .selectFrom('spend_limits')
    .select(['scope_id', 'threshold_amount', 'currency', 'interval'])
    .where('scope_id', 'in', scopeIds)
    .execute();
  return new Map(rows.map(({ scope_id, ...limit }) => [scope_id, limit]));
}

/** The project of the organization with the highest spend limit, and that limit. */
export function highestProjectLimit(db: Db, organizationId: string) {
  return db
    .selectFrom('spend_limits')
    .select(['project_id', 'threshold_amount'])
    .where('organization_id', '=', organizationId)
    .where('project_id', 'is not', null)
    .orderBy('threshold_amount', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function saveSpendLimit(db: Db, scope: PolicyScope, limit: SpendLimitRow, now: number): Promise<void> {
  await db
    .insertInto('spend_limits')
    .values({ scope_id: scope.scopeId, organization_id: scope.organizationId, project_id: scope.project?.id ?? null, ...limit, updated_at: now })
    .onConflict((conflict) => conflict.column('scope_id').doUpdateSet({ ...limit, updated_at: now }))
    .execute();
}

/** True when there was a limit to delete. */
export async function deleteSpendLimit(db: Db, scopeId: string): Promise<boolean> {
  const result = await db.deleteFrom('spend_limits').where('scope_id', '=', scopeId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
