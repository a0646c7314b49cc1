import type { FastifyPluginAsync } from 'fastify';
import type { TObject } from 'typebox';
import type { Db } from '../../db/schema.ts';
import type { Principal } from '../../http/auth.ts';
import { route, routeTable } from '../../http/route-table.ts';
import { GroupParams } from '../groups/schemas.ts';
import { organizationScope, projectScope, type Access, type RoleScope } from '../roles/scope.ts';
import * as groupRoles from './group-roles.ts';
import {
  AssignRoleBody,
  AssignedRole,
  AssignedRoleList,
  GroupRoleAssignment,
  GroupRoleParams,
  GroupRoleUnassigned,
  ListAssignedRolesQuery,
  ProjectGroupParams,
  ProjectGroupRoleParams,
  ProjectUserParams,
  ProjectUserRoleParams,
  UserParams,
  UserRoleAssignment,
  UserRoleParams,
  UserRoleUnassigned,
} from './schemas.ts';
import * as service from './service.ts';

/** Every path parameter these routes may have; each table declares (and validates) its own. */
interface AssignmentParams {
  project_id: string;
  user_id: string;
  group_id: string;
  role_id: string;
}

interface AddressedCall {
  db: Db;
  principal: Principal;
  params: unknown;
}

/** The path parameters of a call, typed: the schemas differ per table, so the table's type is wide. */
const ids = (call: AddressedCall) => call.params as AssignmentParams;

type ScopeOf = (call: AddressedCall, access: Access) => Promise<RoleScope>;

const inOrganization: ScopeOf = async ({ principal }) => organizationScope(principal.organizationId);
const inProject: ScopeOf = (call, access) => projectScope(call.db, call.principal.organizationId, ids(call).project_id, access);

/** How the roles of one kind of holder in one kind of scope are addressed. */
interface Holdings {
  path: string;
  params: TObject;
  itemParams: TObject;
  operationIds: { list: string; assign: string; retrieve: string; unassign: string };
  /** e.g. `organization roles a user holds`. */
  noun: string;
  tags: string[];
  scope: ScopeOf;
}

/**
 * The four operations on the roles users hold: their own and, in the lists, those their groups
 * give them.
 */
function userHoldings({ path, params, itemParams, operationIds, noun, tags, scope }: Holdings) {
  return routeTable(tags, [
    route.get(
      path,
      { operationId: operationIds.list, summary: `List the ${noun}, directly and through groups`, params, querystring: ListAssignedRolesQuery, response: AssignedRoleList },
      async (call) => service.listAssignedRoles(call.db, await scope(call, 'read'), ids(call).user_id, call.query),
    ),
    route.post(
      path,
      { operationId: operationIds.assign, summary: `Give a user one of the ${noun}; a predefined role replaces theirs`, params, body: AssignRoleBody, response: UserRoleAssignment },
      async (call) => service.assignRole(call.db, call.principal, await scope(call, 'write'), ids(call).user_id, call.body.role_id),
    ),
    route.get(
      `${path}/:role_id`,
      { operationId: operationIds.retrieve, summary: `Get one of the ${noun}`, params: itemParams, response: AssignedRole },
      async (call) => service.retrieveAssignedRole(call.db, await scope(call, 'read'), ids(call).user_id, ids(call).role_id),
    ),
    route.delete(
      `${path}/:role_id`,
      { operationId: operationIds.unassign, summary: `Take a custom role from a user (not one held through a group)`, params: itemParams, response: UserRoleUnassigned },
      async (call) => service.unassignRole(call.db, call.principal, await scope(call, 'write'), ids(call).user_id, ids(call).role_id),
    ),
  ]);
}

/** The four operations on the roles groups hold. */
function groupHoldings({ path, params, itemParams, operationIds, noun, tags, scope }: Holdings) {
  return routeTable(tags, [
    route.get(
      path,
      { operationId: operationIds.list, summary: `List the ${noun}`, params, querystring: ListAssignedRolesQuery, response: AssignedRoleList },
      async (call) => groupRoles.listGroupRoles(call.db, await scope(call, 'read'), ids(call).group_id, call.query),
    ),
    route.post(
      path,
      { operationId: operationIds.assign, summary: `Give a group one of the ${noun}`, params, body: AssignRoleBody, response: GroupRoleAssignment },
      async (call) => groupRoles.assignGroupRole(call.db, call.principal, await scope(call, 'write'), ids(call).group_id, call.body.role_id),
    ),
    route.get(
      `${path}/:role_id`,
      { operationId: operationIds.retrieve, summary: `Get one of the ${noun}`, params: itemParams, response: AssignedRole },
      async (call) => groupRoles.retrieveGroupRole(call.db, await scope(call, 'read'), ids(call).group_id, ids(call).role_id),
    ),
    route.delete(
      `${path}/:role_id`,
      { operationId: operationIds.unassign, summary: `Take one of the ${noun} from it`, params: itemParams, response: GroupRoleUnassigned },
      async (call) => groupRoles.unassignGroupRole(call.db, call.principal, await scope(call, 'write'), ids(call).group_id, ids(call).role_id),
    ),
  ]);
}

const tables = [
  userHoldings({
    tags: ['User organization role assignments'],
    path: '/organization/users/:user_id/roles',
    params: UserParams,
    itemParams: UserRoleParams,
    operationIds: { list: 'list-user-role-assignments', assign: 'assign-user-role', retrieve: 'retrieve-user-role', unassign: 'unassign-user-role' },
    noun: 'organization roles a user holds',
    scope: inOrganization,
  }),
  userHoldings({
    tags: ['Project user role assignments'],
    path: '/projects/:project_id/users/:user_id/roles',
    params: ProjectUserParams,
    itemParams: ProjectUserRoleParams,
    operationIds: {
      list: 'list-project-user-role-assignments',
      assign: 'assign-project-user-role',
      retrieve: 'retrieve-project-user-role',
      unassign: 'unassign-project-user-role',
    },
    noun: 'project roles a user holds',
    scope: inProject,
  }),
  groupHoldings({
    tags: ['Group organization role assignments'],
    path: '/organization/groups/:group_id/roles',
    params: GroupParams,
    itemParams: GroupRoleParams,
    operationIds: { list: 'list-group-role-assignments', assign: 'assign-group-role', retrieve: 'retrieve-group-role', unassign: 'unassign-group-role' },
    noun: 'organization roles a group holds',
    scope: inOrganization,
  }),
  groupHoldings({
    tags: ['Project group role assignments'],
    path: '/projects/:project_id/groups/:group_id/roles',
    params: ProjectGroupParams,
    itemParams: ProjectGroupRoleParams,
    operationIds: {
      list: 'list-project-group-role-assignments',
      assign: 'assign-project-group-role',
      retrieve: 'retrieve-project-group-role',
      unassign: 'unassign-project-group-role',
    },
    noun: 'project roles a group holds',
    scope: inProject,
  }),
];

/**
 * `/v1/organization/{users|groups}/{id}/roles` and `/v1/projects/{project_id}/{users|groups}/{id}/roles`:
 * the roles users and groups hold in the organization or in a project, predefined and custom.
 */
export const roleAssignmentsRoutes: FastifyPluginAsync = async (app) => {
  for (const table of tables) await app.register(table);
};
