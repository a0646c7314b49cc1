import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import type { Principal } from '../../http/auth.ts';
import { invalidRequest, notFound } from '../../http/api-error.ts';
import { forgetCachedKeys } from '../../http/key-cache.ts';
import { toPage, type Page } from '../../http/pagination.ts';
import { newId } from '../../lib/ids.ts';
import { hashSecret, newProjectKeyValue, redactSecret } from '../../lib/secrets.ts';
import { expiryAfter, nowSeconds } from '../../lib/time.ts';
import { recordAuditEvent } from '../audit-logs/record.ts';
import type { ProjectRow } from '../projects/repository.ts';
import { auditProject, lockActiveProject, requireProject } from '../projects/service.ts';
import * as keys from './repository.ts';
import type { ListProjectApiKeysQuery, ProjectApiKey, UpdateProjectApiKeyBody } from './schemas.ts';

export function toProjectApiKey(row: keys.ProjectKeyRow): ProjectApiKey {
  const base = {
    object: 'organization.project.api_key' as const,
    id: row.id,
    name: row.name,
    redacted_value: row.redacted_value,
    created_at: row.created_at,
    expires_at: row.expires_at,
    last_used_at: row.last_used_at,
    scopes: JSON.parse(row.scopes) as string[],
  };
  if (row.owner_service_account_id !== null) {
    const role = row.service_account_role!;
    return {
      ...base,
      owner_project_access: role === 'none' ? 'inactive' : 'active',
      owner: {
        type: 'service_account',
        service_account: { id: row.owner_service_account_id, name: row.service_account_name!, created_at: row.service_account_created_at!, role },
      },
    };
  }
  return {
    ...base,
    owner_project_access: row.user_project_role === null ? 'inactive' : 'active',
    owner: {
      type: 'user',
      user: {
        id: row.owner_user_id!,
        email: row.user_email!,
        name: row.user_name ?? '',
        created_at: row.user_created_at!,
        role: row.user_project_role ?? 'none',
      },
    },
  };
}

async function requireKey(db: Db, organizationId: string, projectId: string, keyId: string): Promise<keys.ProjectKeyRow> {
  const row = await keys.findKey(db, organizationId, projectId, keyId);
  if (!row) throw notFound('API key', keyId, 'api_key_id');
  return row;
}

/** Keys of archived projects stay readable (they are all refused by the key check). */
export async function listKeys(db: Db, principal: Principal, projectId: string, query: ListProjectApiKeysQuery): Promise<Page<ProjectApiKey>> {
  await requireProject(db, principal.organizationId, projectId);
  const rows = await keys.listKeys(db, principal.organizationId, projectId, {
    limit: query.limit,
    after: query.after,
    access: query.owner_project_access ?? 'active',
  });
  return toPage(rows, query.limit, toProjectApiKey);
}

export async function retrieveKey(db: Db, principal: Principal, projectId: string, keyId: string): Promise<ProjectApiKey> {
  await requireProject(db, principal.organizationId, projectId);
  return toProjectApiKey(await requireKey(db, principal.organizationId, projectId, keyId));
}

export interface CreatedProjectKey {
  id: string;
  value: string;
  name: string;
  created_at: number;
  expires_at: number | null;
}

export interface NewKeyFor {
  owner: keys.NewProjectKey['owner'];
  name: string;
  scopes: string[];
  expiresInSeconds?: number | null;
  /** A fixed clear value (an emulator fixture's); otherwise a new random one. */
  value?: string;
  id?: string;
}

/** Writes a key of `project` inside the caller's transaction; the clear value is returned here and never again. */
export async function insertProjectKey(trx: Db, organizationId: string, projectId: string, key: NewKeyFor): Promise<CreatedProjectKey> {
  const value = key.value ?? newProjectKeyValue('userId' in key.owner ? 'user' : 'service_account');
  const created = { id: key.id ?? newId('key_'), value, name: key.name, created_at: nowSeconds(), expires_at: expiryAfter(key.expiresInSeconds) };
  await keys.insertKey(trx, {
    id: created.id,
    organizationId,
    projectId,
    owner: key.owner,
    name: key.name,
    secretHash: hashSecret(value),
    redactedValue: redactSecret(value),
    scopes: key.scopes,
    createdAt: created.created_at,
    expiresAt: created.expires_at,
  });
  return created;
}

/**
 * Makes a key for a person or a service account of `project`, inside the caller's transaction,
 * and records `api_key.created`.
 */
export async function createProjectKey(
  trx: Db,
  principal: Principal,
  project: Pick<ProjectRow, 'id' | 'name'>,
  key: Omit<NewKeyFor, 'value' | 'id'>,
): Promise<CreatedProjectKey> {
  const created = await insertProjectKey(trx, principal.organizationId, project.id, key);
  await recordAuditEvent(trx, principal, {
    type: 'api_key.created',
    resourceId: created.id,
    details: { data: { scopes: key.scopes } },
    project: auditProject(project),
  });
  return created;
}

/**
 * A key for a person who sits in the project (roster's stand-in for the dashboard, where the real
 * service makes these). Answers with the key object and, this once, its value.
 */
export async function createUserKey(
  db: Kysely<Database>,
  principal: Principal,
  projectId: string,
  body: { user_id: string; name: string; scopes?: string[]; expires_in_seconds?: number },
): Promise<ProjectApiKey & { value: string }> {
  const organizationId = principal.organizationId;
  return db.transaction().execute(async (trx) => {
    const project = await lockActiveProject(trx, organizationId, projectId);
    const seat = await trx
      .selectFrom('project_users')
      .select('user_id')
      .where('project_id', '=', projectId)
      .where('user_id', '=', body.user_id)
      .executeTakeFirst();
    if (!seat) {
      throw invalidRequest(`User '${body.user_id}' is not a member of project '${projectId}'; add them to the project first.`, 'user_id', 'user_not_in_project');
    }
    const created = await createProjectKey(trx, principal, project, {
      owner: { userId: body.user_id },
      name: body.name,
      scopes: body.scopes ?? [],
      expiresInSeconds: body.expires_in_seconds,
    });
    return { ...toProjectApiKey(await requireKey(trx, organizationId, projectId, created.id)), value: created.value };
  });
}

function isExpired(row: Pick<keys.ProjectKeyRow, 'expires_at'>): boolean {
  return row.expires_at !== null && row.expires_at <= nowSeconds();
}

/** Changes a key's scopes and/or lifetime; an expired key cannot be brought back. */
export async function updateKey(
  db: Kysely<Database>,
  principal: Principal,
  projectId: string,
  keyId: string,
  body: UpdateProjectApiKeyBody,
): Promise<ProjectApiKey> {
  const organizationId = principal.organizationId;
  const updated = await db.transaction().execute(async (trx) => {
    const project = await lockActiveProject(trx, organizationId, projectId);
    const current = await requireKey(trx, organizationId, projectId, keyId);
    if (body.scopes === undefined && body.expires_in_seconds === undefined) {
      throw invalidRequest("Send 'scopes', 'expires_in_seconds' or both.", null, 'missing_required_parameter');
    }
    if (isExpired(current)) throw invalidRequest(`API key '${keyId}' has expired and cannot be updated.`, 'api_key_id', 'api_key_expired');
    const changes: { scopes?: string; expires_at?: number | null } = {};
    if (body.scopes !== undefined) changes.scopes = JSON.stringify(body.scopes);
    if (body.expires_in_seconds !== undefined) changes.expires_at = expiryAfter(body.expires_in_seconds);
    await keys.updateKey(trx, keyId, changes);
    await recordAuditEvent(trx, principal, {
      type: 'api_key.updated',
      resourceId: keyId,
      details: { changes_requested: { ...(body.scopes !== undefined && { scopes: body.scopes }), ...(changes.expires_at !== undefined && { expires_at: changes.expires_at }) } },
      project: auditProject(project),
    });
    return toProjectApiKey({ ...current, ...changes });
  });
  forgetCachedKeys(db); // the key check must not answer with the old scopes or lifetime
  return updated;
}

/** Deletes a person's key. A service account's keys go with the account, as the reference has it. */
export async function deleteKey(db: Kysely<Database>, principal: Principal, projectId: string, keyId: string) {
  const organizationId = principal.organizationId;
  const deleted = await db.transaction().execute(async (trx) => {
    const project = await lockActiveProject(trx, organizationId, projectId);
    const current = await requireKey(trx, organizationId, projectId, keyId);
    if (current.owner_service_account_id !== null) {
      throw invalidRequest(
        `API key '${keyId}' belongs to service account '${current.owner_service_account_id}'; delete the service account to delete its keys.`,
        'api_key_id',
        'service_account_key',
      );
    }
    await keys.markKeysDeleted(trx, { keyId }, nowSeconds());
    await recordAuditEvent(trx, principal, { type: 'api_key.deleted', resourceId: keyId, project: auditProject(project) });
    return { object: 'organization.project.api_key.deleted' as const, id: keyId, deleted: true };
  });
  forgetCachedKeys(db); // refused by this instance's very next key check
  return deleted;
}
