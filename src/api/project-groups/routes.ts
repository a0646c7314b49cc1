import { route, routeTable } from '../../http/route-table.ts';
import {
  AddProjectGroupBody,
  ListProjectGroupsQuery,
  ProjectGroup,
  ProjectGroupList,
  ProjectGroupParams,
  ProjectGroupRemoved,
  ProjectParams,
  RetrieveProjectGroupQuery,
} from './schemas.ts';
import * as service from './service.ts';

/** `/v1/organization/projects/{project_id}/groups`: the groups seated in a project. */
export const projectGroupsRoutes = routeTable(
  ['Project groups'],
  [
    route.get(
      '/organization/projects/:project_id/groups',
      { operationId: 'list-project-groups', summary: 'List the groups in a project', params: ProjectParams, querystring: ListProjectGroupsQuery, response: ProjectGroupList },
      ({ db, principal, params, query }) => service.listProjectGroups(db, principal, params.project_id, query),
    ),
    route.post(
      '/organization/projects/:project_id/groups',
      { operationId: 'add-project-group', summary: 'Add a group to a project with a project role', params: ProjectParams, body: AddProjectGroupBody, response: ProjectGroup },
      ({ db, principal, params, body }) => service.addProjectGroup(db, principal, params.project_id, body),
    ),
    route.get(
      '/organization/projects/:project_id/groups/:group_id',
      {
        operationId: 'retrieve-project-group',
        summary: 'Get one group in a project',
        params: ProjectGroupParams,
        querystring: RetrieveProjectGroupQuery,
        response: ProjectGroup,
      },
      ({ db, principal, params, query }) => service.retrieveProjectGroup(db, principal, params.project_id, params.group_id, query),
    ),
    route.delete(
      '/organization/projects/:project_id/groups/:group_id',
      { operationId: 'remove-project-group', summary: 'Remove a group, and the roles it holds there, from a project', params: ProjectGroupParams, response: ProjectGroupRemoved },
      ({ db, principal, params }) => service.removeProjectGroup(db, principal, params.project_id, params.group_id),
    ),
  ],
);
