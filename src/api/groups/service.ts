import type { Kysely } from 'kysely';
import { refusingViolation } from '../../db/constraint-violation.ts';
import type { Database, Db } from '../../db/schema.ts';
import { invalidRequest, notFound, type ApiError } from '../../http/api-error.ts';
import type { Principal } from '../../http/auth.ts';
import { toNextCursorPage, type NextCursorPage } from '../../http/pagination.ts';
import { newId } from '../../lib/ids.ts';
import { nowSeconds } from '../../lib/time.ts';
import { recordAuditEvent } from '../audit-logs/record.ts';
import * as groups from './repository.ts';
import type { Group, GroupNameBody, GroupSummary, ListGroupsQuery } from './schemas.ts';

export function toGroup(row: groups.GroupRow): Group {
  return { id: row.id, name: row.name, created_at: row.created_at, is_scim_managed: row.is_scim_managed === 1, group_type: 'group' };
}

export function toGroupSummary(row: groups.GroupRow): GroupSummary {
  return { object: 'group', id: row.id, name: row.name, created_at: row.created_at, scim_managed: row.is_scim_managed === 1 };
}

/** The group, or a 404 naming the id (`param` says where the id was given). */
export async function requireGroup(db: Db, organizationId: string, groupId: string, param = 'group_id'): Promise<groups.GroupRow> {
  const row = await groups.findGroup(db, organizationId, groupId);
  if (!row) throw notFound('group', groupId, param);
  return row;
}

function nameTaken(name: string): ApiError {
  return invalidRequest(`A group named '${name}' already exists in this organization (names ignore case).`, 'name', 'group_name_taken');
}

function checkName(name: string): void {
  if (name.trim() === '') throw invalidRequest('A group name cannot be blank.', 'name', 'invalid_value');
}

/** Runs a write that may give a group a name already in use: the unique index decides. */
function withUniqueName<T>(name: string, write: () => Promise<T>): Promise<T> {
  return refusingViolation('unique', write, () => nameTaken(name));
}

export async function listGroups(db: Db, principal: Principal, query: ListGroupsQuery): Promise<NextCursorPage<Group>> {
  const rows = await groups.listGroups(db, principal.organizationId, query);
  return toNextCursorPage(rows, query.limit, toGroup);
}

export async function retrieveGroup(db: Db, principal: Principal, groupId: string): Promise<Group> {
  return toGroup(await requireGroup(db, principal.organizationId, groupId));
}

export async function createGroup(db: Kysely<Database>, principal: Principal, body: GroupNameBody): Promise<Group> {
  checkName(body.name);
  const row: groups.GroupRow = { id: newId('group_'), name: body.name, created_at: nowSeconds(), is_scim_managed: 0 };
  return withUniqueName(body.name, () =>
    db.transaction().execute(async (trx) => {
      await groups.insertGroup(trx, principal.organizationId, row);
      await recordAuditEvent(trx, principal, { type: 'group.created', resourceId: row.id, details: { data: { group_name: row.name } } });
      return toGroup(row);
    }),
  );
}

/** Renames the group; the same name is no change (and no event), a change of case is a rename. */
export async function renameGroup(db: Kysely<Database>, principal: Principal, groupId: string, body: GroupNameBody): Promise<Group> {
  checkName(body.name);
  const organizationId = principal.organizationId;
  return withUniqueName(body.name, () =>
    db.transaction().execute(async (trx) => {
      const current = await requireGroup(trx, organizationId, groupId);
      if (current.name === body.name) return toGroup(current);
      await groups.renameGroup(trx, organizationId, groupId, body.name);
      await recordAuditEvent(trx, principal, { type: 'group.updated', resourceId: groupId, details: { changes_requested: { group_name: body.name } } });
      return toGroup({ ...current, name: body.name });
    }),
  );
}

/** Deletes the group and, with it, its memberships, role assignments and project seats. */
export async function deleteGroup(db: Kysely<Database>, principal: Principal, groupId: string) {
  return db.transaction().execute(async (trx) => {
    if (!(await groups.deleteGroup(trx, principal.organizationId, groupId))) throw notFound('group', groupId, 'group_id');
    await recordAuditEvent(trx, principal, { type: 'group.deleted', resourceId: groupId });
    return { object: 'group.deleted' as const, id: groupId, deleted: true };
  });
}

/** Groups named in a message: `'Support' (group_…)`, joined with "and". */
export function describeGroups(named: { id: string; name: string }[]): string {
  const each = named.map((group) => `'${group.name}' (${group.id})`);
  return each.length <= 1 ? each.join('') : `${each.slice(0, -1).join(', ')} and ${each.at(-1)}`;
}
