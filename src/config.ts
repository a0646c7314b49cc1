import { DEFAULT_POOL_SIZE } from './db/postgres.ts';

/** Runtime settings, read once from the environment. */
export interface Config {
  host: string;
  port: number;
  /** SQLite file of the embedded store; ignored when `databaseUrl` is set. */
  sqlitePath: string;
  /** `postgres://…` selects PostgreSQL instead of the embedded store. */
  databaseUrl: string | undefined;
  /** Connections each process keeps to PostgreSQL. */
  databasePoolSize: number;
  logLevel: string;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** JSON file replacing the shipped model catalogue (models and their default rate limits). */
  modelCatalogueFile: string | undefined;
  webhooks: {
    /** Addresses or CIDR ranges webhooks may be sent to although not public (tests, local setups). */
    allowedTargets: string[];
    /** Whether this process sends queued deliveries. */
    deliver: boolean;
    /** How long a process holds the deliveries it is sending; if it dies, others resend them after this. */
    leaseSeconds: number;
  };
  metrics: {
    /** Port of the separate `GET /metrics` listener; no metrics are kept when unset. */
    port: number | undefined;
    host: string;
  };
  bootstrap: {
    adminKey: string | undefined;
    ownerEmail: string;
    ownerName: string;
    organizationName: string;
  };
  /** Credentials of the platform running roster (src/http/platform-credentials.ts). */
  platform: {
    /** The operator key; when unset, one is generated on first start and printed once. */
    operatorKey: string | undefined;
    /** The gateways' token for the key check; when unset, gateways use an admin key. */
    gatewayToken: string | undefined;
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, minimum = 0, maximum = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum || value > maximum) {
    const range = maximum === Number.MAX_SAFE_INTEGER ? `of at least ${minimum}` : `from ${minimum} to ${maximum}`;
    throw new Error(`${name} must be an integer ${range}, got '${raw}'`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Both are stored by digest, one credential per value: the same value cannot be both.
  if (env.ROSTER_OPERATOR_KEY && env.ROSTER_OPERATOR_KEY === env.ROSTER_GATEWAY_TOKEN) {
    throw new Error('ROSTER_GATEWAY_TOKEN must differ from ROSTER_OPERATOR_KEY');
  }
  return {
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 8080, 0, 65535),
    sqlitePath: env.ROSTER_DB || './data/roster.db',
    databaseUrl: env.DATABASE_URL || undefined,
    databasePoolSize: integer(env, 'ROSTER_DB_POOL_SIZE', DEFAULT_POOL_SIZE, 1),
    logLevel: env.ROSTER_LOG_LEVEL || 'info',
    bodyLimit: integer(env, 'ROSTER_BODY_LIMIT', 1024 * 1024),
    modelCatalogueFile: env.ROSTER_MODEL_CATALOGUE || undefined,
    webhooks: {
      allowedTargets: (env.ROSTER_WEBHOOK_ALLOWED_TARGETS ?? '').split(',').map((entry) => entry.trim()).filter(Boolean),
      deliver: env.ROSTER_WEBHOOK_DELIVERY !== 'off',
      leaseSeconds: integer(env, 'ROSTER_WEBHOOK_LEASE_SECONDS', 120, 1),
    },
    metrics: {
      port: env.ROSTER_METRICS_PORT ? integer(env, 'ROSTER_METRICS_PORT', 0) : undefined,
      host: env.ROSTER_METRICS_HOST || '127.0.0.1',
    },
    bootstrap: {
      adminKey: env.ROSTER_BOOTSTRAP_ADMIN_KEY || undefined,
      ownerEmail: env.ROSTER_BOOTSTRAP_OWNER_EMAIL || 'owner@example.com',
      ownerName: env.ROSTER_BOOTSTRAP_OWNER_NAME || 'Organization Owner',
      organizationName: env.ROSTER_BOOTSTRAP_ORG_NAME || 'Default organization',
    },
    platform: {
      operatorKey: env.ROSTER_OPERATOR_KEY || undefined,
      gatewayToken: env.ROSTER_GATEWAY_TOKEN || undefined,
    },
  };
}
