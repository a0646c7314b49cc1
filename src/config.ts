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
  bootstrap: {
    adminKey: string | undefined;
    ownerEmail: string;
    ownerName: string;
    organizationName: string;
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
  return {
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 8080, 0, 65535),
    sqlitePath: env.ROSTER_DB || './data/roster.db',
    databaseUrl: env.DATABASE_URL || undefined,
    databasePoolSize: integer(env, 'ROSTER_DB_POOL_SIZE', DEFAULT_POOL_SIZE, 1),
    logLevel: env.ROSTER_LOG_LEVEL || 'info',
    bodyLimit: integer(env, 'ROSTER_BODY_LIMIT', 1024 * 1024),
    bootstrap: {
      adminKey: env.ROSTER_BOOTSTRAP_ADMIN_KEY || undefined,
      ownerEmail: env.ROSTER_BOOTSTRAP_OWNER_EMAIL || 'owner@example.com',
      ownerName: env.ROSTER_BOOTSTRAP_OWNER_NAME || 'Organization Owner',
      organizationName: env.ROSTER_BOOTSTRAP_ORG_NAME || 'Default organization',
    },
  };
}
