import { route, routeTable } from '../../http/route-table.ts';
import {
  ListOrganizationUsersQuery,
  ModifyOrganizationUserBody,
  OrganizationUser,
  OrganizationUserDeleted,
  OrganizationUserList,
  UserIdParams,
} from './schemas.ts';
import * as service from './service.ts';

/** `/v1/organization/users`: the members of the caller's organization. */
export const organizationUsersRoutes = routeTable(
  ['Organization users'],
  [
    route.get(
      '/organization/users',
      { operationId: 'list-users', summary: 'List the members of the organization', querystring: ListOrganizationUsersQuery, response: OrganizationUserList },
      ({ db, principal, query }) => service.listUsers(db, principal, query),
    ),
    route.get(
      '/organization/users/:user_id',
      { operationId: 'retrieve-user', summary: 'Get one member by id', params: UserIdParams, response: OrganizationUser },
      ({ db, principal, params }) => service.retrieveUser(db, principal, params.user_id),
    ),
    route.post(
      '/organization/users/:user_id',
      {
        operationId: 'modify-user',
        summary: "Change a member's role or profile metadata",
        params: UserIdParams,
        body: ModifyOrganizationUserBody,
        response: OrganizationUser,
      },
      ({ db, principal, params, body }) => service.modifyUser(db, principal, params.user_id, body),
    ),
    route.delete(
      '/organization/users/:user_id',
      { operationId: 'delete-user', summary: 'Remove a member from the organization', params: UserIdParams, response: OrganizationUserDeleted },
      ({ db, principal, params }) => service.deleteUser(db, principal, params.user_id),
    ),
  ],
);
