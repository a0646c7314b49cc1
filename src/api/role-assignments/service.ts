import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import type { Principal } from '../../http/auth.ts';
import { ApiError, invalidRequest } from '../../http/api-error.ts';
import type { NextCursorPage } from '../../http/pagination.ts';
import * as members from '../organization-users/repository.ts';
import { memberForRoleChange, refuseLastOwnerDemotion, requireMember, toOrganizationUser } from '../organization-users/service.ts';
import { findGroups } from '../groups/repository.ts';
import { describeGroups } from '../groups/service.ts';
import { groupsSeatingUser } from '../project-groups/repository.ts';
import { pageWithFixedItems } from '../roles/listing.ts';
import { PROJECT_ROLES, predefinedRoleId, type OrganizationRoleName, type PredefinedRoleName } from '../roles/predefined.ts';
import { scopeNoun, type RoleScope } from '../roles/scope.ts';
import { findRoleInScope, roleNotInScope, type FoundRole } from '../roles/service.ts';
import { effectiveRoles, type RoleSource } from './effective.ts';
import { grantCustomRole, recordAssignmentEvent, type RoleHolder } from './grants.ts';
import * as assignments from './repository.ts';
import type { AssignedRole, ListAssignedRolesQuery, UserRoleAssignment } from './schemas.ts';

/**
 * One model of who holds which role. A member's predefined role in a scope IS the `role` column of
 * their membership (organization_users.role, project_users.role): reading assignments reads it,
 * assigning a predefined role writes it, and every member holds exactly one. Custom roles are
 * rows in user_role_assignments, any number per member. Roles held through groups are listed
 * beside them (see effective.ts) but are changed only through the group.
 */
interface Holder {
  member: members.MemberRow;
  predefined: PredefinedRoleName | null;
  /** Set when the user reaches the project only through these groups, without a seat of their own. */
  onlyThroughGroups?: { id: string; name: string }[];
}

function notInProject(scope: RoleScope, userId: string): ApiError {
  return new ApiError(404, `No user '${userId}' in project '${scope.resourceId}'.`, { param: 'user_id', code: 'not_found' });
}

/**
 * The member and the predefined role they hold; a user outside the scope is a 404. `target` is the
 * predefined role about to be given, so that a demotion can take the locks it needs first.
 */
async function readHolder(db: Db, scope: RoleScope, userId: string, target?: PredefinedRoleName): Promise<Holder> {
  if (!scope.project) {
    const member = await memberForRoleChange(db, scope.organizationId, userId, target as OrganizationRoleName | undefined);
    return { member, predefined: member.role };
  }
  const seat = await assignments.findProjectMember(db, scope.project.id, userId);
  if (!seat) {
    const groups = await groupsSeatingUser(db, scope.organizationId, scope.project.id, userId);
    if (groups.length === 0) throw notInProject(scope, userId);
    return { member: await requireMember(db, scope.organizationId, userId), predefined: null, onlyThroughGroups: groups };
  }
  const predefined = (PROJECT_ROLES as readonly string[]).includes(seat.role) ? (seat.role as PredefinedRoleName) : null;
  return { member: await requireMember(db, scope.organizationId, userId), predefined };
}

/** Moves a member to another predefined role; the last-owner rule applies to the organization. */
async function setPredefinedRole(trx: Db, scope: RoleScope, holder: Holder, role: PredefinedRoleName): Promise<void> {
  const userId = holder.member.id;
  if (scope.project) return assignments.setProjectRole(trx, scope.project.id, userId, role);
  const organizationRole = role as OrganizationRoleName;
  await refuseLastOwnerDemotion(trx, scope.organizationId, holder.member, organizationRole);
  await members.updateMember(trx, scope.organizationId, userId, { role: organizationRole });
}

/**
 * A held role with its authoring details. `assignment_sources` is null for a role held only
 * directly (as the reference shows direct assignments); once a group gives it, every source is named.
 */
export function toAssignedRole(found: FoundRole, sources: RoleSource[] = []): AssignedRole {
  const { object: _object, ...role } = found.role;
  const assignment_sources = sources.some((source) => source.principal_type === 'group') ? sources : null;
  if (found.kind === 'predefined') {
    return { ...role, created_at: null, updated_at: null, created_by: null, created_by_user_obj: null, metadata: null, assignment_sources };
  }
  const { row } = found;
  return {
    ...role,
    created_at: row.created_at,
    updated_at: row.updated_at,
    created_by: row.created_by,
    created_by_user_obj: row.created_by === null ? null : { id: row.created_by, name: row.creator_name, email: row.creator_email },
    metadata: {},
    assignment_sources,
  };
}

const asUser = (userId: string): RoleHolder => ({ type: 'user', id: userId });

function notHeld(scope: RoleScope, userId: string, roleId: string): ApiError {
  return new ApiError(404, `User '${userId}' holds no role '${roleId}' in this ${scopeNoun(scope)}.`, { param: 'role_id', code: 'not_found' });
}

export async function listAssignedRoles(
  db: Db,
  scope: RoleScope,
  userId: string,
  query: ListAssignedRolesQuery,
): Promise<NextCursorPage<AssignedRole>> {
  const holder = await readHolder(db, scope, userId);
  const held = await effectiveRoles(db, scope, userId, holder.predefined);
  return pageWithFixedItems(held.map(({ found, sources }) => toAssignedRole(found, sources)), [], query);
}

export async function retrieveAssignedRole(db: Db, scope: RoleScope, userId: string, roleId: string): Promise<AssignedRole> {
  const holder = await readHolder(db, scope, userId);
  const found = await findRoleInScope(db, scope, roleId);
  const held = found && (await effectiveRoles(db, scope, userId, holder.predefined)).find((entry) => entry.found.role.id === found.role.id);
  if (!held) throw notHeld(scope, userId, roleId);
  return toAssignedRole(held.found, held.sources);
}

/**
 * Gives the user a role. A custom role is added to those they hold; a predefined one replaces
 * the predefined role they hold. Assigning a role the user already holds changes nothing.
 */
export async function assignRole(
  db: Kysely<Database>,
  principal: Principal,
  scope: RoleScope,
  userId: string,
  roleId: string,
): Promise<UserRoleAssignment> {
  return db.transaction().execute(async (trx) => {
    const found = await findRoleInScope(trx, scope, roleId);
    const holder = await readHolder(trx, scope, userId, found?.kind === 'predefined' ? found.name : undefined);
    if (!found) throw await roleNotInScope(trx, scope, roleId);
    if (holder.onlyThroughGroups) {
      throw invalidRequest(
        `User '${userId}' reaches this project only through group ${describeGroups(holder.onlyThroughGroups)}. Add them to the project to give them roles of their own, or assign the role to the group.`,
        'user_id',
        'user_not_in_project',
      );
    }

    let member = holder.member;
    if (found.kind === 'custom') {
      await grantCustomRole(trx, principal, scope, found.row.id, userId);
    } else if (found.name !== holder.predefined) {
      await setPredefinedRole(trx, scope, holder, found.name);
      if (holder.predefined) {
        const replaced = predefinedRoleId(scope.resourceType, holder.predefined, scope.resourceId);
        await recordAssignmentEvent(trx, principal, scope, 'role.assignment.deleted', replaced, asUser(userId));
      }
      await recordAssignmentEvent(trx, principal, scope, 'role.assignment.created', found.role.id, asUser(userId));
      if (!scope.project) member = { ...member, role: found.name as OrganizationRoleName };
    }
    return { object: 'user.role', user: toOrganizationUser(member), role: found.role };
  });
}

/**
 * Why a role the user does not hold directly cannot be taken from them: they hold it through
 * groups (400 naming them: the role is taken from the group, or the user from the group), or not at all (404).
 */
async function notHeldDirectly(trx: Db, scope: RoleScope, holder: Holder, roleId: string, found: FoundRole | undefined): Promise<ApiError> {
  const userId = holder.member.id;
  if (!found) return notHeld(scope, userId, roleId);
  const held = (await effectiveRoles(trx, scope, userId, holder.predefined)).find((entry) => entry.found.role.id === found.role.id);
  const groupIds = held?.sources.filter((source) => source.principal_type === 'group').map((source) => source.principal_id) ?? [];
  if (groupIds.length === 0) return notHeld(scope, userId, roleId);
  const groups = await findGroups(trx, scope.organizationId, groupIds);
  return invalidRequest(
    `User '${userId}' holds role '${found.role.id}' only through group ${describeGroups(groups)}, so it cannot be unassigned from the user. Unassign it from the group, or remove the user from the group.`,
    'role_id',
    'role_held_through_group',
  );
}

/**
 * Takes a custom role from the user. The predefined role they hold cannot be taken, only replaced
 * by assigning another one: every member holds exactly one.
 */
export async function unassignRole(db: Kysely<Database>, principal: Principal, scope: RoleScope, userId: string, roleId: string) {
  return db.transaction().execute(async (trx) => {
    const holder = await readHolder(trx, scope, userId);
    const found = await findRoleInScope(trx, scope, roleId);
    if (found?.kind === 'predefined' && found.name === holder.predefined) {
      throw invalidRequest(
        `Every ${scopeNoun(scope)} member holds one predefined role, so '${found.name}' cannot be removed. Assign another predefined role instead.`,
        'role_id',
        'predefined_role_required',
      );
    }
    if (found?.kind !== 'custom' || !(await assignments.deleteAssignment(trx, found.row.id, userId))) {
      throw await notHeldDirectly(trx, scope, holder, roleId, found);
    }
    await recordAssignmentEvent(trx, principal, scope, 'role.assignment.deleted', found.row.id, asUser(userId));
    return { object: 'user.role.deleted' as const, deleted: true };
  });
}
