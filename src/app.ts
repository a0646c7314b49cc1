import Fastify, { type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from './db/schema.ts';
import { requireAdminKey, requireCredential, requireOperator } from './http/auth.ts';
import { protocolOptions, registerErrorHandlers } from './http/error-handler.ts';
import { registerOpenApi } from './http/openapi.ts';
import { requestLogging } from './http/request-log.ts';
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
import { groupsRoutes } from './api/groups/routes.ts';
import { groupUsersRoutes } from './api/group-users/routes.ts';
import { projectGroupsRoutes } from './api/project-groups/routes.ts';
import { serviceAccountsRoutes } from './api/service-accounts/routes.ts';
import { projectApiKeysRoutes } from './api/project-api-keys/routes.ts';
import { userApiKeysRoutes } from './extensions/user-api-keys/routes.ts';
import { keyCheckRoutes } from './extensions/key-check/routes.ts';
import { organizationsRoutes } from './extensions/organizations/routes.ts';
import { certificatesRoutes } from './api/certificates/routes.ts';
import { defaultModelCatalogue, type ModelCatalogue } from './api/rate-limits/catalogue.ts';
import { dataRetentionRoutes } from './api/data-retention/routes.ts';
import { rateLimitsRoutes } from './api/rate-limits/routes.ts';
import { modelPermissionsRoutes } from './api/model-permissions/routes.ts';
import { hostedToolPermissionsRoutes } from './api/hosted-tool-permissions/routes.ts';
import { spendAlertsRoutes } from './api/spend-alerts/routes.ts';
import { spendLimitsRoutes } from './api/spend-limits/routes.ts';
import { serveConsole } from './extensions/console/routes.ts';
import { installEmulator } from './extensions/emulator/plugin.ts';
import type { Emulator } from './extensions/emulator/service.ts';
import { webhookRoutes } from './extensions/webhooks/routes.ts';
import { auditExportRoutes } from './extensions/audit-export/routes.ts';
import { TargetPolicy } from './extensions/webhooks/targets.ts';
import type { RosterMetrics } from './extensions/metrics/metrics.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>;
    modelCatalogue: ModelCatalogue;
  }
}

export interface AppOptions {
  db: Kysely<Database>;
  logger?: FastifyServerOptions['logger'];
  bodyLimit?: number;
  /** The models and their default rate limits; the shipped catalogue when not given. */
  modelCatalogue?: ModelCatalogue;
  /** Emulator mode (`roster emulate`, roster/testing) only: its controls, faults and journal. */
  emulator?: Emulator;
  /** Addresses webhooks may be sent to; by default public ones only. */
  webhookTargets?: TargetPolicy;
  /** When given, every response is timed into these metrics. */
  metrics?: RosterMetrics;
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
  app.decorate('modelCatalogue', options.modelCatalogue ?? defaultModelCatalogue());
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
  options.metrics?.instrument(app);
  await registerOpenApi(app);
  if (options.emulator) await installEmulator(app, options.emulator);

  await serveConsole(app);
  await app.register(healthRoutes, { prefix: '/roster/v1' });
  // roster's own endpoints that need an admin key, kept out of the OpenAI `/v1` namespace.
  await app.register(
    async (extensions) => {
      requireAdminKey(extensions, options.db);
      await extensions.register(inviteAcceptanceRoutes);
      await extensions.register(userApiKeysRoutes);
      await extensions.register(webhookRoutes(options.webhookTargets ?? new TargetPolicy()));
      await extensions.register(auditExportRoutes);
    },
    { prefix: '/roster/v1' },
  );
  // Organization management, for the platform's operator and no one else.
  await app.register(
    async (operator) => {
      requireOperator(operator, options.db);
      await operator.register(organizationsRoutes);
    },
    { prefix: '/roster/v1' },
  );
  // The key check, for gateways: their own token, or an admin key (which sees its organization's keys only).
  await app.register(
    async (gateways) => {
      requireCredential(gateways, options.db, ['gateway_token', 'admin_key']);
      await gateways.register(keyCheckRoutes);
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
      await v1.register(groupsRoutes);
      await v1.register(groupUsersRoutes);
      await v1.register(projectGroupsRoutes);
      await v1.register(serviceAccountsRoutes);
      await v1.register(projectApiKeysRoutes);
      await v1.register(certificatesRoutes);
      await v1.register(dataRetentionRoutes);
      await v1.register(rateLimitsRoutes);
      await v1.register(modelPermissionsRoutes);
      await v1.register(hostedToolPermissionsRoutes);
      await v1.register(spendAlertsRoutes);
      await v1.register(spendLimitsRoutes);
    },
    { prefix: '/v1' },
  );
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
