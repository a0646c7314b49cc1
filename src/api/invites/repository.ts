import type { Selectable } from 'kysely';
import type { Db, InviteProjectsTable, InvitesTable } from '../../db/schema.ts';

export type InviteRow = Omit<Selectable<InvitesTable>, 'organization_id'>;
export type ProjectGrantRow = Omit<Selectable<InviteProjectsTable>, 'invite_id'>;

function invites(db: Db, organizationId: string) {
  return db
    .selectFrom('invites')
    .select(['id', 'email', 'role', 'status', 'created_at', 'expires_at', 'accepted_at'])
    .where('organization_id', '=', organizationId);
}

export function findInvite(db: Db, organizationId: string, inviteId: string): Promise<InviteRow | undefined> {
  return invites(db, organizationId).where('id', '=', inviteId).executeTakeFirst();
}

/** One page in id order, reading `limit + 1` rows so the caller can tell whether more follow. */
export function listInvites(db: Db, organizationId: string, options: { limit: number; after?: string }): Promise<InviteRow[]> {
  let query = invites(db, organizationId);
  if (options.after !== undefined) query = query.where('id', '>', options.after);
  return query.orderBy('id').limit(options.limit + 1).execute();
}

/** The projects each invite grants, by invite id, in project id order. */
export async function grantsOf(db: Db, inviteIds: string[]): Promise<Map<string, ProjectGrantRow[]>> {
  const grants = new Map<string, ProjectGrantRow[]>(inviteIds.map((id) => [id, []]));
  if (inviteIds.length === 0) return grants;
  const rows = await db
    .selectFrom('invite_projects')
    .select(['invite_id', 'project_id', 'role'])
    .where('invite_id', 'in', inviteIds)
    .orderBy('invite_id')
    .orderBy('project_id')
    .execute();
  for (const row of rows) grants.get(row.invite_id)!.push({ project_id: row.project_id, role: row.role });
  return grants;
}

export async function insertInvite(db: Db, organizationId: string, row: InviteRow, grants: ProjectGrantRow[]): Promise<void> {
  await db.insertInto('invites').values({ ...row, organization_id: organizationId }).execute();
  if (grants.length > 0) {
    await db
      .insertInto('invite_projects')
      .values(grants.map((grant) => ({ ...grant, invite_id: row.id })))
      .execute();
  }
}

/**
 * Stores `expired` on this email's pending invite if it has lapsed, so it no longer holds the
 * one-pending-invite-per-email slot that a new invite needs.
 */
export async function expireLapsedInvite(db: Db, organizationId: string, email: string, now: number): Promise<void> {
  await db
    .updateTable('invites')
    .set({ status: 'expired' })
    .where('organization_id', '=', organizationId)
    .where('email', '=', email)
    .where('status', '=', 'pending')
    .where('expires_at', '<=', now)
    .execute();
}

/** Marks the invite accepted if it is still pending and unexpired; false when it was not. */
export async function markAccepted(db: Db, organizationId: string, inviteId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('invites')
    .set({ status: 'accepted', accepted_at: now })
    .where('organization_id', '=', organizationId)
    .where('id', '=', inviteId)
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Deletes the invite unless it has been accepted; false when nothing was deleted. */
export async function deleteUnacceptedInvite(db: Db, organizationId: string, inviteId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('invites')
    .where('organization_id', '=', organizationId)
    .where('id', '=', inviteId)
    .where('status', '!=', 'accepted')
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Makes a person a member of the organization; the membership key refuses a second one. */
export async function insertMember(db: Db, organizationId: string, userId: string, role: InviteRow['role'], now: number): Promise<void> {
  await db.insertInto('organization_users').values({ organization_id: organizationId, user_id: userId, role, added_at: now }).execute();
}
