import { route, routeTable } from '../../http/route-table.ts';
import { GroupParams } from '../groups/schemas.ts';
import {
  AddGroupUserBody,
  GroupMemberUser,
  GroupUserAdded,
  GroupUserList,
  GroupUserParams,
  GroupUserRemoved,
  ListGroupUsersQuery,
} from './schemas.ts';
import * as service from './service.ts';

/** `/v1/organization/groups/{group_id}/users`: who belongs to a group. */
export const groupUsersRoutes = routeTable(
  ['Group users'],
  [
    route.get(
      '/organization/groups/:group_id/users',
      {
        operationId: 'list-group-users',
        summary: 'List the members of a group, newest first unless `order=asc`',
        params: GroupParams,
        querystring: ListGroupUsersQuery,
        response: GroupUserList,
      },
      ({ db, principal, params, query }) => service.listGroupUsers(db, principal, params.group_id, query),
    ),
    route.post(
      '/organization/groups/:group_id/users',
      { operationId: 'add-group-user', summary: 'Add an organization member to a group', params: GroupParams, body: AddGroupUserBody, response: GroupUserAdded },
      ({ db, principal, params, body }) => service.addGroupUser(db, principal, params.group_id, body),
    ),
    route.get(
      '/organization/groups/:group_id/users/:user_id',
      { operationId: 'retrieve-group-user', summary: 'Get one member of a group', params: GroupUserParams, response: GroupMemberUser },
      ({ db, principal, params }) => service.retrieveGroupUser(db, principal, params.group_id, params.user_id),
    ),
    route.delete(
      '/organization/groups/:group_id/users/:user_id',
      { operationId: 'remove-group-user', summary: 'Remove a member from a group', params: GroupUserParams, response: GroupUserRemoved },
      ({ db, principal, params }) => service.removeGroupUser(db, principal, params.group_id, params.user_id),
    ),
  ],
);
