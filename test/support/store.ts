import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import pg from 'pg';
import { openStore, type Store } from '../../src/db/connect.ts';
import { openPglite } from './pglite.ts';

/**
 * Which store the tests run on. `npm test` (test/run.ts) runs the suite once per store and says
 * which through ROSTER_TEST_STORE; every test that asks for a store gets the selected one.
 */
export type StoreKind = 'sqlite' | 'postgres';

export function selectedStoreKind(): StoreKind {
  const kind = process.env.ROSTER_TEST_STORE || 'sqlite';
  if (kind !== 'sqlite' && kind !== 'postgres') throw new Error(`ROSTER_TEST_STORE must be 'sqlite' or 'postgres', got '${kind}'`);
  return kind;
}

/** The PostgreSQL the tests use: a server, or PGlite inside the test process when there is none. */
export type PostgresTarget = { kind: 'server'; url: string } | { kind: 'pglite'; reason: string };

/** Tried in order when ROSTER_TEST_DATABASE_URL is not set (CI's server trusts local connections). */
export const DEFAULT_SERVER_URLS = ['postgres://root@127.0.0.1:5432/test', 'postgres://postgres@127.0.0.1:5432/test'];

async function connects(url: string): Promise<Error | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error as Error;
  } finally {
    await client.end().catch(() => {});
  }
}

let resolved: Promise<PostgresTarget> | undefined;

/**
 * ROSTER_TEST_DATABASE_URL names the server (it must answer) or is `pglite`; unset, the default
 * local URLs are tried and PGlite is the fallback.
 */
export function resolvePostgresTarget(): Promise<PostgresTarget> {
  resolved ??= (async (): Promise<PostgresTarget> => {
    const configured = process.env.ROSTER_TEST_DATABASE_URL;
    if (configured === 'pglite') return { kind: 'pglite', reason: 'ROSTER_TEST_DATABASE_URL=pglite' };
    if (configured) {
      const error = await connects(configured);
      if (error) throw new Error(`ROSTER_TEST_DATABASE_URL does not answer: ${error.message}`);
      return { kind: 'server', url: configured };
    }
    for (const url of DEFAULT_SERVER_URLS) {
      if (!(await connects(url))) return { kind: 'server', url };
    }
    return { kind: 'pglite', reason: `no PostgreSQL server answered at ${DEFAULT_SERVER_URLS.join(' or ')}` };
  })();
  return resolved;
}

/** Test schemas are named after their creation time, so leftovers of killed runs can be told apart. */
export const TEST_SCHEMA_PREFIX = 'roster_test_';

/** Drops test schemas older than `maxAgeMs`: what runs that were killed before `close` left behind. */
export async function dropStaleTestSchemas(url: string, maxAgeMs: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `select nspname as name from pg_namespace where nspname like '${TEST_SCHEMA_PREFIX}%'`,
    );
    const stale = rows
      .map((row) => row.name)
      .filter((name) => {
        const created = parseInt(name.slice(TEST_SCHEMA_PREFIX.length).split('_')[0]!, 36);
        return Number.isFinite(created) && Date.now() - created > maxAgeMs;
      });
    for (const name of stale) await client.query(`drop schema if exists ${name} cascade`);
    return stale;
  } finally {
    await client.end();
  }
}

/** The URL with a search_path, so every connection made from it (by any process) uses `schema`. */
export function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

async function onServer(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A fresh, empty store (not migrated) for one test file, removed again by `close`. */
export interface TestStore {
  readonly kind: StoreKind;
  readonly store: Store;
  /** A directory of its own for files the test writes; removed by `close`. */
  readonly workDir: string;
  /**
   * Environment that points a `roster` child process at this same store, or undefined when no other
   * process can reach it (in-process PGlite); `whyNoProcessEnv` then says so.
   */
  readonly processEnv: Record<string, string> | undefined;
  readonly whyNoProcessEnv: string | undefined;
  close(): Promise<void>;
}

export async function openTestStore(kind: StoreKind = selectedStoreKind()): Promise<TestStore> {
  const workDir = mkdtempSync(join(tmpdir(), 'roster-test-'));
  const base = { kind, workDir };
  const closing = (store: Store, dropData: () => Promise<void> = async () => {}) => async () => {
    await store.db.destroy();
    await dropData();
    rmSync(workDir, { recursive: true, force: true });
  };

  if (kind === 'sqlite') {
    const path = join(workDir, 'roster.db');
    const store = openStore({ sqlitePath: path, databaseUrl: undefined });
    // DATABASE_URL is blanked so a developer's own setting cannot redirect the child.
    return { ...base, store, processEnv: { ROSTER_DB: path, DATABASE_URL: '' }, whyNoProcessEnv: undefined, close: closing(store) };
  }

  const target = await resolvePostgresTarget();
  if (target.kind === 'pglite') {
    const store: Store = { db: await openPglite(), dialect: 'postgres', describe: 'PGlite (in-process)' };
    return { ...base, store, processEnv: undefined, whyNoProcessEnv: whyOtherProcessesCannotShare(target.reason), close: closing(store) };
  }

  const schema = `${TEST_SCHEMA_PREFIX}${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await onServer(target.url, `create schema ${schema}`);
  const url = withSearchPath(target.url, schema);
  const store = openStore({ sqlitePath: join(workDir, 'unused.db'), databaseUrl: url });
  const close = closing(store, () => onServer(target.url, `drop schema ${schema} cascade`));
  return { ...base, store, processEnv: { DATABASE_URL: url }, whyNoProcessEnv: undefined, close };
}

function whyOtherProcessesCannotShare(reason: string): string {
  return `other processes cannot reach the in-process PGlite (${reason}); set ROSTER_TEST_DATABASE_URL to a PostgreSQL server to run this`;
}

/**
 * The environment for a `roster` child process on this store, or undefined after marking the test
 * skipped with the reason (only on a machine without a PostgreSQL server, in the PostgreSQL pass).
 */
export function childProcessEnv(t: TestContext, testStore: TestStore): Record<string, string> | undefined {
  if (!testStore.processEnv) t.skip(testStore.whyNoProcessEnv);
  return testStore.processEnv;
}

/**
 * A fresh store for one test that spawns `roster` processes on it, closed when the test ends; or
 * undefined, with the test skipped, when child processes could not reach it.
 */
export async function openTestStoreForChildProcesses(t: TestContext): Promise<TestStore | undefined> {
  if (selectedStoreKind() === 'postgres') {
    const target = await resolvePostgresTarget();
    if (target.kind === 'pglite') {
      t.skip(whyOtherProcessesCannotShare(target.reason));
      return undefined;
    }
  }
  const testStore = await openTestStore();
  t.after(() => testStore.close());
  return testStore;
}
