import type { Db } from '../../db/schema.ts';

/** Project seats joined with the person they belong to: everything a project user shows. */
function projectMembers(db: Db, organizationId: string, projectId: string) {
  return db
    .selectFrom('project_users as pu')
    .innerJoin('users as u', 'u.id', 'pu.user_id')
    .select(['pu.user_id as id', 'u.name', 'u.email', 'pu.role', 'pu.added_at'])
    .where('pu.organization_id', '=', organizationId)
    .where('pu.project_id', '=', projectId);
}

export type ProjectMemberRow = NonNullable<Awaited<ReturnType<ReturnType<typeof projectMembers>['executeTakeFirst']>>>;

export function findProjectMember(db: Db, organizationId: string, projectId: string, userId: string): Promise<ProjectMemberRow | undefined> {
  return projectMembers(db, organizationId, projectId).where('pu.user_id', '=', userId).executeTakeFirst();
}

/** One page in user id order, reading `limit + 1` rows so the caller can tell whether more follow. */
export function listProjectMembers(
  db: Db,
  organizationId: string,
  projectId: string,
  options: { limit: number; after?: string },
): Promise<ProjectMemberRow[]> {
  let query = projectMembers(db, organizationId, projectId);
  if (options.after !== undefined) query = query.where('pu.user_id', '>', options.after);
  return query.orderBy('pu.user_id').limit(options.limit + 1).execute();
}

/** Seats people in a project. The (project, user) key refuses a second seat for the same person. */
export async function insertProjectMembers(
  db: Db,
  organizationId: string,
  seats: { projectId: string; userId: string; role: string }[],
  now: number,
): Promise<void> {
  if (seats.length === 0) return;
  await db
    .insertInto('project_users')
    .values(seats.map((s) => ({ project_id: s.projectId, organization_id: organizationId, user_id: s.userId, role: s.role, added_at: now })))
    .execute();
}

export async function updateProjectMemberRole(db: Db, organizationId: string, projectId: string, userId: string, role: string): Promise<void> {
  await db
    .updateTable('project_users')
    .set({ role })
    .where('organization_id', '=', organizationId)
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .execute();
}

export async function deleteProjectMember(db: Db, organizationId: string, projectId: string, userId: string): Promise<void> {
  await db
    .deleteFrom('project_users')
    .where('organization_id', '=', organizationId)
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .execute();
}
