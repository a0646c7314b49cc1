import { route, routeTable } from '../../http/route-table.ts';
import {
  CreatedServiceAccount,
  CreateServiceAccountBody,
  CreateServiceAccountKeyBody,
  ListServiceAccountsQuery,
  ProjectParams,
  ServiceAccount,
  ServiceAccountApiKey,
  ServiceAccountDeleted,
  ServiceAccountList,
  ServiceAccountParams,
  UpdateServiceAccountBody,
} from './schemas.ts';
import * as service from './service.ts';

const ACCOUNT = '/organization/projects/:project_id/service_accounts/:service_account_id';

/** `/v1/organization/projects/{project_id}/service_accounts`: non-person owners of project keys. */
export const serviceAccountsRoutes = routeTable(
  ['Service accounts'],
  [
    route.get(
      '/organization/projects/:project_id/service_accounts',
      {
        operationId: 'list-project-service-accounts',
        summary: "List a project's service accounts",
        params: ProjectParams,
        querystring: ListServiceAccountsQuery,
        response: ServiceAccountList,
      },
      ({ db, principal, params, query }) => service.listServiceAccounts(db, principal, params.project_id, query),
    ),
    route.post(
      '/organization/projects/:project_id/service_accounts',
      {
        operationId: 'create-project-service-account',
        summary: 'Create a service account and its first key; the key value is shown only once',
        params: ProjectParams,
        body: CreateServiceAccountBody,
        response: CreatedServiceAccount,
      },
      ({ db, principal, params, body }) => service.createServiceAccount(db, principal, params.project_id, body),
    ),
    route.get(
      ACCOUNT,
      { operationId: 'retrieve-project-service-account', summary: 'Get one service account', params: ServiceAccountParams, response: ServiceAccount },
      ({ db, principal, params }) => service.retrieveServiceAccount(db, principal, params.project_id, params.service_account_id),
    ),
    route.post(
      ACCOUNT,
      {
        operationId: 'update-project-service-account',
        summary: "Rename a service account or change its project role",
        params: ServiceAccountParams,
        body: UpdateServiceAccountBody,
        response: ServiceAccount,
      },
      ({ db, principal, params, body }) => service.updateServiceAccount(db, principal, params.project_id, params.service_account_id, body),
    ),
    route.delete(
      ACCOUNT,
      {
        operationId: 'delete-project-service-account',
        summary: 'Delete a service account and its keys',
        params: ServiceAccountParams,
        response: ServiceAccountDeleted,
      },
      ({ db, principal, params }) => service.deleteServiceAccount(db, principal, params.project_id, params.service_account_id),
    ),
    route.post(
      `${ACCOUNT}/api_keys`,
      {
        operationId: 'create-project-service-account-api-key',
        summary: 'Create another key for a service account; its value is shown only once',
        params: ServiceAccountParams,
        body: CreateServiceAccountKeyBody,
        response: ServiceAccountApiKey,
        optionalBody: true,
      },
      ({ db, principal, params, body }) => service.createServiceAccountKey(db, principal, params.project_id, params.service_account_id, body),
    ),
  ],
);
