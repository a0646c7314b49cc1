import type { Db, ModelPermissionsTable } from '../../db/schema.ts';

export interface ModelPermissionsRow {
  mode: ModelPermissionsTable['mode'];
  model_ids: string[];
}

export async function findModelPermissions(db: Db, projectId: string): Promise<ModelPermissionsRow | undefined> {
  const row = await db.selectFrom('model_permissions').select(['mode', 'model_ids']).where('project_id', '=', projectId).executeTakeFirst();
  return row && { mode: row.mode, model_ids: JSON.parse(row.model_ids) as string[] };
}

export async function saveModelPermissions(db: Db, organizationId: string, projectId: string, permissions: ModelPermissionsRow, now: number): Promise<void> {
  const values = { mode: permissions.mode, model_ids: JSON.stringify(permissions.model_ids), updated_at: now };
  await db
    .insertInto('model_permissions')
    .values({ project_id: projectId, organization_id: organizationId, ...values })
    .onConflict((conflict) => conflict.column('project_id').doUpdateSet(values))
    .execute();
}

/** True when there were permissions to delete. */
export async function deleteModelPermissions(db: Db, projectId: string): Promise<boolean> {
  const result = await db.deleteFrom('model_permissions').where('project_id', '=', projectId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
