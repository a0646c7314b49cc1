import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type TObject } from 'typebox';
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

const tags = ['Roles'];

/** How one catalogue (the organization's, or a project's) is addressed. */
interface Catalogue {
  path: string;
  params: TObject;
  itemParams: TObject;
  operationIds: { list: string; create: string; retrieve: string; update: string; delete: string };
  noun: string;
  scope: (request: FastifyRequest, access: Access) => Promise<RoleScope>;
}

interface RoleRouteParams {
  project_id?: string;
  role_id: string;
}

/**
 * `/v1/organization/roles` and `/v1/projects/{project_id}/roles`: the predefined and custom roles
 * of the organization and of each project. Both catalogues behave alike, so one plugin declares
 * the five routes for each.
 */
export const rolesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const catalogues: Catalogue[] = [
    {
      path: '/organization/roles',
      params: Type.Object({}),
      itemParams: OrganizationRoleParams,
      operationIds: { list: 'list-roles', create: 'create-role', retrieve: 'retrieve-role', update: 'update-role', delete: 'delete-role' },
      noun: 'organization',
      scope: async (request) => organizationScope(request.principal.organizationId),
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
      scope: (request, access) =>
        projectScope(app.db, request.principal.organizationId, (request.params as { project_id: string }).project_id, access),
    },
  ];

  for (const { path, params, itemParams, operationIds, noun, scope } of catalogues) {
    const roleId = (request: FastifyRequest) => (request.params as RoleRouteParams).role_id;

    app.get(
      path,
      {
        schema: {
          operationId: operationIds.list,
          summary: `List the predefined and custom roles of the ${noun}`,
          tags,
          params,
          querystring: ListRolesQuery,
          response: { 200: RoleList },
        },
      },
      async (request) => service.listRoles(app.db, await scope(request, 'read'), request.query),
    );

    app.post(
      path,
      {
        schema: {
          operationId: operationIds.create,
          summary: `Create a custom role for the ${noun}`,
          tags,
          params,
          body: CreateRoleBody,
          response: { 200: Role },
        },
      },
      async (request) => service.createRole(app.db, request.principal, await scope(request, 'write'), request.body),
    );

    app.get(
      `${path}/:role_id`,
      {
        schema: {
          operationId: operationIds.retrieve,
          summary: `Get one role of the ${noun}; predefined roles also answer to their short id`,
          tags,
          params: itemParams,
          response: { 200: Role },
        },
      },
      async (request) => service.retrieveRole(app.db, await scope(request, 'read'), roleId(request)),
    );

    app.post(
      `${path}/:role_id`,
      {
        schema: {
          operationId: operationIds.update,
          summary: `Rename a custom role of the ${noun}, or change its permissions or description`,
          tags,
          params: itemParams,
          body: UpdateRoleBody,
          response: { 200: Role },
        },
      },
      async (request) => service.updateRole(app.db, request.principal, await scope(request, 'write'), roleId(request), request.body),
    );

    app.delete(
      `${path}/:role_id`,
      {
        schema: {
          operationId: operationIds.delete,
          summary: `Delete a custom role of the ${noun}, and every assignment of it`,
          tags,
          params: itemParams,
          response: { 200: RoleDeleted },
        },
      },
      async (request) => service.deleteRole(app.db, request.principal, await scope(request, 'write'), roleId(request)),
    );
  }
};
