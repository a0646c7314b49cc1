import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import type { Principal } from '../../http/auth.ts';
import { ApiError, invalidRequest } from '../../http/api-error.ts';
import type { NextCursorPage } from '../../http/pagination.ts';
import * as members from '../organization-users/repository.ts';
import { memberForRoleChange, refuseLastOwnerDemotion, requireMember, toOrganizationUser } from '../organization-users/service.ts';
import { pageWithFixedItems } from '../roles/listing.ts';
import { PROJECT_ROLES, predefinedRoleId, type OrganizationRoleName, type PredefinedRoleName } from '../roles/predefined.ts';
import { scopeNoun, type RoleScope } from '../roles/scope.ts';
import { findRoleInScope, predefinedRoleObject, roleNotInScope, toRole, type FoundRole } from '../roles/service.ts';
import { grantCustomRole, recordAssignmentEvent } from './grants.ts';
import * as assignments from './repository.ts';
import type { AssignedRole, ListAssignedRolesQuery, UserRoleAssignment } from './schemas.ts';

/**
 * One model of who holds which role. A member's predefined role in a scope IS the `role` column of
 * their membership (organization_users.role, project_users.role): reading assignments reads it,
 * assigning a predefined role writes it, and every member holds exactly one. Custom roles are
 * rows in user_role_assignments, any number per member.
 */
interface Holder {
  member: members.MemberRow;
  predefined: PredefinedRoleName | null;
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
  if (!seat) throw notInProject(scope, userId);
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

function toAssignedRole(found: FoundRole): AssignedRole {
  const { object: _object, ...role } = found.role;
  if (found.kind === 'predefined') {
    return { ...role, created_at: null, updated_at: null, created_by: null, created_by_user_obj: null, metadata: null, assignment_sources: null };
  }
  const { row } = found;
  return {
    ...role,
    created_at: row.created_at,
    updated_at: row.updated_at,
    created_by: row.created_by,
    created_by_user_obj: row.created_by === null ? null : { id: row.created_by, name: row.creator_name, email: row.creator_email },
    metadata: {},
    assignment_sources: null,
  };
}

function predefinedHeld(scope: RoleScope, name: PredefinedRoleName): FoundRole {
  return { kind: 'predefined', name, role: predefinedRoleObject(scope, name) };
}

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
  const predefined = holder.predefined ? [toAssignedRole(predefinedHeld(scope, holder.predefined))] : [];
  const rows = await assignments.listHeldRoles(db, scope, userId, query);
  const custom = rows.map((row) => toAssignedRole({ kind: 'custom', row, role: toRole(scope, row) }));
  return pageWithFixedItems(predefined, custom, query);
}

export async function retrieveAssignedRole(db: Db, scope: RoleScope, userId: string, roleId: string): Promise<AssignedRole> {
  const holder = await readHolder(db, scope, userId);
  const found = await findRoleInScope(db, scope, roleId);
  const held =
    found?.kind === 'predefined' ? found.name === holder.predefined : found ? await assignments.holdsRole(db, found.row.id, userId) : false;
  if (!found || !held) throw notHeld(scope, userId, roleId);
  return toAssignedRole(found);
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

    let member = holder.member;
    if (found.kind === 'custom') {
      await grantCustomRole(trx, principal, scope, found.row.id, userId);
    } else if (found.name !== holder.predefined) {
      await setPredefinedRole(trx, scope, holder, found.name);
      if (holder.predefined) {
        const replaced = predefinedRoleId(scope.resourceType, holder.predefined, scope.resourceId);
        await recordAssignmentEvent(trx, principal, scope, 'role.assignment.deleted', replaced, userId);
      }
      await recordAssignmentEvent(trx, principal, scope, 'role.assignment.created', found.role.id, userId);
      if (!scope.project) member = { ...member, role: found.name as OrganizationRoleName };
    }
    return { object: 'user.role', user: toOrganizationUser(member), role: found.role };
  });
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
    if (found?.kind !== 'custom' || !(await assignments.deleteAssignment(trx, found.row.id, userId))) throw notHeld(scope, userId, roleId);
    await recordAssignmentEvent(trx, principal, scope, 'role.assignment.deleted', found.row.id, userId);
    return { object: 'user.role.deleted' as const, deleted: true };
  });
}
