import { route, routeTable } from '../../http/route-table.ts';
import { OrganizationUser } from '../organization-users/schemas.ts';
import { AcceptInviteBody, CreateInviteBody, Invite, InviteDeleted, InviteIdParams, InviteList, ListInvitesQuery } from './schemas.ts';
import * as service from './service.ts';

const tags = ['Invites'];

/** `/v1/organization/invites`: invitations to join the organization. */
export const invitesRoutes = routeTable(tags, [
  route.get(
    '/organization/invites',
    { operationId: 'list-invites', summary: 'List the invites of the organization, whatever their status', querystring: ListInvitesQuery, response: InviteList },
    ({ db, principal, query }) => service.listInvites(db, principal, query),
  ),
  route.post(
    '/organization/invites',
    { operationId: 'inviteUser', summary: 'Invite a person to the organization and, on acceptance, to projects', body: CreateInviteBody, response: Invite },
    ({ db, principal, body }) => service.createInvite(db, principal, body),
  ),
  route.get(
    '/organization/invites/:invite_id',
    { operationId: 'retrieve-invite', summary: 'Get one invite by id', params: InviteIdParams, response: Invite },
    ({ db, principal, params }) => service.retrieveInvite(db, principal, params.invite_id),
  ),
  route.delete(
    '/organization/invites/:invite_id',
    { operationId: 'delete-invite', summary: 'Withdraw an invite that has not been accepted', params: InviteIdParams, response: InviteDeleted },
    ({ db, principal, params }) => service.deleteInvite(db, principal, params.invite_id),
  ),
]);

/**
 * `/roster/v1/invites/{invite_id}/accept`: a roster extension. The real API accepts invites in
 * a web page; this lets an operator (or a test) do the same with an admin key.
 */
export const inviteAcceptanceRoutes = routeTable(tags, [
  route.post(
    '/invites/:invite_id/accept',
    {
      operationId: 'roster-accept-invite',
      summary: 'Accept a pending invite on behalf of the invited person',
      description:
        'Creates the organization membership with the invite role and the granted project memberships, marks the invite accepted, and returns the new organization user. The body is optional.',
      params: InviteIdParams,
      body: AcceptInviteBody,
      optionalBody: true,
      response: OrganizationUser,
    },
    ({ db, principal, params, body }) => service.acceptInvite(db, principal, params.invite_id, body),
  ),
]);
