import type { Selectable } from 'kysely';
import type { Db, GroupsTable } from '../../db/schema.ts';
import type { NextCursorQuery } from '../../http/pagination.ts';
import { cursorWindow } from '../roles/listing.ts';

export type GroupRow = Omit<Selectable<GroupsTable>, 'organization_id' | 'name_key'>;

function groups(db: Db, organizationId: string) {
  return db.selectFrom('groups').select(['id', 'name', 'created_at', 'is_scim_managed']).where('organization_id', '=', organizationId);
}

export function findGroup(db: Db, organizationId: string, groupId: string): Promise<GroupRow | undefined> {
  return groups(db, organizationId).where('id', '=', groupId).executeTakeFirst();
}

export function listGroups(db: Db, organizationId: string, options: NextCursorQuery): Promise<GroupRow[]> {
  return cursorWindow(groups(db, organizationId), 'id', options).execute();
}

/** Names compare without regard to case: the unique index is on this key. */
export function nameKey(name: string): string {
  return name.toLowerCase();
}

export async function insertGroup(db: Db, organizationId: string, row: GroupRow): Promise<void> {
  await db
    .insertInto('groups')
    .values({ ...row, organization_id: organizationId, name_key: nameKey(row.name) })
    .execute();
}

export async function renameGroup(db: Db, organizationId: string, groupId: string, name: string): Promise<void> {
  await db.updateTable('groups').set({ name, name_key: nameKey(name) }).where('organization_id', '=', organizationId).where('id', '=', groupId).execute();
}

/** True when there was a group to delete; memberships, seats and role assignments go with it. */
export async function deleteGroup(db: Db, organizationId: string, groupId: string): Promise<boolean> {
  const result = await db.deleteFrom('groups').where('organization_id', '=', organizationId).where('id', '=', groupId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The groups with these ids, in id order. */
export function findGroups(db: Db, organizationId: string, groupIds: string[]): Promise<GroupRow[]> {
  return groups(db, organizationId).where('id', 'in', groupIds).orderBy('id').execute();
}
