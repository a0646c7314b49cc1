import { Type } from 'typebox';
import { VERSION } from '../lib/version.ts';
import { route, routeTable } from './route-table.ts';

const RootIndex = Type.Object({
  name: Type.Literal('roster'),
  version: Type.String(),
  api: Type.String({ description: 'Base URL of the OpenAI Admin API, relative to this server.' }),
  docs: Type.String({ description: 'The browsable API reference.' }),
  openapi: Type.String({ description: "roster's OpenAPI document." }),
  health: Type.String({ description: 'The health check, which needs no key.' }),
});

/**
 * `GET /`: someone who opens the server's address finds where to go instead of a bare 404. It
 * needs no key. Whatever is served at `/` later (a console) replaces this one route.
 */
export const rootRoutes = routeTable(
  ['roster'],
  [
    route.get('/', { operationId: 'roster-index', summary: 'Where the API and its documentation are', response: RootIndex }, () => ({
      name: 'roster' as const,
      version: VERSION,
      api: '/v1',
      docs: '/v1/docs',
      openapi: '/v1/openapi.json',
      health: '/roster/v1/health',
    })),
  ],
);
