import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { newId } from '../../src/lib/ids.ts';
import { nowSeconds } from '../../src/lib/time.ts';

/**
 * Rows the API under test does not create itself (projects and their members come from the
 * projects routes, built separately), written straight to the store.
 */
export async function addProject(
  db: Kysely<Database>,
  organizationId: string,
  name: string,
  options: { archived?: boolean } = {},
): Promise<string> {
  const id = newId('proj_');
  const now = nowSeconds();
  await db
    .insertInto('projects')
    .values({
      id,
      organization_id: organizationId,
      name,
      created_at: now,
      archived_at: options.archived ? now : null,
      status: options.archived ? 'archived' : 'active',
      external_key_id: null,
      residency: null,
    })
    .execute();
  return id;
}

/** Adds an organization member to a project with a predefined project role. */
export async function addProjectMember(
  db: Kysely<Database>,
  organizationId: string,
  projectId: string,
  userId: string,
  role: 'owner' | 'member' | 'viewer' = 'member',
): Promise<void> {
  await db
    .insertInto('project_users')
    .values({ project_id: projectId, organization_id: organizationId, user_id: userId, role, added_at: nowSeconds() })
    .execute();
}

/** The member's project role as stored: the legacy `role` of the project user. */
export async function projectRole(db: Kysely<Database>, projectId: string, userId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('project_users')
    .select('role')
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.role;
}

/** The project every organization is created with. */
export async function defaultProjectId(db: Kysely<Database>, organizationId: string): Promise<string> {
  const row = await db
    .selectFrom('projects')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('is_default', '=', 1)
    .executeTakeFirstOrThrow();
  return row.id;
}
