import { route, routeTable } from '../../http/route-table.ts';
import {
  AdminApiKey,
  AdminApiKeyDeleted,
  AdminApiKeyList,
  CreateAdminApiKeyBody,
  CreatedAdminApiKey,
  KeyIdParams,
  ListAdminApiKeysQuery,
} from './schemas.ts';
import * as service from './service.ts';

/** `/v1/organization/admin_api_keys`: the keys that may call roster on behalf of the organization. */
export const adminApiKeysRoutes = routeTable(
  ['Admin API keys'],
  [
    route.get(
      '/organization/admin_api_keys',
      { operationId: 'admin-api-keys-list', summary: "List the organization's admin keys", querystring: ListAdminApiKeysQuery, response: AdminApiKeyList },
      ({ db, principal, query }) => service.listKeys(db, principal, query),
    ),
    route.post(
      '/organization/admin_api_keys',
      {
        operationId: 'admin-api-keys-create',
        summary: 'Create an admin key owned by the calling member; its value is shown only once',
        body: CreateAdminApiKeyBody,
        response: CreatedAdminApiKey,
      },
      ({ db, principal, body }) => service.createKey(db, principal, body),
    ),
    route.get(
      '/organization/admin_api_keys/:key_id',
      { operationId: 'admin-api-keys-get', summary: 'Get one admin key by id (redacted)', params: KeyIdParams, response: AdminApiKey },
      ({ db, principal, params }) => service.retrieveKey(db, principal, params.key_id),
    ),
    route.delete(
      '/organization/admin_api_keys/:key_id',
      {
        operationId: 'admin-api-keys-delete',
        summary: 'Delete an admin key; it is refused from the next request on',
        params: KeyIdParams,
        response: AdminApiKeyDeleted,
      },
      ({ db, principal, params }) => service.deleteKey(db, principal, params.key_id),
    ),
  ],
);
