import type { Kysely } from 'kysely';
import { refusingViolation } from '../../db/constraint-violation.ts';
import type { Database, Db } from '../../db/schema.ts';
import { ApiError, invalidRequest } from '../../http/api-error.ts';
import type { Principal } from '../../http/auth.ts';
import type { NextCursorPage } from '../../http/pagination.ts';
import { nowSeconds } from '../../lib/time.ts';
import type { GroupRow } from '../groups/repository.ts';
import { requireGroup, toGroupSummary } from '../groups/service.ts';
import { findProjectGroup, lockProjectGroup } from '../project-groups/repository.ts';
import { pageWithFixedItems } from '../roles/listing.ts';
import { scopeNoun, type RoleScope } from '../roles/scope.ts';
import { findRoleInScope, roleNotInScope, type FoundRole } from '../roles/service.ts';
import { heldByGroup } from './effective.ts';
import { recordAssignmentEvent, type RoleHolder } from './grants.ts';
import * as assignments from './repository.ts';
import type { AssignedRole, GroupRoleAssignment, ListAssignedRolesQuery } from './schemas.ts';
import { toAssignedRole } from './service.ts';

/**
 * The roles a group holds in the organization or in a project it is seated in. Unlike a user, a
 * group holds no predefined role by membership: every role it holds, predefined or custom, is a
 * row of group_role_assignments, and its members hold each one through it (see effective.ts).
 */

const asGroup = (groupId: string): RoleHolder => ({ type: 'group', id: groupId });

function notSeated(scope: RoleScope, groupId: string): ApiError {
  return new ApiError(404, `Group '${groupId}' is not in project '${scope.resourceId}'.`, { param: 'group_id', code: 'not_found' });
}

/** The group; in a project it must be seated there (a 404 otherwise). */
async function requireHolderGroup(db: Db, scope: RoleScope, groupId: string): Promise<GroupRow> {
  const group = await requireGroup(db, scope.organizationId, groupId);
  if (scope.project && !(await lockProjectGroup(db, scope.project.id, groupId))) throw notSeated(scope, groupId);
  return group;
}

async function heldRoles(db: Db, scope: RoleScope, groupId: string): Promise<FoundRole[]> {
  const rows = await assignments.listGroupHoldings(db, scope, groupId);
  return rows.flatMap((row) => heldByGroup(scope, row) ?? []);
}

function notHeld(scope: RoleScope, groupId: string, roleId: string): ApiError {
  return new ApiError(404, `Group '${groupId}' holds no role '${roleId}' in this ${scopeNoun(scope)}.`, { param: 'role_id', code: 'not_found' });
}

export async function listGroupRoles(db: Db, scope: RoleScope, groupId: string, query: ListAssignedRolesQuery): Promise<NextCursorPage<AssignedRole>> {
  await requireGroupForRead(db, scope, groupId);
  const held = await heldRoles(db, scope, groupId);
  return pageWithFixedItems(held.map((found) => toAssignedRole(found)), [], query);
}

/** As requireHolderGroup, for reads: the seat is looked up, not locked. */
async function requireGroupForRead(db: Db, scope: RoleScope, groupId: string): Promise<void> {
  await requireGroup(db, scope.organizationId, groupId);
  if (scope.project && !(await findProjectGroup(db, scope.organizationId, scope.project.id, groupId))) throw notSeated(scope, groupId);
}

export async function retrieveGroupRole(db: Db, scope: RoleScope, groupId: string, roleId: string): Promise<AssignedRole> {
  await requireGroupForRead(db, scope, groupId);
  const found = await findRoleInScope(db, scope, roleId);
  const held = found && (await heldRoles(db, scope, groupId)).find((role) => role.role.id === found.role.id);
  if (!held) throw notHeld(scope, groupId, roleId);
  return toAssignedRole(held);
}

/** Writes a group's hold on a role, without an audit record; false when it held the role already. */
export function insertGroupRole(trx: Db, scope: RoleScope, groupId: string, found: FoundRole, createdBy: string | null): Promise<boolean> {
  return assignments.insertGroupAssignment(trx, {
    group_id: groupId,
    role_id: found.role.id,
    custom_role_id: found.kind === 'custom' ? found.row.id : null,
    organization_id: scope.organizationId,
    project_id: scope.project?.id ?? null,
    created_at: nowSeconds(),
    created_by: createdBy,
  });
}

/**
 * Gives a group a role of the scope; holding it already changes nothing and is not audited again.
 * Also used when a group is seated in a project with its first role.
 */
export async function grantGroupRole(trx: Db, principal: Principal, scope: RoleScope, groupId: string, found: FoundRole): Promise<void> {
  const inserted = await insertGroupRole(trx, scope, groupId, found, principal.userId);
  if (inserted) await recordAssignmentEvent(trx, principal, scope, 'role.assignment.created', found.role.id, asGroup(groupId));
}

export async function assignGroupRole(
  db: Kysely<Database>,
  principal: Principal,
  scope: RoleScope,
  groupId: string,
  roleId: string,
): Promise<GroupRoleAssignment> {
  // The keys decide when a concurrent request deleted the group, the role or the seat.
  const removedMeanwhile = () => invalidRequest(`Role '${roleId}' or group '${groupId}' was removed while this request ran.`, 'role_id', 'invalid_value');
  return refusingViolation('foreign_key', () =>
    db.transaction().execute(async (trx) => {
      const group = await requireHolderGroup(trx, scope, groupId);
      const found = await findRoleInScope(trx, scope, roleId);
      if (!found) throw await roleNotInScope(trx, scope, roleId);
      await grantGroupRole(trx, principal, scope, groupId, found);
      return { object: 'group.role' as const, group: toGroupSummary(group), role: found.role };
    }),
    removedMeanwhile,
  );
}

/**
 * Takes a role from a group. In a project the group keeps at least one role while it is seated:
 * taking the last one is refused (remove the group from the project instead), so every seat
 * describes what it grants and every change to it is an assignment event.
 */
export async function unassignGroupRole(db: Kysely<Database>, principal: Principal, scope: RoleScope, groupId: string, roleId: string) {
  return db.transaction().execute(async (trx) => {
    await requireHolderGroup(trx, scope, groupId);
    const found = await findRoleInScope(trx, scope, roleId);
    const held = await heldRoles(trx, scope, groupId);
    if (!found || !held.some((role) => role.role.id === found.role.id)) throw notHeld(scope, groupId, roleId);
    if (scope.project && held.length === 1) {
      throw invalidRequest(
        `'${found.role.id}' is the only role group '${groupId}' holds in this project. Remove the group from the project instead.`,
        'role_id',
        'last_project_role',
      );
    }
    await assignments.deleteGroupAssignment(trx, groupId, found.role.id);
    await recordAssignmentEvent(trx, principal, scope, 'role.assignment.deleted', found.role.id, asGroup(groupId));
    return { object: 'group.role.deleted' as const, deleted: true };
  });
}

/** Every role the group holds in the project, for the events of its removal from it. */
export function groupRolesIn(db: Db, scope: RoleScope, groupId: string): Promise<FoundRole[]> {
  return heldRoles(db, scope, groupId);
}

/** Records the end of each role a group held in a project it was removed from. */
export async function recordGroupRolesEnded(trx: Db, principal: Principal, scope: RoleScope, groupId: string, ended: FoundRole[]): Promise<void> {
  for (const found of ended) await recordAssignmentEvent(trx, principal, scope, 'role.assignment.deleted', found.role.id, asGroup(groupId));
}
