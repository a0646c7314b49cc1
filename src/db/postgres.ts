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
  // A connection can break at any time (server restart, pg_terminate_backend, network). The pool
  // listens only while a connection is idle in it; one checked out between two queries of a
  // transaction would have no listener, and an unheard 'error' event ends the process. So every
  // connection gets a listener of its own for its whole life: the request using it fails with the
  // query (a 503, see isStoreUnavailable), the pool drops the broken connection on release and
  // opens a new one on demand.
  const reportLost = (error: Error) => process.stderr.write(`roster: a PostgreSQL connection was lost: ${error.message}\n`);
  pool.on('connect', (client) => client.on('error', reportLost));
  pool.on('error', () => {}); // already reported by the connection's own listener
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return db;
}

const pools = new WeakMap<Kysely<Database>, pg.Pool>();

/** The connection pool behind a store opened by `openPostgres` (for metrics). */
export function postgresPool(db: Kysely<Database>): pg.Pool | undefined {
  return pools.get(db);
}

/**
 * SQLSTATE classes and socket errors that mean the server cannot be reached or dropped the
 * connection, rather than that the query was wrong: 08 (connection exception), 57P01–57P03
 * (terminated by an administrator, crash shutdown, cannot connect now), 53300 (too many connections).
 */
const UNAVAILABLE_CODES = /^(08...|57P0[123]|53300|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)$/;
/** What `pg` itself says when a connection ends or cannot be opened in time (these carry no code). */
const UNAVAILABLE_MESSAGES = /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable/;

/** Whether `error` says PostgreSQL is unreachable for now, so the request may succeed if retried. */
export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) || UNAVAILABLE_MESSAGES.test(error.message);
}
