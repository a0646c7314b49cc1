import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import { ApiError, invalidRequest } from '../../http/api-error.ts';
import type { Principal } from '../../http/auth.ts';
import { nowSeconds } from '../../lib/time.ts';
import { readableScope, recordSettingChange, writableScope, type ScopeRef } from '../policy/scope.ts';
import type { ModelCatalogue } from '../rate-limits/catalogue.ts';
import * as permissions from './repository.ts';
import type { ProjectModelPermissions, UpdateModelPermissionsBody } from './schemas.ts';

/** A project that set nothing may use every model: an empty deny list. */
const UNRESTRICTED: permissions.ModelPermissionsRow = { mode: 'deny_list', model_ids: [] };

function toModelPermissions(row: permissions.ModelPermissionsRow): ProjectModelPermissions {
  return { object: 'project.model_permissions', mode: row.mode, model_ids: row.model_ids };
}

export async function retrieveModelPermissions(db: Db, ref: ScopeRef): Promise<ProjectModelPermissions> {
  const scope = await readableScope(db, ref);
  return toModelPermissions((await permissions.findModelPermissions(db, scope.scopeId)) ?? UNRESTRICTED);
}

/** The models of the catalogue a project may use. */
export async function allowedModels(db: Db, catalogue: ModelCatalogue, projectId: string): Promise<string[]> {
  const { mode, model_ids } = (await permissions.findModelPermissions(db, projectId)) ?? UNRESTRICTED;
  const listed = new Set(model_ids);
  return [...catalogue.keys()].filter((model) => listed.has(model) === (mode === 'allow_list'));
}

/** Replaces the project's list. Every id must be a model of the catalogue; repeats are kept once. */
export async function updateModelPermissions(
  db: Kysely<Database>,
  principal: Principal,
  catalogue: ModelCatalogue,
  ref: ScopeRef,
  body: UpdateModelPermissionsBody,
): Promise<ProjectModelPermissions> {
  const unknown = body.model_ids.findIndex((model) => !catalogue.has(model));
  if (unknown >= 0) {
    throw invalidRequest(`Unknown model '${body.model_ids[unknown]}': model_ids takes models of roster's catalogue.`, `model_ids[${unknown}]`, 'model_not_found');
  }
  const wanted = { mode: body.mode, model_ids: [...new Set(body.model_ids)] };
  return db.transaction().execute(async (trx) => {
    const scope = await writableScope(trx, ref);
    const current = (await permissions.findModelPermissions(trx, scope.scopeId)) ?? UNRESTRICTED;
    if (JSON.stringify(current) !== JSON.stringify(wanted)) {
      await permissions.saveModelPermissions(trx, scope.organizationId, scope.scopeId, wanted, nowSeconds());
      await recordSettingChange(trx, principal, scope, { model_permissions: wanted });
    }
    return toModelPermissions(wanted);
  });
}

/** Removes the project's list, so it may use every model again. */
export async function deleteModelPermissions(db: Kysely<Database>, principal: Principal, ref: ScopeRef) {
  return db.transaction().execute(async (trx) => {
    const scope = await writableScope(trx, ref);
    if (!(await permissions.deleteModelPermissions(trx, scope.scopeId))) {
      throw new ApiError(404, `Project '${scope.scopeId}' has no model permissions to delete.`, { code: 'not_found' });
    }
    await recordSettingChange(trx, principal, scope, { model_permissions: null });
    return { object: 'project.model_permissions.deleted' as const, deleted: true };
  });
}
