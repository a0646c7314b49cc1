import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
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

const tags = ['Admin API keys'];

/** `/v1/organization/admin_api_keys`: the keys that may call roster on behalf of the organization. */
export const adminApiKeysRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/organization/admin_api_keys',
    {
      schema: {
        operationId: 'admin-api-keys-list',
        summary: "List the organization's admin keys",
        tags,
        querystring: ListAdminApiKeysQuery,
        response: { 200: AdminApiKeyList },
      },
    },
    (request) => service.listKeys(app.db, request.principal, request.query),
  );

  app.post(
    '/organization/admin_api_keys',
    {
      schema: {
        operationId: 'admin-api-keys-create',
        summary: 'Create an admin key owned by the calling member; its value is shown only once',
        tags,
        body: CreateAdminApiKeyBody,
        response: { 200: CreatedAdminApiKey },
      },
    },
    (request) => service.createKey(app.db, request.principal, request.body),
  );

  app.get(
    '/organization/admin_api_keys/:key_id',
    {
      schema: {
        operationId: 'admin-api-keys-get',
        summary: 'Get one admin key by id (redacted)',
        tags,
        params: KeyIdParams,
        response: { 200: AdminApiKey },
      },
    },
    (request) => service.retrieveKey(app.db, request.principal, request.params.key_id),
  );

  app.delete(
    '/organization/admin_api_keys/:key_id',
    {
      schema: {
        operationId: 'admin-api-keys-delete',
        summary: 'Delete an admin key; it is refused from the next request on',
        tags,
        params: KeyIdParams,
        response: { 200: AdminApiKeyDeleted },
      },
    },
    (request) => service.deleteKey(app.db, request.principal, request.params.key_id),
  );
};
