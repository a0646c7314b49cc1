import type { Kysely } from 'kysely';
import { buildApp } from '../app.ts';
import type { Config } from '../config.ts';
import { openMigratedStore, withStartupLock } from '../db/connect.ts';
import type { Database } from '../db/schema.ts';
import { createOrganization, firstOrganizationId } from '../api/organizations/service.ts';
import { hashSecret } from '../lib/secrets.ts';
import { ensureOperatorKey, hasPlatformCredential, setPlatformCredential } from '../http/platform-credentials.ts';
import { loadModelCatalogue } from '../api/rate-limits/catalogue.ts';
import { TargetPolicy } from '../extensions/webhooks/targets.ts';
import { WebhookWorker } from '../extensions/webhooks/worker.ts';
import { RosterMetrics } from '../extensions/metrics/metrics.ts';

/** A start-up failure worth one line to the operator, not a stack trace. */
export class StartupError extends Error {}

function listenFailure(error: unknown, config: Config): StartupError {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${config.host}:${config.port}`;
  if (code === 'EADDRINUSE') return new StartupError(`cannot listen on ${where}: the port is already in use (set PORT to another one)`);
  if (code === 'EACCES') return new StartupError(`cannot listen on ${where}: permission denied (ports below 1024 need privileges)`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new StartupError(`cannot listen on ${where}: HOST is not an address of this machine`);
  return new StartupError(`cannot listen on ${where}: ${(error as Error).message}`);
}

/**
 * `roster serve`: migrate, listen, bootstrap an empty store, and stop cleanly on SIGTERM/SIGINT.
 * It listens before it bootstraps: if the port cannot be had, nothing has been created, and the
 * admin key generated for an empty store is printed the moment it exists, so a failed start never
 * leaves a store whose only key nobody saw. Several instances may start at once against one
 * PostgreSQL: migrating and bootstrapping each happen once, under a lock, and the process keeps no
 * state of its own between requests.
 */
export async function serve(config: Config): Promise<void> {
  // A bad catalogue stops roster before it touches the store.
  const modelCatalogue = loadModelCatalogue(config.modelCatalogueFile);
  const store = await openMigratedStore(config);
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

  let address: string;
  try {
    address = await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    throw listenFailure(error, config);
  }
  const banner = await withStartupLock(store, (db) => bootstrap(db, config));
  app.log.info({ address, store: store.describe }, 'roster is listening');
  printHowToCall(address, banner);
}

/** What the start-up banner says about the admin key. */
type Banner =
  /** roster generated this key just now; it is never shown again. */
  | { kind: 'generated'; key: string }
  /** The store was empty and the key is ROSTER_BOOTSTRAP_ADMIN_KEY's value. */
  | { kind: 'configured' }
  /** The store already had an organization; `configuredKeyKnown` says whether the configured key is one of its keys. */
  | { kind: 'existing'; configuredKeyKnown: boolean };

async function bootstrap(db: Kysely<Database>, config: Config): Promise<Banner> {
  const platform = await bootstrapPlatform(db, config);
  const existing = await firstOrganizationId(db);
  const wanted = config.bootstrap.adminKey;
  // Once roster has started on this store, an empty store means every organization was deleted on purpose.
  if (existing || platform.startedBefore) {
    if (!wanted) return { kind: 'existing', configuredKeyKnown: false };
    const known = await db.selectFrom('admin_api_keys').select('id').where('secret_hash', '=', hashSecret(wanted)).executeTakeFirst();
    if (!known) process.stderr.write('warning: ROSTER_BOOTSTRAP_ADMIN_KEY is only used on first start; this store does not know it.\n');
    return { kind: 'existing', configuredKeyKnown: Boolean(known) };
  }
  const created = await createOrganization(db, {
    name: config.bootstrap.organizationName,
    owner: { email: config.bootstrap.ownerEmail, name: config.bootstrap.ownerName },
    adminKeyValue: wanted,
  });
  if (wanted) return { kind: 'configured' };
  // Printed at once: whatever happens next, the only way in has been shown.
  process.stdout.write(`\nAdmin key (shown once, store it now): ${created.adminKeyValue}\n`);
  return { kind: 'generated', key: created.adminKeyValue };
}

/**
 * The operator key (set, kept, or generated) and the gateway token (when set). A generated
 * operator key is printed at once, like the first admin key: it is the only way to manage
 * organizations.
 */
async function bootstrapPlatform(db: Kysely<Database>, config: Config): Promise<{ startedBefore: boolean }> {
  const startedBefore = await hasPlatformCredential(db, 'operator');
  const generatedOperatorKey = await ensureOperatorKey(db, config.platform.operatorKey);
  if (config.platform.gatewayToken) await setPlatformCredential(db, 'gateway', config.platform.gatewayToken);
  if (generatedOperatorKey) process.stdout.write(`\nOperator key, for /roster/v1/organizations (shown once, store it now): ${generatedOperatorKey}\n`);
  return { startedBefore };
}

function printHowToCall(address: string, banner: Banner): void {
  const configured = banner.kind === 'configured' || (banner.kind === 'existing' && banner.configuredKeyKnown);
  const key = banner.kind === 'generated' ? banner.key : configured ? '$ROSTER_BOOTSTRAP_ADMIN_KEY' : 'YOUR_ADMIN_KEY';
  const whichKey =
    banner.kind === 'generated'
      ? 'Use the admin key printed above.'
      : configured
        ? 'Use the admin key set with ROSTER_BOOTSTRAP_ADMIN_KEY.'
        : 'Use an admin key of this store: the one printed on its first start, or one created with it since.';
  const lines = [
    '',
    `roster is serving the OpenAI Admin API at ${address}/v1`,
    `Web console: ${address}/ (sign in with the admin key)`,
    whichKey,
    '',
    `  curl ${address}/v1/organization/users -H "Authorization: Bearer ${key}"`,
    '',
    `API reference: ${address}/v1/docs   OpenAPI: ${address}/v1/openapi.json`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
