import type { Selectable } from 'kysely';
import type { Db, OrganizationsTable } from '../../db/schema.ts';

export type OrganizationRow = Selectable<OrganizationsTable>;

function organizations(db: Db) {
  return db.selectFrom('organizations').select(['id', 'name', 'created_at']);
}

export function findOrganization(db: Db, id: string): Promise<OrganizationRow | undefined> {
  return organizations(db).where('id', '=', id).executeTakeFirst();
}

/** One page in id order (creation order), reading `limit + 1` rows so the caller can tell whether more follow. */
export function listOrganizations(db: Db, options: { limit: number; after?: string }): Promise<OrganizationRow[]> {
  let query = organizations(db);
  if (options.after !== undefined) query = query.where('id', '>', options.after);
  return query.orderBy('id').limit(options.limit + 1).execute();
}

/**
 * Removes the organization and everything of it: its audit trail (which has no foreign keys, so it
 * can outlive what it describes), then the organization row, whose deletion cascades to every table
 * that hangs from it (members and their keys, projects and their seats, service accounts and
 * project keys, invites, roles and assignments). People stay: they may belong to other organizations.
 */
export async function deleteOrganization(db: Db, id: string): Promise<void> {
  await db.deleteFrom('audit_logs').where('organization_id', '=', id).execute();
  await db.deleteFrom('organizations').where('id', '=', id).execute();
}
