import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { compiledQuery, type Arg } from '../db/compiled-query.ts';
import type { Database } from '../db/schema.ts';
import { hashSecret, redactSecret } from '../lib/secrets.ts';
import { nowSeconds } from '../lib/time.ts';
import { ApiError } from './api-error.ts';
import { cachedKeys } from './key-cache.ts';
import { findPlatformCredential } from './platform-credentials.ts';

/**
 * Who is calling. roster accepts three kinds of credential, each good for its own routes:
 * - an admin key (`sk-admin-…`): the OpenAI routes and roster's per-organization extensions, always
 *   within the key's organization (the Principal);
 * - the operator key: organization management (`/roster/v1/organizations`) and nothing else;
 * - the gateway token: the key check (`/roster/v1/keys/check`) and nothing else.
 * Routes declare which kinds they accept (`requireCredential`); every request is authenticated
 * the one way, by `authenticate`.
 */
export type CredentialKind = 'admin_key' | 'operator' | 'gateway_token';

export type Caller = { kind: 'admin_key'; principal: Principal } | { kind: 'operator' } | { kind: 'gateway_token' };

/** An admin key, the member who owns it, and where the request came from. */
export interface Principal {
  organizationId: string;
  keyId: string;
  userId: string;
  userEmail: string;
  ipAddress: string;
  userAgent: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on routes that accept admin keys, when an admin key called. */
    principal: Principal;
    caller: Caller;
  }
}

/** `last_used_at` is written at most once a minute per key, not on every request. */
const LAST_USED_RESOLUTION_SECONDS = 60;

function missingKey(): ApiError {
  return new ApiError(
    401,
    "You didn't provide an API key. Send your admin key in the Authorization header using Bearer auth (Authorization: Bearer YOUR_ADMIN_KEY).",
  );
}

function incorrectKey(presented: string): ApiError {
  return new ApiError(401, `Incorrect API key provided: ${redactSecret(presented)}. Check the key, or create a new admin key.`, {
    code: 'invalid_api_key',
  });
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : '';
}

// The join on organization_users is what retires a key whose owner left the organization.
const keyByHash = compiledQuery((db, arg: Arg<{ secretHash: string }>) =>
  db
    .selectFrom('admin_api_keys as k')
    .innerJoin('organization_users as m', (j) =>
      j.onRef('m.organization_id', '=', 'k.organization_id').onRef('m.user_id', '=', 'k.owner_user_id'),
    )
    .innerJoin('users as u', 'u.id', 'k.owner_user_id')
    .select(['k.id', 'k.organization_id', 'k.owner_user_id', 'k.expires_at', 'k.last_used_at', 'u.email'])
    .where('k.secret_hash', '=', arg('secretHash')),
);

type AdminKeyRow = Awaited<ReturnType<typeof keyByHash>>[number];
type Credential = { kind: 'admin_key'; key: AdminKeyRow } | { kind: 'operator' } | { kind: 'gateway_token' };

async function loadCredential(db: Kysely<Database>, token: string): Promise<Credential | undefined> {
  const secretHash = hashSecret(token);
  const [key] = await keyByHash(db, { secretHash });
  if (key) return { kind: 'admin_key', key };
  const platform = await findPlatformCredential(db, secretHash);
  if (platform === 'operator') return { kind: 'operator' };
  if (platform === 'gateway') return { kind: 'gateway_token' };
  return undefined;
}

const CREDENTIAL_NAMES: Record<CredentialKind, string> = {
  admin_key: 'an admin key',
  operator: 'the operator key',
  gateway_token: 'the gateway token',
};

function notAccepted(presented: CredentialKind, accepted: readonly CredentialKind[]): ApiError {
  const wanted = accepted.map((kind) => CREDENTIAL_NAMES[kind]).join(' or ');
  return new ApiError(403, `This route needs ${wanted}; ${CREDENTIAL_NAMES[presented]} cannot call it.`, { code: 'credential_not_accepted' });
}

/** Authenticates the request with a credential of one of the `accepted` kinds: 401 unknown, 403 of another kind. */
export async function authenticate(db: Kysely<Database>, request: FastifyRequest, accepted: readonly CredentialKind[]): Promise<Caller> {
  const token = bearerToken(request);
  if (token === undefined || token === '') throw missingKey();

  const credential = await cachedKeys(db).lookup(token, () => loadCredential(db, token));
  if (!credential) throw incorrectKey(token);
  if (!accepted.includes(credential.kind)) throw notAccepted(credential.kind, accepted);
  if (credential.kind !== 'admin_key') return { kind: credential.kind };

  const { key } = credential;
  const now = nowSeconds();
  if (key.expires_at !== null && key.expires_at <= now) {
    throw new ApiError(401, `The API key ${redactSecret(token)} has expired. Create a new admin key.`, { code: 'invalid_api_key' });
  }
  if (key.last_used_at === null || now - key.last_used_at >= LAST_USED_RESOLUTION_SECONDS) {
    await recordKeyUse(db, key.id, key.organization_id, key.owner_user_id, now);
    key.last_used_at = now; // the row may be cached: later requests must not record the use again
  }
  const principal = {
    organizationId: key.organization_id,
    keyId: key.id,
    userId: key.owner_user_id,
    userEmail: key.email,
    ipAddress: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
  };
  return { kind: 'admin_key', principal };
}

/**
 * Member row first, then key row: the order in which removing a member locks them (the delete
 * cascades from the member to their keys). The opposite order deadlocks on PostgreSQL when a key
 * is used on one instance while its owner is removed on another.
 */
async function recordKeyUse(db: Kysely<Database>, keyId: string, organizationId: string, userId: string, now: number) {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('organization_users')
      .set({ api_key_last_used_at: now })
      .where('organization_id', '=', organizationId)
      .where('user_id', '=', userId)
      .execute();
    await trx.updateTable('admin_api_keys').set({ last_used_at: now }).where('id', '=', keyId).execute();
  });
}

/** Requires a credential of one of the `accepted` kinds on every route of the instance it is registered on. */
export function requireCredential(app: FastifyInstance, db: Kysely<Database>, accepted: readonly CredentialKind[]): void {
  app.decorateRequest('principal', null as unknown as Principal);
  app.decorateRequest<Caller | null>('caller', null);
  app.addHook('onRequest', async (request) => {
    const caller = await authenticate(db, request, accepted);
    request.caller = caller;
    if (caller.kind === 'admin_key') request.principal = caller.principal;
  });
}

/** Requires an admin key on every route of the instance it is registered on. */
export function requireAdminKey(app: FastifyInstance, db: Kysely<Database>): void {
  requireCredential(app, db, ['admin_key']);
}

/** Requires the operator key: the routes of the platform that runs roster, above every organization. */
export function requireOperator(app: FastifyInstance, db: Kysely<Database>): void {
  requireCredential(app, db, ['operator']);
}
