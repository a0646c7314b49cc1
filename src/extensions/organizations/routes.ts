import { route, routeTable } from '../../http/route-table.ts';
import {
  CreatedOrganization,
  CreateOrganizationBody,
  ListOrganizationsQuery,
  Organization,
  OrganizationDeleted,
  OrganizationList,
  OrganizationParams,
} from './schemas.ts';
import * as service from './service.ts';

/** `/roster/v1/organizations`: the platform's customers, managed with the operator key. */
export const organizationsRoutes = routeTable(
  ['Organizations (operator)'],
  [
    route.post(
      '/organizations',
      {
        operationId: 'roster-create-organization',
        summary: 'Create an organization with its first owner and admin key; the key value is shown only once',
        body: CreateOrganizationBody,
        response: CreatedOrganization,
      },
      ({ db, body }) => service.createOrganization(db, body),
    ),
    route.get(
      '/organizations',
      { operationId: 'roster-list-organizations', summary: 'List the organizations', querystring: ListOrganizationsQuery, response: OrganizationList },
      ({ db, query }) => service.listOrganizations(db, query),
    ),
    route.get(
      '/organizations/:organization_id',
      { operationId: 'roster-retrieve-organization', summary: 'Get one organization', params: OrganizationParams, response: Organization },
      ({ db, params }) => service.retrieveOrganization(db, params.organization_id),
    ),
    route.delete(
      '/organizations/:organization_id',
      {
        operationId: 'roster-delete-organization',
        summary: 'Delete an organization and everything in it, in one transaction',
        params: OrganizationParams,
        response: OrganizationDeleted,
      },
      ({ db, params }) => service.deleteOrganization(db, params.organization_id),
    ),
  ],
);
