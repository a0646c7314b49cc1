import { route, routeTable } from '../../http/route-table.ts';
import { Group, GroupDeleted, GroupList, GroupNameBody, GroupParams, ListGroupsQuery } from './schemas.ts';
import * as service from './service.ts';

/** `/v1/organization/groups`: the groups of the caller's organization. */
export const groupsRoutes = routeTable(
  ['Groups'],
  [
    route.get(
      '/organization/groups',
      { operationId: 'list-groups', summary: 'List the groups of the organization', querystring: ListGroupsQuery, response: GroupList },
      ({ db, principal, query }) => service.listGroups(db, principal, query),
    ),
    route.post(
      '/organization/groups',
      { operationId: 'create-group', summary: 'Create a group', body: GroupNameBody, response: Group },
      ({ db, principal, body }) => service.createGroup(db, principal, body),
    ),
    route.get(
      '/organization/groups/:group_id',
      { operationId: 'retrieve-group', summary: 'Get one group by id', params: GroupParams, response: Group },
      ({ db, principal, params }) => service.retrieveGroup(db, principal, params.group_id),
    ),
    route.post(
      '/organization/groups/:group_id',
      { operationId: 'update-group', summary: 'Rename a group', params: GroupParams, body: GroupNameBody, response: Group },
      ({ db, principal, params, body }) => service.renameGroup(db, principal, params.group_id, body),
    ),
    route.delete(
      '/organization/groups/:group_id',
      {
        operationId: 'delete-group',
        summary: 'Delete a group with its memberships, roles and project seats',
        params: GroupParams,
        response: GroupDeleted,
      },
      ({ db, principal, params }) => service.deleteGroup(db, principal, params.group_id),
    ),
  ],
);
