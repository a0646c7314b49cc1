import { route, routeTable } from '../../http/route-table.ts';
import { LEVELS, scopeRef } from '../policy/scope.ts';
import {
  AlertId,
  ListSpendAlertsQuery,
  OrganizationSpendAlert,
  OrganizationSpendAlertDeleted,
  OrganizationSpendAlertList,
  ProjectSpendAlert,
  ProjectSpendAlertDeleted,
  ProjectSpendAlertList,
  SpendAlertBody,
} from './schemas.ts';
import * as service from './service.ts';

const twins = [
  {
    routes: LEVELS.organization,
    schemas: { alert: OrganizationSpendAlert, list: OrganizationSpendAlertList, deleted: OrganizationSpendAlertDeleted },
    ids: {
      list: 'list-organization-spend-alerts',
      create: 'create-organization-spend-alert',
      retrieve: 'retrieve-organization-spend-alert',
      update: 'update-organization-spend-alert',
      delete: 'delete-organization-spend-alert',
    },
  },
  {
    routes: LEVELS.project,
    schemas: { alert: ProjectSpendAlert, list: ProjectSpendAlertList, deleted: ProjectSpendAlertDeleted },
    ids: {
      list: 'list-project-spend-alerts',
      create: 'create-project-spend-alert',
      retrieve: 'retrieve-project-spend-alert',
      update: 'update-project-spend-alert',
      delete: 'delete-project-spend-alert',
    },
  },
];

/** `/v1/organization/spend_alerts` and `/v1/organization/projects/{project_id}/spend_alerts`. */
export const spendAlertsRoutes = routeTable(
  ['Spend alerts'],
  twins.flatMap(({ routes, schemas, ids }) => {
    const url = `${routes.prefix}/spend_alerts`;
    const params = routes.params();
    const itemParams = routes.params(AlertId);
    const alertId = (params: unknown) => (params as { alert_id: string }).alert_id;
    const noun = `${routes.level} spend alert`;
    return [
      route.get(url, { operationId: ids.list, summary: `List the ${noun}s`, params, querystring: ListSpendAlertsQuery, response: schemas.list }, ({ db, principal, params, query }) =>
        service.listSpendAlerts(db, scopeRef(principal, params), query),
      ),
      route.post(url, { operationId: ids.create, summary: `Create a ${noun}`, params, body: SpendAlertBody, response: schemas.alert }, ({ db, principal, params, body }) =>
        service.createSpendAlert(db, principal, scopeRef(principal, params), body),
      ),
      route.get(`${url}/:alert_id`, { operationId: ids.retrieve, summary: `Get a ${noun}`, params: itemParams, response: schemas.alert }, ({ db, principal, params }) =>
        service.retrieveSpendAlert(db, scopeRef(principal, params), alertId(params)),
      ),
      route.post(
        `${url}/:alert_id`,
        { operationId: ids.update, summary: `Replace a ${noun}`, params: itemParams, body: SpendAlertBody, response: schemas.alert },
        ({ db, principal, params, body }) => service.updateSpendAlert(db, principal, scopeRef(principal, params), alertId(params), body),
      ),
      route.delete(`${url}/:alert_id`, { operationId: ids.delete, summary: `Delete a ${noun}`, params: itemParams, response: schemas.deleted }, ({ db, principal, params }) =>
        service.deleteSpendAlert(db, principal, scopeRef(principal, params), alertId(params)),
      ),
    ];
  }),
);
