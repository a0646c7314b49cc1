import type { Kysely } from 'kysely';
import { constraintViolation } from '../../db/constraint-violation.ts';
import type { Database, Db } from '../../db/schema.ts';
import type { Principal } from '../../http/auth.ts';
import { ApiError, invalidRequest } from '../../http/api-error.ts';
import type { NextCursorPage } from '../../http/pagination.ts';
import { newId } from '../../lib/ids.ts';
import { nowSeconds } from '../../lib/time.ts';
import { recordAuditEvent } from '../audit-logs/record.ts';
import { pageWithFixedItems } from './listing.ts';
import { PERMISSIONS, isPermission } from './permissions.ts';
import {
  looksPredefined,
  predefinedRole,
  predefinedRoleId,
  predefinedRoleName,
  predefinedRoleNames,
  type PredefinedRoleName,
  type ResourceType,
} from './predefined.ts';
import * as roles from './repository.ts';
import type { CreateRoleBody, ListRolesQuery, Role, UpdateRoleBody } from './schemas.ts';
import { scopeNoun, type RoleScope } from './scope.ts';

/** A role as found in a scope: predefined (by name) or custom (with its row). */
export type FoundRole =
  | { kind: 'predefined'; name: PredefinedRoleName; role: Role }
  | { kind: 'custom'; row: roles.RoleRow; role: Role };

export function predefinedRoleObject(scope: RoleScope, name: PredefinedRoleName): Role {
  const definition = predefinedRole(scope.resourceType, name)!;
  return {
    object: 'role',
    id: predefinedRoleId(scope.resourceType, name, scope.resourceId),
    name,
    description: definition.description,
    permissions: [...definition.permissions],
    resource_type: scope.resourceType,
    predefined_role: true,
  };
}

export function toRole(scope: RoleScope, row: roles.RoleRow): Role {
  return {
    object: 'role',
    id: row.id,
    name: row.name,
    description: row.description,
    permissions: JSON.parse(row.permissions) as string[],
    resource_type: scope.resourceType,
    predefined_role: false,
  };
}

function predefinedRoleObjects(scope: RoleScope): Role[] {
  return predefinedRoleNames(scope.resourceType).map((name) => predefinedRoleObject(scope, name));
}

/**
 * The role an id names in this scope, or undefined. Predefined roles match in short or scoped
 * form; a custom role matches only in the organization or project it was created in.
 */
export async function findRoleInScope(db: Db, scope: RoleScope, roleId: string): Promise<FoundRole | undefined> {
  const name = predefinedRoleName(scope.resourceType, roleId, scope.resourceId);
  if (name) return { kind: 'predefined', name, role: predefinedRoleObject(scope, name) };
  const row = await roles.findRole(db, scope.organizationId, roleId);
  if (!row || row.project_id !== (scope.project?.id ?? null)) return undefined;
  return { kind: 'custom', row, role: toRole(scope, row) };
}

export async function requireRole(db: Db, scope: RoleScope, roleId: string): Promise<FoundRole> {
  const found = await findRoleInScope(db, scope, roleId);
  if (!found) throw new ApiError(404, `No role found with id '${roleId}' in this ${scopeNoun(scope)}.`, { param: 'role_id', code: 'not_found' });
  return found;
}

/**
 * The refusal for a request body naming a role that this scope does not have, saying why when the
 * role exists elsewhere in the organization (an organization role sent to a project route, say).
 */
export async function roleNotInScope(db: Db, scope: RoleScope, roleId: string): Promise<ApiError> {
  const otherType: ResourceType = scope.project ? 'api.organization' : 'api.project';
  const row = await roles.findRole(db, scope.organizationId, roleId);
  const otherKind = looksPredefined(otherType, roleId) || (row !== undefined && (row.project_id === null) === (scope.project !== null));
  let why = `no such role exists in this ${scopeNoun(scope)}`;
  if (otherKind) why = `it is not ${scope.project ? 'a project' : 'an organization'} role, the only kind this route assigns`;
  else if (row) why = 'it belongs to another project';
  return invalidRequest(`Role '${roleId}' cannot be assigned here: ${why}.`, 'role_id', 'invalid_value');
}

async function requireCustomRole(db: Db, scope: RoleScope, roleId: string, action: string): Promise<roles.RoleRow> {
  const found = await requireRole(db, scope, roleId);
  if (found.kind === 'predefined') {
    throw invalidRequest(`'${found.role.id}' is a predefined role and cannot be ${action}.`, 'role_id', 'predefined_role');
  }
  return found.row;
}

/** The permissions as stored: each one from the catalogue, duplicates dropped, order kept. */
function checkedPermissions(permissions: string[]): string[] {
  permissions.forEach((permission, index) => {
    if (!isPermission(permission)) {
      throw invalidRequest(
        `Unknown permission '${permission}'. Known permissions are: ${PERMISSIONS.join(', ')}.`,
        `permissions[${index}]`,
        'invalid_value',
      );
    }
  });
  return [...new Set(permissions)];
}

function nameTaken(scope: RoleScope, name: string): ApiError {
  return invalidRequest(`A role named '${name}' already exists in this ${scopeNoun(scope)}.`, 'role_name', 'role_name_taken');
}

/** Predefined role names are taken in every organization and project. */
function refuseReservedName(scope: RoleScope, name: string | undefined): void {
  if (name !== undefined && (predefinedRoleNames(scope.resourceType) as readonly string[]).includes(name)) throw nameTaken(scope, name);
}

/**
 * Runs a write that may give a role a name already in use. Custom names collide on the unique
 * index, which is what holds under concurrent requests (a read-then-write check would not).
 */
async function withUniqueName<T>(scope: RoleScope, name: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (name !== undefined && constraintViolation(error) === 'unique') throw nameTaken(scope, name);
    throw error;
  }
}

export async function listRoles(db: Db, scope: RoleScope, query: ListRolesQuery): Promise<NextCursorPage<Role>> {
  const rows = await roles.listRoles(db, scope, query);
  return pageWithFixedItems(
    predefinedRoleObjects(scope),
    rows.map((row) => toRole(scope, row)),
    query,
  );
}

export async function retrieveRole(db: Db, scope: RoleScope, roleId: string): Promise<Role> {
  return (await requireRole(db, scope, roleId)).role;
}

export async function createRole(db: Kysely<Database>, principal: Principal, scope: RoleScope, body: CreateRoleBody): Promise<Role> {
  const permissions = checkedPermissions(body.permissions);
  refuseReservedName(scope, body.role_name);
  const now = nowSeconds();
  const row = {
    id: newId('role_'),
    organization_id: scope.organizationId,
    project_id: scope.project?.id ?? null,
    name: body.role_name,
    description: body.description || null,
    permissions: JSON.stringify(permissions),
    created_at: now,
    updated_at: now,
    created_by: principal.userId,
  };
  await withUniqueName(scope, row.name, () =>
    db.transaction().execute(async (trx) => {
      await roles.insertRole(trx, row);
      await recordAuditEvent(trx, principal, {
        type: 'role.created',
        resourceId: row.id,
        details: { role_name: row.name, permissions, resource_type: scope.resourceType, resource_id: scope.resourceId },
        project: scope.project,
      });
    }),
  );
  return toRole(scope, { ...row, creator_name: null, creator_email: null });
}

export async function updateRole(
  db: Kysely<Database>,
  principal: Principal,
  scope: RoleScope,
  roleId: string,
  body: UpdateRoleBody,
): Promise<Role> {
  const permissions = body.permissions == null ? undefined : checkedPermissions(body.permissions);
  return withUniqueName(scope, body.role_name ?? undefined, () =>
    db.transaction().execute(async (trx) => {
      const current = await requireCustomRole(trx, scope, roleId, 'changed');
      refuseReservedName(scope, body.role_name ?? undefined);
      const before = JSON.parse(current.permissions) as string[];
      const changes: Parameters<typeof roles.updateRole>[2] = {};
      const requested: Record<string, unknown> = {};

      if (body.role_name != null && body.role_name !== current.name) changes.name = requested.role_name = body.role_name;
      if (permissions !== undefined) {
        const added = permissions.filter((p) => !before.includes(p));
        const removed = before.filter((p) => !permissions.includes(p));
        if (added.length > 0 || removed.length > 0) {
          changes.permissions = JSON.stringify(permissions);
          requested.permissions_added = added;
          requested.permissions_removed = removed;
        }
      }
      // An empty description is stored as none; the audit event shows a cleared one as "".
      const description = body.description === undefined ? current.description : body.description || null;
      if (description !== current.description) {
        changes.description = description;
        requested.description = description ?? '';
      }
      if (Object.keys(changes).length === 0) return toRole(scope, current);

      changes.updated_at = nowSeconds();
      await roles.updateRole(trx, roleId, changes);
      await recordAuditEvent(trx, principal, {
        type: 'role.updated',
        resourceId: roleId,
        details: { changes_requested: { ...requested, resource_id: scope.resourceId, resource_type: scope.resourceType } },
        project: scope.project,
      });
      return toRole(scope, { ...current, ...changes });
    }),
  );
}

export async function deleteRole(db: Kysely<Database>, principal: Principal, scope: RoleScope, roleId: string) {
  return db.transaction().execute(async (trx) => {
    await requireCustomRole(trx, scope, roleId, 'deleted');
    await roles.deleteRole(trx, roleId);
    await recordAuditEvent(trx, principal, { type: 'role.deleted', resourceId: roleId, project: scope.project });
    return { object: 'role.deleted' as const, id: roleId, deleted: true };
  });
}
