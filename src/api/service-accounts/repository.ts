import type { Selectable } from 'kysely';
import type { Db, ServiceAccountsTable } from '../../db/schema.ts';

export type ServiceAccountRow = Omit<Selectable<ServiceAccountsTable>, 'organization_id' | 'project_id'>;

function accounts(db: Db, organizationId: string, projectId: string) {
  return db
    .selectFrom('service_accounts')
    .select(['id', 'name', 'role', 'created_at'])
    .where('organization_id', '=', organizationId)
    .where('project_id', '=', projectId);
}

export function findServiceAccount(db: Db, organizationId: string, projectId: string, id: string): Promise<ServiceAccountRow | undefined> {
  return accounts(db, organizationId, projectId).where('id', '=', id).executeTakeFirst();
}

/** One page in id order, reading `limit + 1` rows so the caller can tell whether more follow. */
export function listServiceAccounts(
  db: Db,
  organizationId: string,
  projectId: string,
  options: { limit: number; after?: string },
): Promise<ServiceAccountRow[]> {
  let query = accounts(db, organizationId, projectId);
  if (options.after !== undefined) query = query.where('id', '>', options.after);
  return query.orderBy('id').limit(options.limit + 1).execute();
}

export async function insertServiceAccount(db: Db, organizationId: string, projectId: string, row: ServiceAccountRow): Promise<void> {
  await db.insertInto('service_accounts').values({ ...row, organization_id: organizationId, project_id: projectId }).execute();
}

export async function updateServiceAccount(db: Db, id: string, changes: Partial<Pick<ServiceAccountRow, 'name' | 'role'>>): Promise<void> {
  await db.updateTable('service_accounts').set(changes).where('id', '=', id).execute();
}

export async function deleteServiceAccount(db: Db, id: string): Promise<void> {
  await db.deleteFrom('service_accounts').where('id', '=', id).execute();
}
