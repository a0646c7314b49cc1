import type { Kysely } from 'kysely';
import { refusingViolation } from '../../db/constraint-violation.ts';
import type { Database, Db } from '../../db/schema.ts';
import { ApiError, invalidRequest } from '../../http/api-error.ts';
import type { Principal } from '../../http/auth.ts';
import { toNextCursorPage, type NextCursorPage } from '../../http/pagination.ts';
import { nowSeconds } from '../../lib/time.ts';
import { requireGroup } from '../groups/service.ts';
import { lockActiveProject } from '../projects/service.ts';
import { grantGroupRole, groupRolesIn, recordGroupRolesEnded } from '../role-assignments/group-roles.ts';
import { projectScope, scopeOfProject } from '../roles/scope.ts';
import { findRoleInScope, roleNotInScope } from '../roles/service.ts';
import * as seats from './repository.ts';
import type { AddProjectGroupBody, ListProjectGroupsQuery, ProjectGroup, RetrieveProjectGroupQuery } from './schemas.ts';

function toProjectGroup(row: seats.ProjectGroupRow): ProjectGroup {
  return { object: 'project.group', project_id: row.project_id, group_id: row.group_id, group_name: row.group_name, group_type: 'group', created_at: row.created_at };
}

function notInProject(projectId: string, groupId: string): ApiError {
  return new ApiError(404, `Group '${groupId}' is not in project '${projectId}'.`, { param: 'group_id', code: 'not_found' });
}

/** Archived projects can be read, not changed (as their role assignments). */
export async function listProjectGroups(db: Db, principal: Principal, projectId: string, query: ListProjectGroupsQuery): Promise<NextCursorPage<ProjectGroup>> {
  await projectScope(db, principal.organizationId, projectId, 'read');
  const rows = await seats.listProjectGroups(db, principal.organizationId, projectId, query);
  return toNextCursorPage(rows, query.limit, toProjectGroup, (group) => group.group_id);
}

/** roster's groups are all of type `group`: asking for a tenant group finds none. */
export async function retrieveProjectGroup(
  db: Db,
  principal: Principal,
  projectId: string,
  groupId: string,
  query: RetrieveProjectGroupQuery,
): Promise<ProjectGroup> {
  await projectScope(db, principal.organizationId, projectId, 'read');
  const row = await seats.findProjectGroup(db, principal.organizationId, projectId, groupId);
  if (!row || query.group_type === 'tenant_group') throw notInProject(projectId, groupId);
  return toProjectGroup(row);
}

/** Seats a group in a project with its first project role (`role`, a role id of the project). */
export async function addProjectGroup(db: Kysely<Database>, principal: Principal, projectId: string, body: AddProjectGroupBody): Promise<ProjectGroup> {
  const organizationId = principal.organizationId;
  // The keys decide when the group or the role was deleted while this request ran.
  const removedMeanwhile = () =>
    invalidRequest(`Group '${body.group_id}' or role '${body.role}' was removed while this request ran.`, 'group_id', 'invalid_value');
  return refusingViolation('foreign_key', () =>
    db.transaction().execute(async (trx) => {
      const project = await lockActiveProject(trx, organizationId, projectId);
      const scope = scopeOfProject(organizationId, project);
      const group = await requireGroup(trx, organizationId, body.group_id);
      const found = await findRoleInScope(trx, scope, body.role);
      if (!found) {
        const refusal = await roleNotInScope(trx, scope, body.role);
        throw invalidRequest(refusal.message, 'role', refusal.code);
      }
      const created_at = nowSeconds();
      const seated = await seats.insertProjectGroup(trx, { project_id: projectId, group_id: group.id, organization_id: organizationId, created_at });
      if (!seated) throw invalidRequest(`Group '${group.id}' already exists in project '${projectId}'.`, 'group_id', 'group_already_in_project');
      await grantGroupRole(trx, principal, scope, group.id, found);
      return toProjectGroup({ project_id: projectId, group_id: group.id, group_name: group.name, created_at });
    }),
    removedMeanwhile,
  );
}

/** Removes the group from the project; the roles it held there end with the seat, each recorded. */
export async function removeProjectGroup(db: Kysely<Database>, principal: Principal, projectId: string, groupId: string) {
  const organizationId = principal.organizationId;
  return db.transaction().execute(async (trx) => {
    const project = await lockActiveProject(trx, organizationId, projectId);
    const scope = scopeOfProject(organizationId, project);
    if (!(await seats.lockProjectGroup(trx, projectId, groupId))) throw notInProject(projectId, groupId);
    const ended = await groupRolesIn(trx, scope, groupId);
    await seats.deleteProjectGroup(trx, projectId, groupId);
    await recordGroupRolesEnded(trx, principal, scope, groupId, ended);
    return { object: 'project.group.deleted' as const, deleted: true };
  });
}
