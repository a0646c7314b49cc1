import { sql } from 'kysely';
import type { Db } from '../../db/schema.ts';
import type { OwnerProjectAccess } from './schemas.ts';

/**
 * Keys (`k`) joined with their owner: the person (`u`) and their seat in the key's project (`pu`,
 * absent once they left), or the service account (`sa`).
 */
export function keysWithOwners(db: Db) {
  return db
    .selectFrom('project_api_keys as k')
    .leftJoin('users as u', 'u.id', 'k.owner_user_id')
    .leftJoin('project_users as pu', (j) => j.onRef('pu.project_id', '=', 'k.project_id').onRef('pu.user_id', '=', 'k.owner_user_id'))
    .leftJoin('service_accounts as sa', 'sa.id', 'k.owner_service_account_id');
}

/** Live (not deleted) keys of a project, with everything a project API key object shows. */
function keys(db: Db, organizationId: string, projectId: string) {
  return keysWithOwners(db)
    .select([
      'k.id',
      'k.name',
      'k.redacted_value',
      'k.scopes',
      'k.created_at',
      'k.expires_at',
      'k.last_used_at',
      'k.owner_user_id',
      'u.email as user_email',
      'u.name as user_name',
      'u.created_at as user_created_at',
      'pu.role as user_project_role',
      'k.owner_service_account_id',
      'sa.name as service_account_name',
      'sa.created_at as service_account_created_at',
      'sa.role as service_account_role',
    ])
    .where('k.organization_id', '=', organizationId)
    .where('k.project_id', '=', projectId)
    .where('k.deleted_at', 'is', null);
}

export type ProjectKeyRow = NonNullable<Awaited<ReturnType<ReturnType<typeof keys>['executeTakeFirst']>>>;

export function findKey(db: Db, organizationId: string, projectId: string, keyId: string): Promise<ProjectKeyRow | undefined> {
  return keys(db, organizationId, projectId).where('k.id', '=', keyId).executeTakeFirst();
}

/** One page in id order, reading `limit + 1` rows so the caller can tell whether more follow. */
export function listKeys(
  db: Db,
  organizationId: string,
  projectId: string,
  options: { limit: number; after?: string; access: OwnerProjectAccess },
): Promise<ProjectKeyRow[]> {
  let query = keys(db, organizationId, projectId);
  if (options.after !== undefined) query = query.where('k.id', '>', options.after);
  // The owner has access while they sit in the project, or (a service account) hold a role in it.
  const hasAccess = sql<boolean>`(pu.user_id is not null or (sa.id is not null and sa.role <> 'none'))`;
  if (options.access === 'active') query = query.where(hasAccess);
  if (options.access === 'inactive') query = query.where(sql<boolean>`not ${hasAccess}`);
  return query.orderBy('k.id').limit(options.limit + 1).execute();
}

export interface NewProjectKey {
  id: string;
  organizationId: string;
  projectId: string;
  owner: { userId: string } | { serviceAccountId: string };
  name: string;
  secretHash: string;
  redactedValue: string;
  scopes: string[];
  createdAt: number;
  expiresAt: number | null;
}

export async function insertKey(db: Db, key: NewProjectKey): Promise<void> {
  await db
    .insertInto('project_api_keys')
    .values({
      id: key.id,
      organization_id: key.organizationId,
      project_id: key.projectId,
      owner_user_id: 'userId' in key.owner ? key.owner.userId : null,
      owner_service_account_id: 'serviceAccountId' in key.owner ? key.owner.serviceAccountId : null,
      name: key.name,
      secret_hash: key.secretHash,
      redacted_value: key.redactedValue,
      scopes: JSON.stringify(key.scopes),
      created_at: key.createdAt,
      expires_at: key.expiresAt,
      last_used_at: null,
      deleted_at: null,
    })
    .execute();
}

export async function updateKey(db: Db, keyId: string, changes: { scopes?: string; expires_at?: number | null }): Promise<void> {
  await db.updateTable('project_api_keys').set(changes).where('id', '=', keyId).execute();
}

/** Marks the keys deleted; their rows stay so the key check can say why they are refused. */
export async function markKeysDeleted(db: Db, where: { keyId: string } | { serviceAccountId: string }, now: number): Promise<void> {
  let query = db.updateTable('project_api_keys').set({ deleted_at: now }).where('deleted_at', 'is', null);
  query = 'keyId' in where ? query.where('id', '=', where.keyId) : query.where('owner_service_account_id', '=', where.serviceAccountId);
  await query.execute();
}
