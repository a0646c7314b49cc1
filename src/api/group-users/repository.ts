import type { Db } from '../../db/schema.ts';
import type { NextCursorQuery } from '../../http/pagination.ts';
import { cursorWindow } from '../roles/listing.ts';

/** A group's memberships joined with the person and their organization membership. */
function groupMembers(db: Db, organizationId: string, groupId: string) {
  return db
    .selectFrom('group_users as gu')
    .innerJoin('users as u', 'u.id', 'gu.user_id')
    .innerJoin('organization_users as m', (join) => join.onRef('m.organization_id', '=', 'gu.organization_id').onRef('m.user_id', '=', 'gu.user_id'))
    .select(['gu.user_id as id', 'u.name', 'u.email', 'm.is_service_account'])
    .where('gu.organization_id', '=', organizationId)
    .where('gu.group_id', '=', groupId);
}

export type GroupMemberRow = NonNullable<Awaited<ReturnType<ReturnType<typeof groupMembers>['executeTakeFirst']>>>;

export function findGroupMember(db: Db, organizationId: string, groupId: string, userId: string): Promise<GroupMemberRow | undefined> {
  return groupMembers(db, organizationId, groupId).where('gu.user_id', '=', userId).executeTakeFirst();
}

/** One keyset window in user id order (ids follow creation, so `desc` is newest first). */
export function listGroupMembers(db: Db, organizationId: string, groupId: string, options: NextCursorQuery): Promise<GroupMemberRow[]> {
  return cursorWindow(groupMembers(db, organizationId, groupId), 'gu.user_id', options).execute();
}

/** Adds the membership unless it exists (also under a concurrent twin); true when added. */
export async function insertGroupMember(db: Db, row: { group_id: string; organization_id: string; user_id: string; added_at: number }): Promise<boolean> {
  const result = await db
    .insertInto('group_users')
    .values(row)
    .onConflict((conflict) => conflict.columns(['group_id', 'user_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** True when there was a membership to end. */
export async function deleteGroupMember(db: Db, organizationId: string, groupId: string, userId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('group_users')
    .where('organization_id', '=', organizationId)
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
