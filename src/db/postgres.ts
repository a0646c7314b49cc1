import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { RosterPgClient } from './postgres-client.ts';
import type { Database } from './schema.ts';

/**
 * Connections per roster process. A process is single-threaded, so a handful of connections
 * already keeps it busy; ten (the `pg` default) leaves room for requests that wait on a row lock.
 * With several instances, instances × pool size must stay under the server's `max_connections`.
 */
export const DEFAULT_POOL_SIZE = 10;

const INT8_OID = 20;

/**
 * int8 (bigint) arrives as text, because it can exceed JavaScript's safe integers. roster's bigint
 * columns hold Unix seconds and counts, far below that limit, so they are read as numbers, as on
 * SQLite; a value that would lose precision is an error rather than a silently wrong number.
 */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} does not fit in a JavaScript number`);
  return value;
}

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** The URL without its password, for logs. */
export function describePostgresUrl(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  return parsed.toString();
}

export function openPostgres(url: string, poolSize: number = DEFAULT_POOL_SIZE): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    Client: RosterPgClient,
    types,
    fallback_application_name: 'roster',
    // A request waits at most this long for a free connection, then fails instead of hanging.
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection can break (server restart, network); the pool drops it and opens a new
  // one on demand. Without a listener the error would end the process.
  pool.on('error', (error) => process.stderr.write(`roster: an idle PostgreSQL connection failed: ${error.message}\n`));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return db;
}

const pools = new WeakMap<Kysely<Database>, pg.Pool>();

/** The connection pool behind a store opened by `openPostgres` (for metrics). */
export function postgresPool(db: Kysely<Database>): pg.Pool | undefined {
  return pools.get(db);
}
