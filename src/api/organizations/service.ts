import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import { newId } from '../../lib/ids.ts';
import { hashSecret, newAdminKeyValue, redactSecret } from '../../lib/secrets.ts';
import { nowSeconds } from '../../lib/time.ts';

/**
 * Organizations are not created through the OpenAI API; roster makes one on first start (and
 * tests make more). Creating one also creates its owner, an admin key for that owner, and the
 * default project every organization has.
 */
export interface NewOrganization {
  name: string;
  owner: { email: string; name: string | null };
  /** Use this value for the admin key instead of generating one. */
  adminKeyValue?: string;
}

export interface CreatedOrganization {
  organizationId: string;
  ownerId: string;
  adminKeyId: string;
  adminKeyValue: string;
}

/**
 * The user with this email, created if roster has never seen them. Insert-if-absent then read,
 * rather than read then insert: when two requests add the same new person at once (on two
 * instances), both end up with the one row instead of the second failing on the unique email.
 */
export async function findOrCreateUser(db: Db, email: string, name: string | null, now: number): Promise<string> {
  const normalized = email.toLowerCase();
  await db
    .insertInto('users')
    .values({ id: newId('user-'), email: normalized, name, created_at: now })
    .onConflict((oc) => oc.column('email').doNothing())
    .execute();
  const user = await db.selectFrom('users').select('id').where('email', '=', normalized).executeTakeFirstOrThrow();
  return user.id;
}

export async function insertAdminKey(
  db: Db,
  values: { organizationId: string; ownerId: string; name: string; value: string; now: number; expiresAt: number | null },
): Promise<string> {
  const id = newId('key_');
  await db
    .insertInto('admin_api_keys')
    .values({
      id,
      organization_id: values.organizationId,
      owner_user_id: values.ownerId,
      name: values.name,
      secret_hash: hashSecret(values.value),
      redacted_value: redactSecret(values.value),
      created_at: values.now,
      expires_at: values.expiresAt,
      last_used_at: null,
    })
    .execute();
  return id;
}

export async function createOrganization(db: Kysely<Database>, input: NewOrganization): Promise<CreatedOrganization> {
  const now = nowSeconds();
  const organizationId = newId('org-');
  const adminKeyValue = input.adminKeyValue ?? newAdminKeyValue();
  return db.transaction().execute(async (trx) => {
    await trx.insertInto('organizations').values({ id: organizationId, name: input.name, created_at: now }).execute();
    const ownerId = await findOrCreateUser(trx, input.owner.email, input.owner.name, now);
    await trx
      .insertInto('organization_users')
      .values({ organization_id: organizationId, user_id: ownerId, role: 'owner', added_at: now, is_default: 1 })
      .execute();
    await trx
      .insertInto('projects')
      .values({ id: newId('proj_'), organization_id: organizationId, name: 'Default project', created_at: now, is_default: 1 })
      .execute();
    const adminKeyId = await insertAdminKey(trx, {
      organizationId,
      ownerId,
      name: 'Bootstrap key',
      value: adminKeyValue,
      now,
      expiresAt: null,
    });
    return { organizationId, ownerId, adminKeyId, adminKeyValue };
  });
}

/** The organization roster made on first start: the oldest one. */
export async function firstOrganizationId(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom('organizations').select('id').orderBy('id').limit(1).executeTakeFirst();
  return row?.id;
}
