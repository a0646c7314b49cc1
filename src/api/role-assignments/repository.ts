import type { Db, UserRoleAssignmentsTable } from '../../db/schema.ts';
import type { NextCursorQuery } from '../../http/pagination.ts';
import { cursorWindow } from '../roles/listing.ts';
import { customRoles, inScope, type RoleRow } from '../roles/repository.ts';
import type { RoleScope } from '../roles/scope.ts';

/** The custom roles of this scope that the user holds, one keyset window ordered by role id. */
export function listHeldRoles(db: Db, scope: RoleScope, userId: string, options: NextCursorQuery): Promise<RoleRow[]> {
  const held = customRoles(db, scope.organizationId)
    .innerJoin('user_role_assignments as a', 'a.role_id', 'r.id')
    .where('a.user_id', '=', userId);
  return cursorWindow(inScope(held, scope), 'r.id', options).execute();
}

export async function holdsRole(db: Db, roleId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('user_role_assignments')
    .select('role_id')
    .where('role_id', '=', roleId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Inserts the assignment unless it exists (also under a concurrent twin); true when inserted. */
export async function insertAssignment(db: Db, row: UserRoleAssignmentsTable): Promise<boolean> {
  const result = await db
    .insertInto('user_role_assignments')
    .values(row)
    .onConflict((conflict) => conflict.columns(['role_id', 'user_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** True when there was an assignment to delete. */
export async function deleteAssignment(db: Db, roleId: string, userId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('user_role_assignments')
    .where('role_id', '=', roleId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The member's row in a project, or undefined when they are not in it. */
export function findProjectMember(db: Db, projectId: string, userId: string) {
  return db
    .selectFrom('project_users')
    .select(['user_id', 'role'])
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function setProjectRole(db: Db, projectId: string, userId: string, role: string): Promise<void> {
  await db.updateTable('project_users').set({ role }).where('project_id', '=', projectId).where('user_id', '=', userId).execute();
}
