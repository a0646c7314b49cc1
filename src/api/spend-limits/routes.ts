import { route, routeTable } from '../../http/route-table.ts';
import { LEVELS, scopeRef } from '../policy/scope.ts';
import {
  OrganizationSpendLimit,
  OrganizationSpendLimitDeleted,
  ProjectSpendLimit,
  ProjectSpendLimitDeleted,
  UpdateSpendLimitBody,
} from './schemas.ts';
import * as service from './service.ts';

const twins = [
  {
    routes: LEVELS.organization,
    object: OrganizationSpendLimit,
    deleted: OrganizationSpendLimitDeleted,
    ids: { retrieve: 'Getorganizationspendlimit', update: 'Updateorganizationspendlimit', delete: 'Deleteorganizationspendlimit' },
  },
  {
    routes: LEVELS.project,
    object: ProjectSpendLimit,
    deleted: ProjectSpendLimitDeleted,
    ids: { retrieve: 'Getprojectspendlimit', update: 'Updateprojectspendlimit', delete: 'Deleteprojectspendlimit' },
  },
];

/** `/v1/organization/spend_limit` and `/v1/organization/projects/{project_id}/spend_limit`: hard limits, in cents. */
export const spendLimitsRoutes = routeTable(
  ['Spend limits'],
  twins.flatMap(({ routes, object, deleted, ids }) => {
    const url = `${routes.prefix}/spend_limit`;
    const params = routes.params();
    return [
      route.get(url, { operationId: ids.retrieve, summary: `Get the ${routes.level}'s hard spend limit`, params, response: object }, ({ db, principal, params }) =>
        service.retrieveSpendLimit(db, scopeRef(principal, params)),
      ),
      route.post(
        url,
        { operationId: ids.update, summary: `Set or replace the ${routes.level}'s hard spend limit`, params, body: UpdateSpendLimitBody, response: object },
        ({ db, principal, params, body }) => service.updateSpendLimit(db, principal, scopeRef(principal, params), body),
      ),
      route.delete(url, { operationId: ids.delete, summary: `Remove the ${routes.level}'s hard spend limit`, params, response: deleted }, ({ db, principal, params }) =>
        service.deleteSpendLimit(db, principal, scopeRef(principal, params)),
      ),
    ];
  }),
);
