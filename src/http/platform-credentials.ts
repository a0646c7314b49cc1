import type { Db } from '../db/schema.ts';
import { randomToken } from '../lib/ids.ts';
import { hashSecret } from '../lib/secrets.ts';
import { nowSeconds } from '../lib/time.ts';

/**
 * Credentials that belong to the platform running roster, not to any organization: the operator's
 * key (manages organizations, nothing else) and the gateways' token (asks the key check, nothing
 * else). One of each, stored as a digest like every key.
 */
export type PlatformCredential = 'operator' | 'gateway';

/** Makes `value` the credential of this kind, replacing the one before. */
export async function setPlatformCredential(db: Db, kind: PlatformCredential, value: string): Promise<void> {
  const values = { kind, secret_hash: hashSecret(value), created_at: nowSeconds() };
  await db
    .insertInto('platform_credentials')
    .values(values)
    .onConflict((oc) => oc.column('kind').doUpdateSet({ secret_hash: values.secret_hash, created_at: values.created_at }))
    .execute();
}

/** The kind of platform credential with this digest, if any. */
export async function findPlatformCredential(db: Db, secretHash: string): Promise<PlatformCredential | undefined> {
  const row = await db.selectFrom('platform_credentials').select('kind').where('secret_hash', '=', secretHash).executeTakeFirst();
  return row?.kind;
}

export async function hasPlatformCredential(db: Db, kind: PlatformCredential): Promise<boolean> {
  const row = await db.selectFrom('platform_credentials').select('kind').where('kind', '=', kind).executeTakeFirst();
  return row !== undefined;
}

export function newOperatorKeyValue(): string {
  return `sk-operator-${randomToken(64)}`;
}

/**
 * At start-up: the operator key is `configured` when given (ROSTER_OPERATOR_KEY, which replaces
 * any earlier one), else the one stored, else a new one, returned so it can be shown this once.
 * Callers hold the start-up lock, so instances starting together make one key.
 */
export async function ensureOperatorKey(db: Db, configured: string | undefined): Promise<string | undefined> {
  if (configured) {
    await setPlatformCredential(db, 'operator', configured);
    return undefined;
  }
  if (await hasPlatformCredential(db, 'operator')) return undefined;
  const generated = newOperatorKeyValue();
  await setPlatformCredential(db, 'operator', generated);
  return generated;
}
