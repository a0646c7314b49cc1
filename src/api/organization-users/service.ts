import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import type { Principal } from '../../http/auth.ts';
import { ApiError, invalidRequest, notFound } from '../../http/api-error.ts';
import { forgetCachedKeys } from '../../http/key-cache.ts';
import { toPage, type Page } from '../../http/pagination.ts';
import { recordAuditEvent } from '../audit-logs/record.ts';
import { grantCustomRole } from '../role-assignments/grants.ts';
import type { OrganizationRoleName } from '../roles/predefined.ts';
import { organizationScope, type RoleScope } from '../roles/scope.ts';
import { findRoleInScope, roleNotInScope } from '../roles/service.ts';
import * as members from './repository.ts';
import type { ListOrganizationUsersQuery, ModifyOrganizationUserBody, OrganizationUser } from './schemas.ts';

export function toOrganizationUser(row: members.MemberRow): OrganizationUser {
  return {
    object: 'organization.user',
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    added_at: row.added_at,
    created: row.created_at,
    is_default: row.is_default === 1,
    is_service_account: row.is_service_account === 1,
    is_scim_managed: row.is_scim_managed === 1,
    api_key_last_used_at: row.api_key_last_used_at,
    technical_level: row.technical_level,
    developer_persona: row.developer_persona,
  };
}

export async function listUsers(
  db: Db,
  principal: Principal,
  query: ListOrganizationUsersQuery,
): Promise<Page<OrganizationUser>> {
  const emails = query.emails?.map((email) => email.toLowerCase());
  const rows = await members.listMembers(db, principal.organizationId, { limit: query.limit, after: query.after, emails, roles: query.roles });
  return toPage(rows, query.limit, toOrganizationUser);
}

/** The member, or a 404 naming the id: used by every route that addresses a user. */
export async function requireMember(db: Db, organizationId: string, userId: string): Promise<members.MemberRow> {
  const row = await members.findMember(db, organizationId, userId);
  if (!row) throw notFound('user', userId, 'user_id');
  return row;
}

export async function retrieveUser(db: Db, principal: Principal, userId: string): Promise<OrganizationUser> {
  return toOrganizationUser(await requireMember(db, principal.organizationId, userId));
}

function lastOwner(action: string): ApiError {
  return invalidRequest(
    `Cannot ${action} the last owner of the organization. Make another member an owner first.`,
    'user_id',
    'last_owner',
  );
}

/**
 * Reads a member whose predefined role may become `role`. A demotion takes the organization's lock
 * first, so the owner count `refuseLastOwnerDemotion` then reads cannot change under it.
 */
export async function memberForRoleChange(
  trx: Db,
  organizationId: string,
  userId: string,
  role: OrganizationRoleName | undefined,
): Promise<members.MemberRow> {
  if (role === 'reader') await members.lockOrganization(trx, organizationId);
  return requireMember(trx, organizationId, userId);
}

/** Refuses to make the last owner a reader, whichever route asks for it. */
export async function refuseLastOwnerDemotion(trx: Db, organizationId: string, current: members.MemberRow, role: OrganizationRoleName) {
  if (current.role === 'owner' && role === 'reader' && (await members.countOwners(trx, organizationId)) <= 1) throw lastOwner('demote');
}

/**
 * What a modify request asks for: a predefined role from `role` or `role_id` (which must agree if
 * both name one), and a custom role from `role_id`, which the member is given as an assignment.
 */
async function requestedRoles(trx: Db, body: ModifyOrganizationUserBody, scope: RoleScope) {
  const predefined = body.role ?? undefined;
  if (body.role_id == null) return { predefined, customRoleId: undefined };
  const found = await findRoleInScope(trx, scope, body.role_id);
  if (!found) throw await roleNotInScope(trx, scope, body.role_id);
  if (found.kind === 'custom') return { predefined, customRoleId: found.row.id };
  const fromId = found.name as OrganizationRoleName;
  if (predefined && predefined !== fromId) {
    throw invalidRequest(`'role' is '${predefined}' but 'role_id' names the '${fromId}' role; send one of them.`, 'role_id');
  }
  return { predefined: fromId, customRoleId: undefined };
}

export async function modifyUser(
  db: Kysely<Database>,
  principal: Principal,
  userId: string,
  body: ModifyOrganizationUserBody,
): Promise<OrganizationUser> {
  const organizationId = principal.organizationId;
  const scope = organizationScope(organizationId);
  let roleRequested = false;
  const user = await db.transaction().execute(async (trx) => {
    const { predefined, customRoleId } = await requestedRoles(trx, body, scope);
    roleRequested = predefined !== undefined || customRoleId !== undefined;
    const current = await memberForRoleChange(trx, organizationId, userId, predefined);

    const changes: Parameters<typeof members.updateMember>[3] = {};
    if (predefined !== undefined && predefined !== current.role) changes.role = predefined;
    if (body.technical_level !== undefined && body.technical_level !== current.technical_level) {
      changes.technical_level = body.technical_level;
    }
    if (body.developer_persona !== undefined && body.developer_persona !== current.developer_persona) {
      changes.developer_persona = body.developer_persona;
    }
    if (changes.role) await refuseLastOwnerDemotion(trx, organizationId, current, changes.role);
    if (customRoleId) await grantCustomRole(trx, principal, scope, customRoleId, userId);
    if (Object.keys(changes).length === 0) return toOrganizationUser(current);

    await members.updateMember(trx, organizationId, userId, changes);
    await recordAuditEvent(trx, principal, { type: 'user.updated', resourceId: userId, details: { changes_requested: changes } });
    return toOrganizationUser({ ...current, ...changes });
  });
  if (roleRequested) forgetCachedKeys(db); // cached admin keys must not outlive the role they were read with
  return user;
}

export async function deleteUser(db: Kysely<Database>, principal: Principal, userId: string) {
  const organizationId = principal.organizationId;
  const deleted = await db.transaction().execute(async (trx) => {
    await members.lockOrganization(trx, organizationId);
    const current = await requireMember(trx, organizationId, userId);
    if (current.role === 'owner' && (await members.countOwners(trx, organizationId)) <= 1) throw lastOwner('remove');
    await members.deleteMember(trx, organizationId, userId);
    await recordAuditEvent(trx, principal, { type: 'user.deleted', resourceId: userId });
    return { object: 'organization.user.deleted' as const, id: userId, deleted: true };
  });
  forgetCachedKeys(db); // the member's admin keys went with the membership
  return deleted;
}
