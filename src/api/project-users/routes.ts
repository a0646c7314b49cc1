import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ProjectIdParams } from '../projects/schemas.ts';
import {
  AddProjectUserBody,
  ListProjectUsersQuery,
  ModifyProjectUserBody,
  ProjectUser,
  ProjectUserDeleted,
  ProjectUserList,
  ProjectUserParams,
} from './schemas.ts';
import * as service from './service.ts';

const tags = ['Project users'];

/** `/v1/organization/projects/{project_id}/users`: organization members seated in a project. */
export const projectUsersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/organization/projects/:project_id/users',
    {
      schema: {
        operationId: 'list-project-users',
        summary: 'List the members of an active project',
        tags,
        params: ProjectIdParams,
        querystring: ListProjectUsersQuery,
        response: { 200: ProjectUserList },
      },
    },
    (request) => service.listProjectUsers(app.db, request.principal, request.params.project_id, request.query),
  );

  app.post(
    '/organization/projects/:project_id/users',
    {
      schema: {
        operationId: 'create-project-user',
        summary: 'Add an organization member to a project',
        tags,
        params: ProjectIdParams,
        body: AddProjectUserBody,
        response: { 200: ProjectUser },
      },
    },
    (request) => service.addProjectUser(app.db, request.principal, request.params.project_id, request.body),
  );

  app.get(
    '/organization/projects/:project_id/users/:user_id',
    {
      schema: {
        operationId: 'retrieve-project-user',
        summary: 'Get one member of a project',
        tags,
        params: ProjectUserParams,
        response: { 200: ProjectUser },
      },
    },
    (request) => service.retrieveProjectUser(app.db, request.principal, request.params.project_id, request.params.user_id),
  );

  app.post(
    '/organization/projects/:project_id/users/:user_id',
    {
      schema: {
        operationId: 'modify-project-user',
        summary: "Change a member's role in a project",
        tags,
        params: ProjectUserParams,
        body: ModifyProjectUserBody,
        response: { 200: ProjectUser },
      },
    },
    (request) =>
      service.modifyProjectUser(app.db, request.principal, request.params.project_id, request.params.user_id, request.body),
  );

  app.delete(
    '/organization/projects/:project_id/users/:user_id',
    {
      schema: {
        operationId: 'delete-project-user',
        summary: 'Remove a member from a project (they stay in the organization)',
        tags,
        params: ProjectUserParams,
        response: { 200: ProjectUserDeleted },
      },
    },
    (request) => service.removeProjectUser(app.db, request.principal, request.params.project_id, request.params.user_id),
  );
};
