import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import type { Principal } from '../../http/auth.ts';
import { invalidRequest, notFound } from '../../http/api-error.ts';
import { forgetCachedKeys } from '../../http/key-cache.ts';
import { toPage, type Page } from '../../http/pagination.ts';
import { newAdminKeyValue } from '../../lib/secrets.ts';
import { nowMillis, nowSeconds } from '../../lib/time.ts';
import { recordAuditEvent } from '../audit-logs/record.ts';
import { insertAdminKey } from '../organizations/service.ts';
import { lockOrganization } from '../organization-users/repository.ts';
import * as keys from './repository.ts';
import type { AdminApiKey, CreateAdminApiKeyBody, ListAdminApiKeysQuery } from './schemas.ts';

/**
 * roster has no restricted admin keys: every key may do everything, so every key carries the
 * full set of admin scopes. They are what `api_key.created` events report.
 */
export const ADMIN_KEY_SCOPES = ['api.management.read', 'api.management.write', 'api.audit_logs.read', 'api.usage.read'];

export function toAdminApiKey(row: keys.KeyRow): AdminApiKey {
  return {
    object: 'organization.admin_api_key',
    id: row.id,
    name: row.name,
    redacted_value: row.redacted_value,
    created_at: row.created_at,
    expires_at: row.expires_at,
    last_used_at: row.last_used_at,
    owner: {
      type: 'user',
      object: 'organization.user',
      id: row.owner_user_id,
      ...(row.owner_name === null ? {} : { name: row.owner_name }),
      created_at: row.owner_created_at,
      role: row.owner_role,
    },
  };
}

async function requireKey(db: Db, organizationId: string, keyId: string): Promise<keys.KeyRow> {
  const row = await keys.findKey(db, organizationId, keyId);
  if (!row) throw notFound('admin API key', keyId, 'key_id');
  return row;
}

export async function listKeys(db: Db, principal: Principal, query: ListAdminApiKeysQuery): Promise<Page<AdminApiKey>> {
  const rows = await keys.listKeys(db, principal.organizationId, query);
  return toPage(rows, query.limit, toAdminApiKey);
}

export async function retrieveKey(db: Db, principal: Principal, keyId: string): Promise<AdminApiKey> {
  return toAdminApiKey(await requireKey(db, principal.organizationId, keyId));
}

/**
 * Rounded up to a whole second, so a key lives at least as long as asked even when it is created
 * late in a second.
 */
function expiryFor(expiresInSeconds: number | undefined): number | null {
  return expiresInSeconds === undefined ? null : Math.ceil(nowMillis() / 1000 + expiresInSeconds);
}

/**
 * A new key for the caller's own member: the value is returned here and never again. Audited as
 * `api_key.created`, the organization event the reference gives a payload; its
 * `tenant.admin_api_key.*` types belong to tenant-wide logs, which roster does not keep.
 */
export async function createKey(db: Kysely<Database>, principal: Principal, body: CreateAdminApiKeyBody) {
  const value = newAdminKeyValue();
  const organizationId = principal.organizationId;
  return db.transaction().execute(async (trx) => {
    const id = await insertAdminKey(trx, {
      organizationId,
      ownerId: principal.userId,
      name: body.name,
      value,
      now: nowSeconds(),
      expiresAt: expiryFor(body.expires_in_seconds),
    });
    await recordAuditEvent(trx, principal, { type: 'api_key.created', resourceId: id, details: { data: { scopes: ADMIN_KEY_SCOPES } } });
    return { ...toAdminApiKey(await requireKey(trx, organizationId, id)), value };
  });
}

/**
 * Deletes a key; it is refused from the next request on. A key may delete itself (that is how a
 * leaked key is revoked by whoever holds it), but the organization's last unexpired key may not
 * be deleted: roster has no other way in, so that would lock the organization out for good.
 */
export async function deleteKey(db: Kysely<Database>, principal: Principal, keyId: string) {
  const organizationId = principal.organizationId;
  const deleted = await db.transaction().execute(async (trx) => {
    await lockOrganization(trx, organizationId);
    const key = await requireKey(trx, organizationId, keyId);
    const now = nowSeconds();
    const expired = key.expires_at !== null && key.expires_at <= now;
    if (!expired && !(await keys.hasOtherUsableKey(trx, organizationId, keyId, now))) {
      throw invalidRequest(
        'Cannot delete the last admin key of the organization: create another key first.',
        'key_id',
        'last_admin_key',
      );
    }
    await keys.deleteKey(trx, organizationId, keyId);
    await recordAuditEvent(trx, principal, { type: 'api_key.deleted', resourceId: keyId });
    return { id: keyId, object: 'organization.admin_api_key.deleted' as const, deleted: true };
  });
  forgetCachedKeys(db); // refused from this instance's very next request, not after the cache's TTL
  return deleted;
}
