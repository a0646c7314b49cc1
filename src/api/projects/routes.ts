import { route, routeTable } from '../../http/route-table.ts';
import { CreateProjectBody, ListProjectsQuery, ModifyProjectBody, Project, ProjectIdParams, ProjectList } from './schemas.ts';
import * as service from './service.ts';

/** `/v1/organization/projects`: the organization's projects, which are archived rather than deleted. */
export const projectsRoutes = routeTable(
  ['Projects'],
  [
    route.get(
      '/organization/projects',
      { operationId: 'list-projects', summary: 'List the projects of the organization', querystring: ListProjectsQuery, response: ProjectList },
      ({ db, principal, query }) => service.listProjects(db, principal, query),
    ),
    route.post(
      '/organization/projects',
      { operationId: 'create-project', summary: 'Create a project', body: CreateProjectBody, response: Project },
      ({ db, principal, body }) => service.createProject(db, principal, body),
    ),
    route.get(
      '/organization/projects/:project_id',
      { operationId: 'retrieve-project', summary: 'Get one project by id, archived or not', params: ProjectIdParams, response: Project },
      ({ db, principal, params }) => service.retrieveProject(db, principal, params.project_id),
    ),
    route.post(
      '/organization/projects/:project_id',
      {
        operationId: 'modify-project',
        summary: 'Rename an active project or change its external key',
        params: ProjectIdParams,
        body: ModifyProjectBody,
        response: Project,
      },
      ({ db, principal, params, body }) => service.modifyProject(db, principal, params.project_id, body),
    ),
    route.post(
      '/organization/projects/:project_id/archive',
      {
        operationId: 'archive-project',
        summary: 'Archive a project for good; it stays readable but can no longer change',
        params: ProjectIdParams,
        response: Project,
      },
      ({ db, principal, params }) => service.archiveProject(db, principal, params.project_id),
    ),
  ],
);
