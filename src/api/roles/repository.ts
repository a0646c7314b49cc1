import type { SelectQueryBuilder } from 'kysely';
import type { Db, RolesTable } from '../../db/schema.ts';
import type { NextCursorQuery } from '../../http/pagination.ts';
import { cursorWindow } from './listing.ts';
import type { RoleScope } from './scope.ts';

/** Custom roles (aliased `r`) with the person who created each. */
export function customRoles(db: Db, organizationId: string) {
  return db
    .selectFrom('roles as r')
    .leftJoin('users as creator', 'creator.id', 'r.created_by')
    .selectAll('r')
    .select(['creator.name as creator_name', 'creator.email as creator_email'])
    .where('r.organization_id', '=', organizationId);
}

export type RoleRow = NonNullable<Awaited<ReturnType<ReturnType<typeof customRoles>['executeTakeFirst']>>>;

/** Restricts a query to the roles of one scope: the organization's own, or one project's. */
export function inScope<O>(query: SelectQueryBuilder<any, 'r', O>, scope: RoleScope) {
  return scope.project ? query.where('r.project_id', '=', scope.project.id) : query.where('r.project_id', 'is', null);
}

/** A custom role of the caller's organization, whatever its scope. */
export function findRole(db: Db, organizationId: string, roleId: string): Promise<RoleRow | undefined> {
  return customRoles(db, organizationId).where('r.id', '=', roleId).executeTakeFirst();
}

export function listRoles(db: Db, scope: RoleScope, options: NextCursorQuery): Promise<RoleRow[]> {
  return cursorWindow(inScope(customRoles(db, scope.organizationId), scope), 'r.id', options).execute();
}

export async function insertRole(db: Db, row: RolesTable): Promise<void> {
  await db.insertInto('roles').values(row).execute();
}

export async function updateRole(
  db: Db,
  roleId: string,
  changes: Partial<Pick<RolesTable, 'name' | 'description' | 'permissions' | 'updated_at'>>,
): Promise<void> {
  await db.updateTable('roles').set(changes).where('id', '=', roleId).execute();
}

/** Deletes the role; its assignments go with it (foreign key cascade, same statement). */
export async function deleteRole(db: Db, roleId: string): Promise<void> {
  await db.deleteFrom('roles').where('id', '=', roleId).execute();
}
