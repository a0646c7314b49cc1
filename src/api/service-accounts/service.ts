import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import type { Principal } from '../../http/auth.ts';
import { invalidRequest, notFound } from '../../http/api-error.ts';
import { forgetCachedKeys } from '../../http/key-cache.ts';
import { toPage, type Page } from '../../http/pagination.ts';
import { newId } from '../../lib/ids.ts';
import { nowSeconds } from '../../lib/time.ts';
import { recordAuditEvent } from '../audit-logs/record.ts';
import { markKeysDeleted } from '../project-api-keys/repository.ts';
import { createProjectKey, type CreatedProjectKey } from '../project-api-keys/service.ts';
import { auditProject, lockActiveProject, requireActiveProject } from '../projects/service.ts';
import * as accounts from './repository.ts';
import type {
  CreateServiceAccountBody,
  CreateServiceAccountKeyBody,
  ListServiceAccountsQuery,
  ServiceAccount,
  UpdateServiceAccountBody,
} from './schemas.ts';

/** The name the real service gives a service account's first key. */
const FIRST_KEY_NAME = 'Secret Key';

export function toServiceAccount(row: accounts.ServiceAccountRow): ServiceAccount {
  return { object: 'organization.project.service_account', id: row.id, name: row.name, role: row.role, created_at: row.created_at };
}

function toApiKey(key: CreatedProjectKey) {
  return { object: 'organization.project.service_account.api_key' as const, ...key };
}

async function requireServiceAccount(db: Db, organizationId: string, projectId: string, id: string): Promise<accounts.ServiceAccountRow> {
  const row = await accounts.findServiceAccount(db, organizationId, projectId, id);
  if (!row) throw notFound('service account', id, 'service_account_id');
  return row;
}

/** Archived projects have no service accounts: every route refuses them (400 `project_archived`). */
export async function listServiceAccounts(
  db: Db,
  principal: Principal,
  projectId: string,
  query: ListServiceAccountsQuery,
): Promise<Page<ServiceAccount>> {
  await requireActiveProject(db, principal.organizationId, projectId);
  const rows = await accounts.listServiceAccounts(db, principal.organizationId, projectId, query);
  return toPage(rows, query.limit, toServiceAccount);
}

export async function retrieveServiceAccount(db: Db, principal: Principal, projectId: string, id: string): Promise<ServiceAccount> {
  await requireActiveProject(db, principal.organizationId, projectId);
  return toServiceAccount(await requireServiceAccount(db, principal.organizationId, projectId, id));
}

/**
 * A new service account with the `member` role and a first key, whose value is shown this once;
 * with `create_service_account_only`, one with no role and no key.
 */
export async function createServiceAccount(db: Kysely<Database>, principal: Principal, projectId: string, body: CreateServiceAccountBody) {
  const accountOnly = body.create_service_account_only === true;
  if (accountOnly && body.expires_in_seconds != null) {
    throw invalidRequest("'expires_in_seconds' sets the lifetime of the first key, and 'create_service_account_only' makes none.", 'expires_in_seconds');
  }
  return db.transaction().execute(async (trx) => {
    const project = await lockActiveProject(trx, principal.organizationId, projectId);
    const row: accounts.ServiceAccountRow = { id: newId('svc_acct_'), name: body.name, role: accountOnly ? 'none' : 'member', created_at: nowSeconds() };
    await accounts.insertServiceAccount(trx, principal.organizationId, projectId, row);
    await recordAuditEvent(trx, principal, {
      type: 'service_account.created',
      resourceId: row.id,
      details: { data: { role: row.role } },
      project: auditProject(project),
    });
    const key = accountOnly
      ? null
      : await createProjectKey(trx, principal, project, {
          owner: { serviceAccountId: row.id },
          name: FIRST_KEY_NAME,
          scopes: [],
          expiresInSeconds: body.expires_in_seconds,
        });
    return { ...toServiceAccount(row), api_key: key && toApiKey(key) };
  });
}

export async function updateServiceAccount(
  db: Kysely<Database>,
  principal: Principal,
  projectId: string,
  id: string,
  body: UpdateServiceAccountBody,
): Promise<ServiceAccount> {
  const organizationId = principal.organizationId;
  let roleChanged = false;
  const updated = await db.transaction().execute(async (trx) => {
    const project = await lockActiveProject(trx, organizationId, projectId);
    const current = await requireServiceAccount(trx, organizationId, projectId, id);
    const changes: Parameters<typeof accounts.updateServiceAccount>[2] = {};
    if (body.name !== undefined && body.name !== current.name) changes.name = body.name;
    if (body.role !== undefined && body.role !== current.role) changes.role = body.role;
    if (Object.keys(changes).length === 0) return toServiceAccount(current);
    roleChanged = changes.role !== undefined;
    await accounts.updateServiceAccount(trx, id, changes);
    await recordAuditEvent(trx, principal, {
      type: 'service_account.updated',
      resourceId: id,
      details: { changes_requested: changes },
      project: auditProject(project),
    });
    return toServiceAccount({ ...current, ...changes });
  });
  if (roleChanged) forgetCachedKeys(db); // key checks must not answer with the old role
  return updated;
}

/** Deletes the account and, in the same transaction, its keys. */
export async function deleteServiceAccount(db: Kysely<Database>, principal: Principal, projectId: string, id: string) {
  const organizationId = principal.organizationId;
  const deleted = await db.transaction().execute(async (trx) => {
    const project = await lockActiveProject(trx, organizationId, projectId);
    await requireServiceAccount(trx, organizationId, projectId, id);
    await markKeysDeleted(trx, { serviceAccountId: id }, nowSeconds());
    await accounts.deleteServiceAccount(trx, id);
    await recordAuditEvent(trx, principal, { type: 'service_account.deleted', resourceId: id, project: auditProject(project) });
    return { object: 'organization.project.service_account.deleted' as const, id, deleted: true };
  });
  forgetCachedKeys(db); // its keys are refused by this instance's very next key check
  return deleted;
}

export async function createServiceAccountKey(
  db: Kysely<Database>,
  principal: Principal,
  projectId: string,
  id: string,
  body: CreateServiceAccountKeyBody,
) {
  return db.transaction().execute(async (trx) => {
    const project = await lockActiveProject(trx, principal.organizationId, projectId);
    await requireServiceAccount(trx, principal.organizationId, projectId, id);
    const key = await createProjectKey(trx, principal, project, {
      owner: { serviceAccountId: id },
      name: body.name ?? FIRST_KEY_NAME,
      scopes: body.scopes ?? [],
      expiresInSeconds: body.expires_in_seconds,
    });
    return toApiKey(key);
  });
}
