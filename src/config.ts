/** Runtime settings, read once from the environment. */
export interface Config {
  host: string;
  port: number;
  /** SQLite file of the embedded store; ignored when `databaseUrl` is set. */
  sqlitePath: string;
  /** `postgres://…` selects PostgreSQL instead of the embedded store. */
  databaseUrl: string | undefined;
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

function integer(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    host: env.HOST || '127.0.0.1',
    port: integer('PORT', 8080),
    sqlitePath: env.ROSTER_DB || './data/roster.db',
    databaseUrl: env.DATABASE_URL || undefined,
    logLevel: env.ROSTER_LOG_LEVEL || 'info',
    bodyLimit: integer('ROSTER_BODY_LIMIT', 1024 * 1024),
    bootstrap: {
      adminKey: env.ROSTER_BOOTSTRAP_ADMIN_KEY || undefined,
      ownerEmail: env.ROSTER_BOOTSTRAP_OWNER_EMAIL || 'owner@example.com',
      ownerName: env.ROSTER_BOOTSTRAP_OWNER_NAME || 'Organization Owner',
      organizationName: env.ROSTER_BOOTSTRAP_ORG_NAME || 'Default organization',
    },
  };
}
