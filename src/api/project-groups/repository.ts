import type { Db } from '../../db/schema.ts';
import type { NextCursorQuery } from '../../http/pagination.ts';
import { cursorWindow } from '../roles/listing.ts';

/** A project's group seats joined with the groups. */
function seatedGroups(db: Db, organizationId: string, projectId: string) {
  return db
    .selectFrom('project_groups as pg')
    .innerJoin('groups as g', 'g.id', 'pg.group_id')
    .select(['pg.project_id', 'pg.group_id', 'g.name as group_name', 'pg.created_at'])
    .where('pg.organization_id', '=', organizationId)
    .where('pg.project_id', '=', projectId);
}

export type ProjectGroupRow = NonNullable<Awaited<ReturnType<ReturnType<typeof seatedGroups>['executeTakeFirst']>>>;

export function findProjectGroup(db: Db, organizationId: string, projectId: string, groupId: string): Promise<ProjectGroupRow | undefined> {
  return seatedGroups(db, organizationId, projectId).where('pg.group_id', '=', groupId).executeTakeFirst();
}

/** One keyset window in group id order. */
export function listProjectGroups(db: Db, organizationId: string, projectId: string, options: NextCursorQuery): Promise<ProjectGroupRow[]> {
  return cursorWindow(seatedGroups(db, organizationId, projectId), 'pg.group_id', options).execute();
}

/** Seats the group unless it is seated already; true when seated. */
export async function insertProjectGroup(db: Db, row: { project_id: string; group_id: string; organization_id: string; created_at: number }): Promise<boolean> {
  const result = await db
    .insertInto('project_groups')
    .values(row)
    .onConflict((conflict) => conflict.columns(['project_id', 'group_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** True when there was a seat to remove; the group's roles in the project go with it. */
export async function deleteProjectGroup(db: Db, projectId: string, groupId: string): Promise<boolean> {
  const result = await db.deleteFrom('project_groups').where('project_id', '=', projectId).where('group_id', '=', groupId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Takes the seat's row lock for the rest of the transaction, so that two changes to the group's
 * roles in the project see each other; false when the group is not seated there.
 */
export async function lockProjectGroup(db: Db, projectId: string, groupId: string): Promise<boolean> {
  const result = await db
    .updateTable('project_groups')
    .set((eb) => ({ group_id: eb.ref('group_id') }))
    .where('project_id', '=', projectId)
    .where('group_id', '=', groupId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The groups through which the user reaches the project (groups they belong to that are seated in it). */
export function groupsSeatingUser(db: Db, organizationId: string, projectId: string, userId: string): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('group_users as gu')
    .innerJoin('project_groups as pg', 'pg.group_id', 'gu.group_id')
    .innerJoin('groups as g', 'g.id', 'gu.group_id')
    .select(['g.id', 'g.name'])
    .where('gu.organization_id', '=', organizationId)
    .where('gu.user_id', '=', userId)
    .where('pg.project_id', '=', projectId)
    .orderBy('g.id')
    .execute();
}
