import type { Selectable } from 'kysely';
import type { Db, ProjectsTable } from '../../db/schema.ts';

export type ProjectRow = Omit<Selectable<ProjectsTable>, 'organization_id'>;

function projects(db: Db, organizationId: string) {
  return db
    .selectFrom('projects')
    .select(['id', 'name', 'created_at', 'archived_at', 'status', 'is_default', 'external_key_id', 'residency'])
    .where('organization_id', '=', organizationId);
}

export function findProject(db: Db, organizationId: string, projectId: string): Promise<ProjectRow | undefined> {
  return projects(db, organizationId).where('id', '=', projectId).executeTakeFirst();
}

export function findDefaultProject(db: Db, organizationId: string): Promise<ProjectRow | undefined> {
  return projects(db, organizationId).where('is_default', '=', 1).executeTakeFirst();
}

/** One page in id order, reading `limit + 1` rows so the caller can tell whether more follow. */
export function listProjects(
  db: Db,
  organizationId: string,
  options: { limit: number; after?: string; includeArchived: boolean },
): Promise<ProjectRow[]> {
  let query = projects(db, organizationId);
  if (options.after !== undefined) query = query.where('id', '>', options.after);
  if (!options.includeArchived) query = query.where('status', '=', 'active');
  return query.orderBy('id').limit(options.limit + 1).execute();
}

export async function insertProject(db: Db, organizationId: string, row: ProjectRow): Promise<void> {
  await db.insertInto('projects').values({ ...row, organization_id: organizationId }).execute();
}

export async function updateProject(
  db: Db,
  organizationId: string,
  projectId: string,
  changes: Partial<Pick<ProjectRow, 'name' | 'external_key_id' | 'status' | 'archived_at'>>,
): Promise<void> {
  await db.updateTable('projects').set(changes).where('organization_id', '=', organizationId).where('id', '=', projectId).execute();
}

/**
 * Takes the project's row lock for the rest of the transaction, so a change that requires an
 * active project cannot interleave with its archiving (which updates the same row).
 */
export async function lockProject(db: Db, organizationId: string, projectId: string): Promise<void> {
  await db
    .updateTable('projects')
    .set((eb) => ({ id: eb.ref('id') }))
    .where('organization_id', '=', organizationId)
    .where('id', '=', projectId)
    .execute();
}
