import { Type, type TObject } from 'typebox';
import { route, routeTable, type Call } from '../../http/route-table.ts';
import {
  CreateRoleBody,
  ListRolesQuery,
  OrganizationRoleParams,
  ProjectParams,
  ProjectRoleParams,
  Role,
  RoleDeleted,
  RoleList,
  UpdateRoleBody,
} from './schemas.ts';
import { organizationScope, projectScope, type Access, type RoleScope } from './scope.ts';
import * as service from './service.ts';

type RoleCall = Call<{ project_id?: string; role_id?: string }, unknown, unknown>;

/** How one catalogue (the organization's, or a project's) is addressed. */
interface Catalogue {
  path: string;
  params: TObject;
  itemParams: TObject;
  operationIds: { list: string; create: string; retrieve: string; update: string; delete: string };
  noun: string;
  scope: (call: RoleCall, access: Access) => Promise<RoleScope>;
}

const catalogues: Catalogue[] = [
  {
    path: '/organization/roles',
    params: Type.Object({}),
    itemParams: OrganizationRoleParams,
    operationIds: { list: 'list-roles', create: 'create-role', retrieve: 'retrieve-role', update: 'update-role', delete: 'delete-role' },
    noun: 'organization',
    scope: async ({ principal }) => organizationScope(principal.organizationId),
  },
  {
    path: '/projects/:project_id/roles',
    params: ProjectParams,
    itemParams: ProjectRoleParams,
    operationIds: {
      list: 'list-project-roles',
      create: 'create-project-role',
      retrieve: 'retrieve-project-role',
      update: 'update-project-role',
      delete: 'delete-project-role',
    },
    noun: 'project',
    scope: ({ db, principal, params }, access) => projectScope(db, principal.organizationId, params.project_id!, access),
  },
];

/**
 * `/v1/organization/roles` and `/v1/projects/{project_id}/roles`: the predefined and custom roles
 * of the organization and of each project. Both catalogues behave alike, so each gets the same
 * five routes.
 */
export const rolesRoutes = routeTable(
  ['Roles'],
  catalogues.flatMap(({ path, params, itemParams, operationIds, noun, scope }) => [
    route.get(
      path,
      { operationId: operationIds.list, summary: `List the predefined and custom roles of the ${noun}`, params, querystring: ListRolesQuery, response: RoleList },
      async (call) => service.listRoles(call.db, await scope(call, 'read'), call.query),
    ),
    route.post(
      path,
      { operationId: operationIds.create, summary: `Create a custom role for the ${noun}`, params, body: CreateRoleBody, response: Role },
      async (call) => service.createRole(call.db, call.principal, await scope(call, 'write'), call.body),
    ),
    route.get(
      `${path}/:role_id`,
      {
        operationId: operationIds.retrieve,
        summary: `Get one role of the ${noun}; predefined roles also answer to their short id`,
        params: itemParams,
        response: Role,
      },
      async (call) => service.retrieveRole(call.db, await scope(call, 'read'), call.params.role_id as string),
    ),
    route.post(
      `${path}/:role_id`,
      {
        operationId: operationIds.update,
        summary: `Rename a custom role of the ${noun}, or change its permissions or description`,
        params: itemParams,
        body: UpdateRoleBody,
        response: Role,
      },
      async (call) => service.updateRole(call.db, call.principal, await scope(call, 'write'), call.params.role_id as string, call.body),
    ),
    route.delete(
      `${path}/:role_id`,
      { operationId: operationIds.delete, summary: `Delete a custom role of the ${noun}, and every assignment of it`, params: itemParams, response: RoleDeleted },
      async (call) => service.deleteRole(call.db, call.principal, await scope(call, 'write'), call.params.role_id as string),
    ),
  ]),
);
