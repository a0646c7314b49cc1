import { compiledQuery, type Arg } from '../../db/compiled-query.ts';
import type { Db, GroupRoleAssignmentsTable, UserRoleAssignmentsTable } from '../../db/schema.ts';
import { customRoles, type RoleRow } from '../roles/repository.ts';
import type { RoleScope } from '../roles/scope.ts';

function heldDirectly(db: Db, organizationId: string, userId: string) {
  return customRoles(db, organizationId).innerJoin('user_role_assignments as a', 'a.role_id', 'r.id').where('a.user_id', '=', userId);
}

// Every list of a user's roles runs these: compiled once per kind of scope (see compiledQuery).
const heldInOrganization = compiledQuery((db, arg: Arg<{ organizationId: string; userId: string }>) =>
  heldDirectly(db, arg('organizationId'), arg('userId')).where('r.project_id', 'is', null),
);
const heldInProject = compiledQuery((db, arg: Arg<{ organizationId: string; userId: string; projectId: string }>) =>
  heldDirectly(db, arg('organizationId'), arg('userId')).where('r.project_id', '=', arg('projectId')),
);

/** Every custom role of this scope that the user holds directly. */
export function listHeldRoles(db: Db, scope: RoleScope, userId: string): Promise<RoleRow[]> {
  const { organizationId } = scope;
  return scope.project ? heldInProject(db, { organizationId, userId, projectId: scope.project.id }) : heldInOrganization(db, { organizationId, userId });
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

/**
 * Roles held by groups, with the custom role's details beside each (null columns for a
 * predefined role, which has no row).
 */
function groupHoldings(db: Db, organizationId: string) {
  return db
    .selectFrom('group_role_assignments as g')
    .leftJoin('roles as r', 'r.id', 'g.custom_role_id')
    .leftJoin('users as creator', 'creator.id', 'r.created_by')
    .select([
      'g.group_id',
      'g.role_id',
      'r.id as custom_role_id',
      'r.organization_id',
      'r.project_id',
      'r.name',
      'r.description',
      'r.permissions',
      'r.created_at',
      'r.updated_at',
      'r.created_by',
      'creator.name as creator_name',
      'creator.email as creator_email',
    ])
    .where('g.organization_id', '=', organizationId);
}

export type GroupHoldingRow = NonNullable<Awaited<ReturnType<ReturnType<typeof groupHoldings>['executeTakeFirst']>>>;

/** The roles one group holds in the scope. */
export function listGroupHoldings(db: Db, scope: RoleScope, groupId: string): Promise<GroupHoldingRow[]> {
  const held = groupHoldings(db, scope.organizationId).where('g.group_id', '=', groupId);
  return (scope.project ? held.where('g.project_id', '=', scope.project.id) : held.where('g.project_id', 'is', null)).execute();
}

function throughGroups(db: Db, organizationId: string, userId: string) {
  return groupHoldings(db, organizationId)
    .innerJoin('group_users as gu', 'gu.group_id', 'g.group_id')
    .where('gu.organization_id', '=', organizationId)
    .where('gu.user_id', '=', userId)
    .orderBy('g.group_id');
}

const throughGroupsInOrganization = compiledQuery((db, arg: Arg<{ organizationId: string; userId: string }>) =>
  throughGroups(db, arg('organizationId'), arg('userId')).where('g.project_id', 'is', null),
);
const throughGroupsInProject = compiledQuery((db, arg: Arg<{ organizationId: string; userId: string; projectId: string }>) =>
  throughGroups(db, arg('organizationId'), arg('userId')).where('g.project_id', '=', arg('projectId')),
);

/** The roles the user holds in the scope through the groups they belong to, one row per group and role, by group id. */
export function listRolesThroughGroups(db: Db, scope: RoleScope, userId: string): Promise<GroupHoldingRow[]> {
  const { organizationId } = scope;
  return scope.project
    ? throughGroupsInProject(db, { organizationId, userId, projectId: scope.project.id })
    : throughGroupsInOrganization(db, { organizationId, userId });
}

/** Inserts the group's assignment unless it exists; true when inserted. */
export async function insertGroupAssignment(db: Db, row: GroupRoleAssignmentsTable): Promise<boolean> {
  const result = await db
    .insertInto('group_role_assignments')
    .values(row)
    .onConflict((conflict) => conflict.columns(['group_id', 'role_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** True when there was an assignment to delete. */
export async function deleteGroupAssignment(db: Db, groupId: string, roleId: string): Promise<boolean> {
  const result = await db.deleteFrom('group_role_assignments').where('group_id', '=', groupId).where('role_id', '=', roleId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
