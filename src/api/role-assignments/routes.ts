import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { TObject } from 'typebox';
import { organizationScope, projectScope, type Access, type RoleScope } from '../roles/scope.ts';
import {
  AssignRoleBody,
  AssignedRole,
  AssignedRoleList,
  ListAssignedRolesQuery,
  ProjectUserParams,
  ProjectUserRoleParams,
  UserParams,
  UserRoleAssignment,
  UserRoleParams,
  UserRoleUnassigned,
} from './schemas.ts';
import * as service from './service.ts';

/** How the roles of a user in one scope (the organization, or a project) are addressed. */
interface Holdings {
  path: string;
  params: TObject;
  itemParams: TObject;
  operationIds: { list: string; assign: string; retrieve: string; unassign: string };
  noun: string;
  tags: string[];
  scope: (request: FastifyRequest, access: Access) => Promise<RoleScope>;
}

interface AssignmentParams {
  project_id?: string;
  user_id: string;
  role_id?: string;
}

/**
 * `/v1/organization/users/{user_id}/roles` and `/v1/projects/{project_id}/users/{user_id}/roles`:
 * the roles a member holds in the organization or in a project, predefined and custom.
 */
export const roleAssignmentsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const holdings: Holdings[] = [
    {
      path: '/organization/users/:user_id/roles',
      params: UserParams,
      itemParams: UserRoleParams,
      operationIds: {
        list: 'list-user-role-assignments',
        assign: 'assign-user-role',
        retrieve: 'retrieve-user-role',
        unassign: 'unassign-user-role',
      },
      noun: 'organization',
      tags: ['User organization role assignments'],
      scope: async (request) => organizationScope(request.principal.organizationId),
    },
    {
      path: '/projects/:project_id/users/:user_id/roles',
      params: ProjectUserParams,
      itemParams: ProjectUserRoleParams,
      operationIds: {
        list: 'list-project-user-role-assignments',
        assign: 'assign-project-user-role',
        retrieve: 'retrieve-project-user-role',
        unassign: 'unassign-project-user-role',
      },
      noun: 'project',
      tags: ['Project user role assignments'],
      scope: (request, access) =>
        projectScope(app.db, request.principal.organizationId, (request.params as AssignmentParams).project_id!, access),
    },
  ];

  for (const { path, params, itemParams, operationIds, noun, tags, scope } of holdings) {
    const ids = (request: FastifyRequest) => request.params as Required<Pick<AssignmentParams, 'user_id' | 'role_id'>>;

    app.get(
      path,
      {
        schema: {
          operationId: operationIds.list,
          summary: `List the ${noun} roles a user holds, predefined and custom`,
          tags,
          params,
          querystring: ListAssignedRolesQuery,
          response: { 200: AssignedRoleList },
        },
      },
      async (request) => service.listAssignedRoles(app.db, await scope(request, 'read'), ids(request).user_id, request.query),
    );

    app.post(
      path,
      {
        schema: {
          operationId: operationIds.assign,
          summary: `Give a user a ${noun} role; a predefined role replaces the one they hold`,
          tags,
          params,
          body: AssignRoleBody,
          response: { 200: UserRoleAssignment },
        },
      },
      async (request) =>
        service.assignRole(app.db, request.principal, await scope(request, 'write'), ids(request).user_id, request.body.role_id),
    );

    app.get(
      `${path}/:role_id`,
      {
        schema: {
          operationId: operationIds.retrieve,
          summary: `Get one ${noun} role a user holds`,
          tags,
          params: itemParams,
          response: { 200: AssignedRole },
        },
      },
      async (request) => service.retrieveAssignedRole(app.db, await scope(request, 'read'), ids(request).user_id, ids(request).role_id),
    );

    app.delete(
      `${path}/:role_id`,
      {
        schema: {
          operationId: operationIds.unassign,
          summary: `Take a custom ${noun} role from a user`,
          tags,
          params: itemParams,
          response: { 200: UserRoleUnassigned },
        },
      },
      async (request) =>
        service.unassignRole(app.db, request.principal, await scope(request, 'write'), ids(request).user_id, ids(request).role_id),
    );
  }
};
