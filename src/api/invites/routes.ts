import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { OrganizationUser } from '../organization-users/schemas.ts';
import { AcceptInviteBody, CreateInviteBody, Invite, InviteDeleted, InviteIdParams, InviteList, ListInvitesQuery } from './schemas.ts';
import * as service from './service.ts';

const tags = ['Invites'];

/** `/v1/organization/invites`: invitations to join the organization. */
export const invitesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/organization/invites',
    {
      schema: {
        operationId: 'list-invites',
        summary: 'List the invites of the organization, whatever their status',
        tags,
        querystring: ListInvitesQuery,
        response: { 200: InviteList },
      },
    },
    (request) => service.listInvites(app.db, request.principal, request.query),
  );

  app.post(
    '/organization/invites',
    {
      schema: {
        operationId: 'inviteUser',
        summary: 'Invite a person to the organization and, on acceptance, to projects',
        tags,
        body: CreateInviteBody,
        response: { 200: Invite },
      },
    },
    (request) => service.createInvite(app.db, request.principal, request.body),
  );

  app.get(
    '/organization/invites/:invite_id',
    {
      schema: {
        operationId: 'retrieve-invite',
        summary: 'Get one invite by id',
        tags,
        params: InviteIdParams,
        response: { 200: Invite },
      },
    },
    (request) => service.retrieveInvite(app.db, request.principal, request.params.invite_id),
  );

  app.delete(
    '/organization/invites/:invite_id',
    {
      schema: {
        operationId: 'delete-invite',
        summary: 'Withdraw an invite that has not been accepted',
        tags,
        params: InviteIdParams,
        response: { 200: InviteDeleted },
      },
    },
    (request) => service.deleteInvite(app.db, request.principal, request.params.invite_id),
  );
};

/**
 * `/roster/v1/invites/{invite_id}/accept`: a roster extension. The real API accepts invites in
 * a web page; this lets an operator (or a test) do the same with an admin key.
 */
export const inviteAcceptanceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/invites/:invite_id/accept',
    {
      schema: {
        operationId: 'roster-accept-invite',
        summary: 'Accept a pending invite on behalf of the invited person',
        description:
          'Creates the organization membership with the invite role and the granted project memberships, marks the invite accepted, and returns the new organization user. The body is optional.',
        tags,
        params: InviteIdParams,
        body: AcceptInviteBody,
        response: { 200: OrganizationUser },
      },
      // The body is optional: no body means no name.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    (request) => service.acceptInvite(app.db, request.principal, request.params.invite_id, request.body),
  );
};
