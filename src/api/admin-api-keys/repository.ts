import type { Db } from '../../db/schema.ts';

/** Keys joined with their owner: everything an admin key object shows. */
function keys(db: Db, organizationId: string) {
  return db
    .selectFrom('admin_api_keys as k')
    .innerJoin('organization_users as m', (j) =>
      j.onRef('m.organization_id', '=', 'k.organization_id').onRef('m.user_id', '=', 'k.owner_user_id'),
    )
    .innerJoin('users as u', 'u.id', 'k.owner_user_id')
    .select([
      'k.id',
      'k.name',
      'k.redacted_value',
      'k.created_at',
      'k.expires_at',
      'k.last_used_at',
      'k.owner_user_id',
      'u.name as owner_name',
      'u.created_at as owner_created_at',
      'm.role as owner_role',
    ])
    .where('k.organization_id', '=', organizationId);
}

export type KeyRow = NonNullable<Awaited<ReturnType<ReturnType<typeof keys>['executeTakeFirst']>>>;

export function findKey(db: Db, organizationId: string, keyId: string): Promise<KeyRow | undefined> {
  return keys(db, organizationId).where('k.id', '=', keyId).executeTakeFirst();
}

/** One page in creation order (ids sort by creation), reading `limit + 1` rows for an exact has_more. */
export function listKeys(
  db: Db,
  organizationId: string,
  options: { limit: number; after?: string; order: 'asc' | 'desc' },
): Promise<KeyRow[]> {
  let query = keys(db, organizationId);
  if (options.after !== undefined) query = query.where('k.id', options.order === 'asc' ? '>' : '<', options.after);
  return query.orderBy('k.id', options.order).limit(options.limit + 1).execute();
}

/** Whether any key other than `keyId` would still let someone into the organization. */
export async function hasOtherUsableKey(db: Db, organizationId: string, keyId: string, now: number): Promise<boolean> {
  const other = await db
    .selectFrom('admin_api_keys')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('id', '!=', keyId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .limit(1)
    .executeTakeFirst();
  return other !== undefined;
}

export async function deleteKey(db: Db, organizationId: string, keyId: string): Promise<void> {
  await db.deleteFrom('admin_api_keys').where('organization_id', '=', organizationId).where('id', '=', keyId).execute();
}
