import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * roster's own OpenAPI 3.1 document, generated from the route schemas, at `/v1/openapi.json`,
 * and a browsable reference at `/v1/docs`. Neither needs a key.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'roster',
        description:
          'A self-hostable server for the identity and access plane of the OpenAI Admin API. Routes under /v1 follow the OpenAI API; routes under /roster/v1 are roster extensions.',
        version: '0.1.0',
      },
      components: { securitySchemes: { AdminApiKeyAuth: { type: 'http', scheme: 'bearer' } } },
      security: [{ AdminApiKeyAuth: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/v1/docs', uiConfig: { docExpansion: 'list' } });
  app.get('/v1/openapi.json', { schema: { hide: true }, config: { public: true } }, () => app.swagger());
}
