import { route, routeTable } from '../../http/route-table.ts';
import {
  ListProjectApiKeysQuery,
  ProjectApiKey,
  ProjectApiKeyDeleted,
  ProjectApiKeyList,
  ProjectApiKeyParams,
  ProjectParams,
  UpdateProjectApiKeyBody,
} from './schemas.ts';
import * as service from './service.ts';

/** `/v1/organization/projects/{project_id}/api_keys`: the keys that call models in a project. */
export const projectApiKeysRoutes = routeTable(
  ['Project API keys'],
  [
    route.get(
      '/organization/projects/:project_id/api_keys',
      {
        operationId: 'list-project-api-keys',
        summary: "List a project's API keys",
        description: 'Without `owner_project_access`, only keys whose owner can still use the project are listed.',
        params: ProjectParams,
        querystring: ListProjectApiKeysQuery,
        response: ProjectApiKeyList,
      },
      ({ db, principal, params, query }) => service.listKeys(db, principal, params.project_id, query),
    ),
    route.get(
      '/organization/projects/:project_id/api_keys/:api_key_id',
      { operationId: 'retrieve-project-api-key', summary: 'Get one project API key (redacted)', params: ProjectApiKeyParams, response: ProjectApiKey },
      ({ db, principal, params }) => service.retrieveKey(db, principal, params.project_id, params.api_key_id),
    ),
    route.post(
      '/organization/projects/:project_id/api_keys/:api_key_id',
      {
        operationId: 'update-project-api-key',
        summary: "Change a project API key's scopes or lifetime",
        params: ProjectApiKeyParams,
        body: UpdateProjectApiKeyBody,
        response: ProjectApiKey,
      },
      ({ db, principal, params, body }) => service.updateKey(db, principal, params.project_id, params.api_key_id, body),
    ),
    route.delete(
      '/organization/projects/:project_id/api_keys/:api_key_id',
      {
        operationId: 'delete-project-api-key',
        summary: "Delete a person's project API key (a service account's keys go with the account)",
        params: ProjectApiKeyParams,
        response: ProjectApiKeyDeleted,
      },
      ({ db, principal, params }) => service.deleteKey(db, principal, params.project_id, params.api_key_id),
    ),
  ],
);
