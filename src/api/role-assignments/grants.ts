import { constraintViolation } from '../../db/constraint-violation.ts';
import type { Db } from '../../db/schema.ts';
import { invalidRequest } from '../../http/api-error.ts';
import type { Principal } from '../../http/auth.ts';
import { nowSeconds } from '../../lib/time.ts';
import { recordAuditEvent } from '../audit-logs/record.ts';
import type { RoleScope } from '../roles/scope.ts';
import * as assignments from './repository.ts';

/**
 * The primitives of giving and taking roles, shared by the role-assignment routes and by
 * `POST /v1/organization/users/{user_id}` (whose `role_id` may name a custom role).
 */

/** Who holds a role: a user, or a group (whose members then hold it through the group). */
export interface RoleHolder {
  type: 'user' | 'group';
  id: string;
}

/**
 * An assignment is identified by its role and its holder, whether it is stored (custom roles, and
 * every role of a group) or is the membership's `role` column (a user's predefined role):
 * `<role id>__user__<user id>` or `<role id>__group__<group id>`.
 */
export function assignmentId(roleId: string, holder: RoleHolder): string {
  return `${roleId}__${holder.type}__${holder.id}`;
}

export async function recordAssignmentEvent(
  trx: Db,
  principal: Principal,
  scope: RoleScope,
  type: 'role.assignment.created' | 'role.assignment.deleted',
  roleId: string,
  holder: RoleHolder,
): Promise<void> {
  await recordAuditEvent(trx, principal, {
    type,
    resourceId: assignmentId(roleId, holder),
    details: { principal_id: holder.id, principal_type: holder.type, resource_id: scope.resourceId, resource_type: scope.resourceType },
    project: scope.project,
  });
}

/** Gives a member a custom role of the scope. Giving it again changes nothing and is not audited. */
export async function grantCustomRole(trx: Db, principal: Principal, scope: RoleScope, roleId: string, userId: string): Promise<void> {
  let inserted: boolean;
  try {
    inserted = await assignments.insertAssignment(trx, {
      role_id: roleId,
      user_id: userId,
      organization_id: scope.organizationId,
      project_id: scope.project?.id ?? null,
      created_at: nowSeconds(),
      created_by: principal.userId,
    });
  } catch (error) {
    // The foreign keys decide when a concurrent request deleted the role or removed the member.
    if (constraintViolation(error) !== 'foreign_key') throw error;
    throw invalidRequest(`Role '${roleId}' or user '${userId}' was removed while this request ran.`, 'role_id', 'invalid_value');
  }
  if (inserted) await recordAssignmentEvent(trx, principal, scope, 'role.assignment.created', roleId, { type: 'user', id: userId });
}
