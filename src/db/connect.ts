import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Config } from '../config.ts';
import type { Database } from './schema.ts';
import type { Dialect } from './migrations/column-types.ts';
import { migrationProvider } from './migrations/index.ts';
import { describePostgresUrl, isPostgresUrl, openPostgres } from './postgres.ts';
import { openSqlite, openSqliteReader, sqliteDialect } from './sqlite.ts';
import { StableInListsPlugin } from './stable-in-lists.ts';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Human-readable location, for logs (never includes a password). */
  describe: string;
}

export type StoreConfig = Pick<Config, 'sqlitePath' | 'databaseUrl'> & Partial<Pick<Config, 'databasePoolSize'>>;

/** PostgreSQL when a `postgres://` URL is configured, otherwise the embedded SQLite file. */
export function openStore(config: StoreConfig): Store {
  if (config.databaseUrl) {
    if (!isPostgresUrl(config.databaseUrl)) {
      throw new Error('DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:port/database)');
    }
    const db = openPostgres(config.databaseUrl, config.databasePoolSize);
    return { db, dialect: 'postgres', describe: describePostgresUrl(config.databaseUrl) };
  }
  const inMemory = config.sqlitePath === ':memory:';
  if (!inMemory) mkdirSync(dirname(config.sqlitePath), { recursive: true });
  const writer = openSqlite(config.sqlitePath);
  const db = new Kysely<Database>({
    dialect: sqliteDialect(writer, inMemory ? undefined : openSqliteReader(config.sqlitePath)),
    plugins: [new StableInListsPlugin()],
  });
  return { db, dialect: 'sqlite', describe: `sqlite:${config.sqlitePath}` };
}

/**
 * Applies every pending migration; returns the names applied. Instances starting together migrate
 * one after the other under the startup lock, and the later ones find nothing left to do.
 */
export function migrateToLatest(store: Store): Promise<string[]> {
  return withStartupLock(store, async (db) => {
    // Kysely looks for its bookkeeping tables in every schema it can see unless told which one:
    // name the connection's own, so another application's (or roster's) tables elsewhere in the
    // same database are not taken for ours.
    const migrationTableSchema =
      store.dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
    const migrator = new Migrator({ db, provider: migrationProvider(store.dialect), migrationTableSchema, allowUnorderedMigrations: true });
    for (let attempt = 1; ; attempt++) {
      const { error, results } = await migrator.migrateToLatest();
      if (!error) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
      if (attempt < 5 && droppedMeanwhile(error)) continue;
      throw error instanceof Error ? error : new Error(String(error));
    }
  });
}

/**
 * Kysely's migrator lists the tables of every schema it can see (to find its own), which fails
 * with 3F000 "schema … does not exist" when another application drops a schema of the same
 * database in the middle of the listing (seen with a shared PostgreSQL server). A failed run keeps
 * nothing (on PostgreSQL pending migrations run in one transaction), and the next listing no longer
 * meets that schema, so it is tried again.
 */
function droppedMeanwhile(error: unknown): boolean {
  return (error as { code?: unknown }).code === '3F000';
}

/**
 * The store with every migration applied; if it cannot be reached or migrated, an error that says
 * which store (without its password) and why, and nothing left open.
 */
export async function openMigratedStore(config: StoreConfig): Promise<Store> {
  const store = openStore(config);
  try {
    await migrateToLatest(store);
    return store;
  } catch (error) {
    await store.db.destroy().catch(() => {});
    throw new Error(`cannot prepare the store at ${store.describe}: ${(error as Error).message}`, { cause: error });
  }
}

/** Arbitrary, fixed: identifies roster's start-up work among the server's advisory locks. */
const STARTUP_LOCK_ID = 7_215_904_311;

/**
 * Runs `work` so that no other roster process sharing the store runs it at the same time: start-up
 * steps that read then write (creating the first organization) stay single even when several
 * instances start together. The lock is PostgreSQL's session advisory lock, released with the
 * connection even if the process dies; a SQLite file serves a single process, so it needs none.
 */
export async function withStartupLock<T>(store: Store, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  if (store.dialect === 'sqlite') return work(store.db);
  return store.db.connection().execute(async (db) => {
    await sql`select pg_advisory_lock(${sql.lit(STARTUP_LOCK_ID)})`.execute(db);
    try {
      return await work(db);
    } finally {
      await sql`select pg_advisory_unlock(${sql.lit(STARTUP_LOCK_ID)})`.execute(db);
    }
  });
}
