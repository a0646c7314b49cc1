import type { Db } from '../../db/schema.ts';
import * as members from '../organization-users/repository.ts';
import { PROJECT_ROLES, predefinedRoleName, type PredefinedRoleName } from '../roles/predefined.ts';
import type { RoleRow } from '../roles/repository.ts';
import type { RoleScope } from '../roles/scope.ts';
import { predefinedRoleObject, toRole, type FoundRole } from '../roles/service.ts';
import * as assignments from './repository.ts';

/**
 * Effective access: the roles a user holds in a scope, directly and through the groups they belong
 * to, each with whom it comes from. This is what the user role-assignment lists show, and what
 * anything deciding what a user may do should read.
 */

/** Where a held role comes from: the user's own assignment, or a group of theirs. */
export interface RoleSource {
  principal_type: 'user' | 'group';
  principal_id: string;
}

export interface EffectiveRole {
  found: FoundRole;
  /** Never empty; the user themself first when they hold the role directly, then groups by id. */
  sources: RoleSource[];
}

export function predefinedHeld(scope: RoleScope, name: PredefinedRoleName): FoundRole {
  return { kind: 'predefined', name, role: predefinedRoleObject(scope, name) };
}

/** The role a stored group assignment names, or undefined for a predefined id this scope does not know. */
export function heldByGroup(scope: RoleScope, row: assignments.GroupHoldingRow): FoundRole | undefined {
  if (row.custom_role_id === null) {
    const name = predefinedRoleName(scope.resourceType, row.role_id, scope.resourceId);
    return name && predefinedHeld(scope, name);
  }
  const roleRow = { ...row, id: row.custom_role_id } as RoleRow;
  return { kind: 'custom', row: roleRow, role: toRole(scope, roleRow) };
}

/** The predefined role the user's own membership of the scope gives them, or null (not a member, or no seat). */
async function directPredefinedRole(db: Db, scope: RoleScope, userId: string): Promise<PredefinedRoleName | null> {
  if (!scope.project) return (await members.findMember(db, scope.organizationId, userId))?.role ?? null;
  const seat = await assignments.findProjectMember(db, scope.project.id, userId);
  return seat && (PROJECT_ROLES as readonly string[]).includes(seat.role) ? (seat.role as PredefinedRoleName) : null;
}

function byRoleId(a: EffectiveRole, b: EffectiveRole): number {
  return a.found.role.id < b.found.role.id ? -1 : a.found.role.id > b.found.role.id ? 1 : 0;
}

/**
 * Every role `userId` holds in `scope`, ordered by role id, each listed once with all its sources.
 * `knownPredefined` saves a read when the caller has already looked at the membership.
 */
export async function effectiveRoles(
  db: Db,
  scope: RoleScope,
  userId: string,
  knownPredefined?: PredefinedRoleName | null,
): Promise<EffectiveRole[]> {
  const predefined = knownPredefined === undefined ? await directPredefinedRole(db, scope, userId) : knownPredefined;
  const direct = await assignments.listHeldRoles(db, scope, userId);
  const throughGroups = await assignments.listRolesThroughGroups(db, scope, userId);

  const held = new Map<string, EffectiveRole>();
  const add = (found: FoundRole | undefined, source: RoleSource) => {
    if (!found) return;
    const entry = held.get(found.role.id);
    if (entry) entry.sources.push(source);
    else held.set(found.role.id, { found, sources: [source] });
  };
  const self: RoleSource = { principal_type: 'user', principal_id: userId };
  if (predefined) add(predefinedHeld(scope, predefined), self);
  for (const row of direct) add({ kind: 'custom', row, role: toRole(scope, row) }, self);
  for (const row of throughGroups) add(heldByGroup(scope, row), { principal_type: 'group', principal_id: row.group_id });
  return [...held.values()].sort(byRoleId);
}
