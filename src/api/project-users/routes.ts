import { route, routeTable } from '../../http/route-table.ts';
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

/** `/v1/organization/projects/{project_id}/users`: organization members seated in a project. */
export const projectUsersRoutes = routeTable(
  ['Project users'],
  [
    route.get(
      '/organization/projects/:project_id/users',
      {
        operationId: 'list-project-users',
        summary: 'List the members of an active project',
        params: ProjectIdParams,
        querystring: ListProjectUsersQuery,
        response: ProjectUserList,
      },
      ({ db, principal, params, query }) => service.listProjectUsers(db, principal, params.project_id, query),
    ),
    route.post(
      '/organization/projects/:project_id/users',
      {
        operationId: 'create-project-user',
        summary: 'Add an organization member to a project',
        params: ProjectIdParams,
        body: AddProjectUserBody,
        response: ProjectUser,
      },
      ({ db, principal, params, body }) => service.addProjectUser(db, principal, params.project_id, body),
    ),
    route.get(
      '/organization/projects/:project_id/users/:user_id',
      { operationId: 'retrieve-project-user', summary: 'Get one member of a project', params: ProjectUserParams, response: ProjectUser },
      ({ db, principal, params }) => service.retrieveProjectUser(db, principal, params.project_id, params.user_id),
    ),
    route.post(
      '/organization/projects/:project_id/users/:user_id',
      {
        operationId: 'modify-project-user',
        summary: "Change a member's role in a project",
        params: ProjectUserParams,
        body: ModifyProjectUserBody,
        response: ProjectUser,
      },
      ({ db, principal, params, body }) => service.modifyProjectUser(db, principal, params.project_id, params.user_id, body),
    ),
    route.delete(
      '/organization/projects/:project_id/users/:user_id',
      {
        operationId: 'delete-project-user',
        summary: 'Remove a member from a project (they stay in the organization)',
        params: ProjectUserParams,
        response: ProjectUserDeleted,
      },
      ({ db, principal, params }) => service.removeProjectUser(db, principal, params.project_id, params.user_id),
    ),
  ],
);
