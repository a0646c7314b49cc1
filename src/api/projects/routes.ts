import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CreateProjectBody, ListProjectsQuery, ModifyProjectBody, Project, ProjectIdParams, ProjectList } from './schemas.ts';
import * as service from './service.ts';

const tags = ['Projects'];

/** `/v1/organization/projects`: the organization's projects, which are archived rather than deleted. */
export const projectsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/organization/projects',
    {
      schema: {
        operationId: 'list-projects',
        summary: 'List the projects of the organization',
        tags,
        querystring: ListProjectsQuery,
        response: { 200: ProjectList },
      },
    },
    (request) => service.listProjects(app.db, request.principal, request.query),
  );

  app.post(
    '/organization/projects',
    {
      schema: {
        operationId: 'create-project',
        summary: 'Create a project',
        tags,
        body: CreateProjectBody,
        response: { 200: Project },
      },
    },
    (request) => service.createProject(app.db, request.principal, request.body),
  );

  app.get(
    '/organization/projects/:project_id',
    {
      schema: {
        operationId: 'retrieve-project',
        summary: 'Get one project by id, archived or not',
        tags,
        params: ProjectIdParams,
        response: { 200: Project },
      },
    },
    (request) => service.retrieveProject(app.db, request.principal, request.params.project_id),
  );

  app.post(
    '/organization/projects/:project_id',
    {
      schema: {
        operationId: 'modify-project',
        summary: 'Rename an active project or change its external key',
        tags,
        params: ProjectIdParams,
        body: ModifyProjectBody,
        response: { 200: Project },
      },
    },
    (request) => service.modifyProject(app.db, request.principal, request.params.project_id, request.body),
  );

  app.post(
    '/organization/projects/:project_id/archive',
    {
      schema: {
        operationId: 'archive-project',
        summary: 'Archive a project for good; it stays readable but can no longer change',
        tags,
        params: ProjectIdParams,
        response: { 200: Project },
      },
    },
    (request) => service.archiveProject(app.db, request.principal, request.params.project_id),
  );
};
