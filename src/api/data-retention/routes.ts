import { route, routeTable } from '../../http/route-table.ts';
import { LEVELS, scopeRef } from '../policy/scope.ts';
import {
  OrganizationDataRetention,
  ProjectDataRetention,
  UpdateOrganizationDataRetentionBody,
  UpdateProjectDataRetentionBody,
} from './schemas.ts';
import * as service from './service.ts';

const twins = [
  {
    routes: LEVELS.organization,
    object: OrganizationDataRetention,
    body: UpdateOrganizationDataRetentionBody,
    ids: { retrieve: 'retrieve-organization-data-retention', update: 'update-organization-data-retention' },
  },
  {
    routes: LEVELS.project,
    object: ProjectDataRetention,
    body: UpdateProjectDataRetentionBody,
    ids: { retrieve: 'retrieve-project-data-retention', update: 'update-project-data-retention' },
  },
];

/** `/v1/organization/data_retention` and `/v1/organization/projects/{project_id}/data_retention`. */
export const dataRetentionRoutes = routeTable(
  ['Data retention'],
  twins.flatMap(({ routes, object, body, ids }) => [
    route.get(
      `${routes.prefix}/data_retention`,
      { operationId: ids.retrieve, summary: `Get the ${routes.level}'s data retention arrangement`, params: routes.params(), response: object },
      ({ db, principal, params }) => service.retrieveDataRetention(db, scopeRef(principal, params)),
    ),
    route.post(
      `${routes.prefix}/data_retention`,
      { operationId: ids.update, summary: `Set the ${routes.level}'s data retention arrangement`, params: routes.params(), body, response: object },
      ({ db, principal, params, body }) => service.updateDataRetention(db, principal, scopeRef(principal, params), body),
    ),
  ]),
);
