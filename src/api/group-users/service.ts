import type { Kysely } from 'kysely';
import { refusingViolation } from '../../db/constraint-violation.ts';
import type { Database, Db } from '../../db/schema.ts';
import { invalidRequest, notFound } from '../../http/api-error.ts';
import type { Principal } from '../../http/auth.ts';
import { toNextCursorPage, type NextCursorPage } from '../../http/pagination.ts';
import { nowSeconds } from '../../lib/time.ts';
import { recordAuditEvent } from '../audit-logs/record.ts';
import { requireGroup } from '../groups/service.ts';
import * as members from '../organization-users/repository.ts';
import * as memberships from './repository.ts';
import type { AddGroupUserBody, GroupMemberUser, GroupUser, ListGroupUsersQuery } from './schemas.ts';

function toGroupUser(row: memberships.GroupMemberRow): GroupUser {
  return { id: row.id, name: row.name ?? '', email: row.email };
}

function toGroupMemberUser(row: memberships.GroupMemberRow): GroupMemberUser {
  return { ...toGroupUser(row), picture: null, is_service_account: row.is_service_account === 1, user_type: 'user' };
}

/**
 * Membership changes are recorded with the event types the reference has for them, which it files
 * as tenant-scoped: the audit log lists them with `tenant_only=true`.
 */
async function recordMembershipEvent(trx: Db, principal: Principal, type: 'added' | 'removed', groupId: string, userId: string) {
  await recordAuditEvent(trx, principal, { type: `tenant.group.member.${type}`, resourceId: groupId, details: { user_id: userId } });
}

export async function listGroupUsers(db: Db, principal: Principal, groupId: string, query: ListGroupUsersQuery): Promise<NextCursorPage<GroupUser>> {
  await requireGroup(db, principal.organizationId, groupId);
  const rows = await memberships.listGroupMembers(db, principal.organizationId, groupId, query);
  return toNextCursorPage(rows, query.limit, toGroupUser);
}

export async function retrieveGroupUser(db: Db, principal: Principal, groupId: string, userId: string): Promise<GroupMemberUser> {
  await requireGroup(db, principal.organizationId, groupId);
  const row = await memberships.findGroupMember(db, principal.organizationId, groupId, userId);
  if (!row) throw notFound('user', userId, 'user_id');
  return toGroupMemberUser(row);
}

function notAMember(userId: string) {
  return invalidRequest(
    `User '${userId}' is not a member of the organization. Only organization members can join a group.`,
    'user_id',
    'user_not_in_organization',
  );
}

export async function addGroupUser(db: Kysely<Database>, principal: Principal, groupId: string, body: AddGroupUserBody) {
  const organizationId = principal.organizationId;
  const userId = body.user_id;
  // The keys decide, not the reads below: a group deleted, or a member removed, meanwhile is refused.
  const removedMeanwhile = () => invalidRequest(`Group '${groupId}' or user '${userId}' was removed while this request ran.`, 'user_id', 'invalid_value');
  return refusingViolation('foreign_key', () =>
    db.transaction().execute(async (trx) => {
      await requireGroup(trx, organizationId, groupId);
      if (!(await members.findMember(trx, organizationId, userId))) throw notAMember(userId);
      const added = await memberships.insertGroupMember(trx, { group_id: groupId, organization_id: organizationId, user_id: userId, added_at: nowSeconds() });
      if (!added) throw invalidRequest(`User '${userId}' is already a member of group '${groupId}'.`, 'user_id', 'user_already_in_group');
      await recordMembershipEvent(trx, principal, 'added', groupId, userId);
      return { object: 'group.user' as const, user_id: userId, group_id: groupId };
    }),
    removedMeanwhile,
  );
}

export async function removeGroupUser(db: Kysely<Database>, principal: Principal, groupId: string, userId: string) {
  const organizationId = principal.organizationId;
  return db.transaction().execute(async (trx) => {
    await requireGroup(trx, organizationId, groupId);
    if (!(await memberships.deleteGroupMember(trx, organizationId, groupId, userId))) throw notFound('user', userId, 'user_id');
    await recordMembershipEvent(trx, principal, 'removed', groupId, userId);
    return { object: 'group.user.deleted' as const, deleted: true };
  });
}
