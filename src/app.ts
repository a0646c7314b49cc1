import Fastify, { type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from './db/schema.ts';
import { requireAdminKey } from './http/auth.ts';
import { protocolOptions, registerErrorHandlers } from './http/error-handler.ts';
import { registerOpenApi } from './http/openapi.ts';
import { requestLogging } from './http/request-log.ts';
import { rootRoutes } from './http/root.ts';
import { validatorCompiler } from './http/validation.ts';
import { healthRoutes } from './api/health/routes.ts';
import { organizationUsersRoutes } from './api/organization-users/routes.ts';
import { projectsRoutes } from './api/projects/routes.ts';
import { projectUsersRoutes } from './api/project-users/routes.ts';
import { inviteAcceptanceRoutes, invitesRoutes } from './api/invites/routes.ts';
import { adminApiKeysRoutes } from './api/admin-api-keys/routes.ts';
import { auditLogsRoutes } from './api/audit-logs/routes.ts';
import { roleAssignmentsRoutes } from './api/role-assignments/routes.ts';
import { rolesRoutes } from './api/roles/routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>;
  }
}

export interface AppOptions {
  db: Kysely<Database>;
  logger?: FastifyServerOptions['logger'];
  bodyLimit?: number;
}

/** Builds the HTTP application without listening, so tests can drive it directly. */
export async function buildApp(options: AppOptions) {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    ...requestLogging,
    ...protocolOptions,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('db', options.db);
  app.setValidatorCompiler(validatorCompiler);

  // Clients such as curl send `Content-Type: application/json` with an empty body on DELETE and
  // on bodiless POSTs; that is not malformed JSON, just no body.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    return parseJson(request, body as string, done);
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerErrorHandlers(app);
  await registerOpenApi(app);

  await app.register(rootRoutes);
  await app.register(healthRoutes, { prefix: '/roster/v1' });
  // roster's own endpoints that need an admin key, kept out of the OpenAI `/v1` namespace.
  await app.register(
    async (extensions) => {
      requireAdminKey(extensions, options.db);
      await extensions.register(inviteAcceptanceRoutes);
    },
    { prefix: '/roster/v1' },
  );
  await app.register(
    async (v1) => {
      requireAdminKey(v1, options.db);
      await v1.register(organizationUsersRoutes);
      await v1.register(projectsRoutes);
      await v1.register(projectUsersRoutes);
      await v1.register(invitesRoutes);
      await v1.register(adminApiKeysRoutes);
      await v1.register(auditLogsRoutes);
      await v1.register(rolesRoutes);
      await v1.register(roleAssignmentsRoutes);
    },
    { prefix: '/v1' },
  );
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
