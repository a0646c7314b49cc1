import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ListOrganizationUsersQuery,
  ModifyOrganizationUserBody,
  OrganizationUser,
  OrganizationUserDeleted,
  OrganizationUserList,
  UserIdParams,
} from './schemas.ts';
import * as service from './service.ts';

const tags = ['Organization users'];

/** `/v1/organization/users`: the members of the caller's organization. */
export const organizationUsersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/organization/users',
    {
      schema: {
        operationId: 'list-users',
        summary: 'List the members of the organization',
        tags,
        querystring: ListOrganizationUsersQuery,
        response: { 200: OrganizationUserList },
      },
    },
    (request) => service.listUsers(app.db, request.principal, request.query),
  );

  app.get(
    '/organization/users/:user_id',
    {
      schema: {
        operationId: 'retrieve-user',
        summary: 'Get one member by id',
        tags,
        params: UserIdParams,
        response: { 200: OrganizationUser },
      },
    },
    (request) => service.retrieveUser(app.db, request.principal, request.params.user_id),
  );

  app.post(
    '/organization/users/:user_id',
    {
      schema: {
        operationId: 'modify-user',
        summary: "Change a member's role or profile metadata",
        tags,
        params: UserIdParams,
        body: ModifyOrganizationUserBody,
        response: { 200: OrganizationUser },
      },
    },
    (request) => service.modifyUser(app.db, request.principal, request.params.user_id, request.body),
  );

  app.delete(
    '/organization/users/:user_id',
    {
      schema: {
        operationId: 'delete-user',
        summary: 'Remove a member from the organization',
        tags,
        params: UserIdParams,
        response: { 200: OrganizationUserDeleted },
      },
    },
    (request) => service.deleteUser(app.db, request.principal, request.params.user_id),
  );
};
