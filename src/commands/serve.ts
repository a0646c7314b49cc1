import type { Kysely } from 'kysely';
import { buildApp } from '../app.ts';
import type { Config } from '../config.ts';
import { migrateToLatest, openStore, withStartupLock } from '../db/connect.ts';
import type { Database } from '../db/schema.ts';
import { createOrganization, firstOrganizationId } from '../api/organizations/service.ts';
import { hashSecret } from '../lib/secrets.ts';
import { ensureOperatorKey, hasPlatformCredential, setPlatformCredential } from '../http/platform-credentials.ts';
import { loadModelCatalogue } from '../api/rate-limits/catalogue.ts';
import { TargetPolicy } from '../extensions/webhooks/targets.ts';
import { WebhookWorker } from '../extensions/webhooks/worker.ts';
import { RosterMetrics } from '../extensions/metrics/metrics.ts';

/**
 * `roster serve`: migrate, bootstrap an empty store, listen, and stop cleanly on SIGTERM/SIGINT.
 * Several instances may start at once against one PostgreSQL: migrating and bootstrapping each
 * happen once, under a lock, and the process keeps no state of its own between requests.
 */
export async function serve(config: Config): Promise<void> {
  // A bad catalogue stops roster before it touches the store.
  const modelCatalogue = loadModelCatalogue(config.modelCatalogueFile);
  const store = openStore(config);
  await migrateToLatest(store);
  const webhookTargets = new TargetPolicy(config.webhooks.allowedTargets);
  const metrics = config.metrics.port === undefined ? undefined : new RosterMetrics();
  const app = await buildApp({
    db: store.db,
    bodyLimit: config.bodyLimit,
    logger: { level: config.logLevel },
    modelCatalogue,
    webhookTargets,
    metrics,
  });
  if (metrics) {
    const metricsServer = await metrics.listen(config.metrics.host, config.metrics.port!);
    app.addHook('onClose', () => new Promise<void>((resolve) => metricsServer.close(() => resolve())));
  }
  if (config.webhooks.deliver) {
    const worker = new WebhookWorker({
      db: store.db,
      dialect: store.dialect,
      targets: webhookTargets,
      leaseMs: config.webhooks.leaseSeconds * 1000,
      observer: metrics,
      onError: (error) => {
        metrics?.countDatabaseError(error);
        app.log.error({ err: error }, 'webhook delivery round failed');
      },
    }).start();
    // preClose runs before the store is closed (onClose): attempts in flight are finished and recorded.
    app.addHook('preClose', () => worker.stop());
  }
  app.addHook('onClose', async () => {
    await store.db.destroy();
  });

  // Signal handlers go in before listening, so a stop request never meets the default handler.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping: finishing in-flight requests');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));

  const banner = await withStartupLock(store, (db) => bootstrap(db, config));
  const address = await app.listen({ host: config.host, port: config.port });
  app.log.info({ address, store: store.describe }, 'roster is listening');
  printHowToCall(address, banner);
}

interface Banner {
  /** The clear key, when roster generated it just now (it is never shown again). */
  generatedKey?: string;
  /** The operator key, when roster generated it just now (it is never shown again). */
  generatedOperatorKey?: string;
}

async function bootstrap(db: Kysely<Database>, config: Config): Promise<Banner> {
  const platform = await bootstrapPlatform(db, config);
  const existing = await firstOrganizationId(db);
  const wanted = config.bootstrap.adminKey;
  // Once roster has started on this store, an empty store means every organization was deleted on purpose.
  if (existing || platform.startedBefore) {
    if (wanted) {
      const known = await db.selectFrom('admin_api_keys').select('id').where('secret_hash', '=', hashSecret(wanted)).executeTakeFirst();
      if (!known) process.stderr.write('warning: ROSTER_BOOTSTRAP_ADMIN_KEY is only used on first start; this store does not know it.\n');
    }
    return { generatedOperatorKey: platform.generatedOperatorKey };
  }
  const created = await createOrganization(db, {
    name: config.bootstrap.organizationName,
    owner: { email: config.bootstrap.ownerEmail, name: config.bootstrap.ownerName },
    adminKeyValue: wanted,
  });
  return { generatedKey: wanted ? undefined : created.adminKeyValue, generatedOperatorKey: platform.generatedOperatorKey };
}

/** The operator key (set, kept, or generated) and the gateway token (when set), stored before listening. */
async function bootstrapPlatform(db: Kysely<Database>, config: Config) {
  const startedBefore = await hasPlatformCredential(db, 'operator');
  const generatedOperatorKey = await ensureOperatorKey(db, config.platform.operatorKey);
  if (config.platform.gatewayToken) await setPlatformCredential(db, 'gateway', config.platform.gatewayToken);
  return { startedBefore, generatedOperatorKey };
}

function printHowToCall(address: string, banner: Banner): void {
  const key = banner.generatedKey ? banner.generatedKey : '$ROSTER_ADMIN_KEY';
  const lines = [
    '',
    `roster is serving the OpenAI Admin API at ${address}/v1`,
    `Web console: ${address}/ (sign in with the admin key)`,
    banner.generatedKey
      ? `Admin key (shown once, store it now): ${banner.generatedKey}`
      : 'Use the admin key you set with ROSTER_BOOTSTRAP_ADMIN_KEY (or one created earlier).',
    '',
    `  curl ${address}/v1/organization/users -H "Authorization: Bearer ${key}"`,
    '',
    `API reference: ${address}/v1/docs   OpenAPI: ${address}/v1/openapi.json`,
    '',
    ...(banner.generatedOperatorKey
      ? [`Operator key, for /roster/v1/organizations (shown once, store it now): ${banner.generatedOperatorKey}`, '']
      : []),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
