import { compiledQuery, type Arg } from '../../db/compiled-query.ts';
import type { Db } from '../../db/schema.ts';
import { keysWithOwners } from '../../api/project-api-keys/repository.ts';

/**
 * Everything the key check needs about a key, in one read: the key, its project's status, and its
 * owner's standing (the person's project seat and organization role, or the service account).
 * Compiled once: it runs whenever a key is not in the cache.
 */
const keyByHash = compiledQuery((db, arg: Arg<{ secretHash: string }>) =>
  keysWithOwners(db)
    .innerJoin('projects as p', 'p.id', 'k.project_id')
    .leftJoin('organization_users as m', (j) => j.onRef('m.organization_id', '=', 'k.organization_id').onRef('m.user_id', '=', 'k.owner_user_id'))
    .select([
      'k.id',
      'k.organization_id',
      'k.project_id',
      'k.scopes',
      'k.expires_at',
      'k.last_used_at',
      'k.deleted_at',
      'p.status as project_status',
      'k.owner_user_id',
      'u.email as user_email',
      'u.name as user_name',
      'pu.role as user_project_role',
      'm.role as user_organization_role',
      'k.owner_service_account_id',
      'sa.name as service_account_name',
      'sa.role as service_account_role',
    ])
    .where('k.secret_hash', '=', arg('secretHash')),
);

export type CheckedKeyRow = Awaited<ReturnType<typeof keyByHash>>[number];

export async function findKeyByHash(db: Db, secretHash: string): Promise<CheckedKeyRow | undefined> {
  return (await keyByHash(db, { secretHash }))[0];
}

export async function recordKeyUse(db: Db, keyId: string, now: number): Promise<void> {
  await db.updateTable('project_api_keys').set({ last_used_at: now }).where('id', '=', keyId).execute();
}
