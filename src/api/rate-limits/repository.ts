import type { Db } from '../../db/schema.ts';
import type { LimitField } from './catalogue.ts';

export type Overrides = Partial<Record<LimitField, number>>;

/** The project's changes to the catalogue's defaults, by model. */
export async function projectOverrides(db: Db, projectId: string): Promise<Map<string, Overrides>> {
  const rows = await db.selectFrom('project_rate_limits').select(['model', 'limits']).where('project_id', '=', projectId).execute();
  return new Map(rows.map((row) => [row.model, JSON.parse(row.limits) as Overrides]));
}

export async function modelOverrides(db: Db, projectId: string, model: string): Promise<Overrides> {
  const row = await db
    .selectFrom('project_rate_limits')
    .select('limits')
    .where('project_id', '=', projectId)
    .where('model', '=', model)
    .executeTakeFirst();
  return row ? (JSON.parse(row.limits) as Overrides) : {};
}

export async function saveOverrides(db: Db, organizationId: string, projectId: string, model: string, overrides: Overrides, now: number): Promise<void> {
  const limits = JSON.stringify(overrides);
  await db
    .insertInto('project_rate_limits')
    .values({ project_id: projectId, model, organization_id: organizationId, limits, updated_at: now })
    .onConflict((conflict) => conflict.columns(['project_id', 'model']).doUpdateSet({ limits, updated_at: now }))
    .execute();
}
