import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { parseInt8 } from '../../src/db/postgres.ts';

/**
 * PostgreSQL compiled to WebAssembly, running inside the test process: the PostgreSQL pass of the
 * suite uses it on machines without a PostgreSQL server. Kysely's own PostgreSQL dialect drives
 * it through a stand-in for a `pg` pool, so queries are compiled exactly as in production.
 *
 * PGlite has a single session, so the stand-in pool has a single connection: a transaction holds
 * it until it ends, as with the embedded SQLite store.
 */
function singleConnectionPool(pglite: PGlite): PostgresPool {
  let free: Promise<void> = Promise.resolve();
  let release = () => {};
  const client = {
    query: (sql: string, parameters: ReadonlyArray<unknown>) => pglite.query(sql, [...parameters]),
    release: () => release(),
  } as unknown as PostgresPoolClient;
  return {
    options: {},
    async connect() {
      const previous = free;
      let done!: () => void;
      free = new Promise<void>((resolve) => (done = resolve));
      await previous;
      release = done;
      return client;
    },
    end: () => pglite.close(),
  };
}

/**
 * Creating a PGlite database runs initdb, which takes seconds; loading a copy of a fresh one takes
 * about one. The copy is kept in the temporary directory, one per PGlite version.
 */
async function freshDataDir(): Promise<Blob> {
  const manifest = new URL('../package.json', import.meta.resolve('@electric-sql/pglite'));
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  const path = join(tmpdir(), `roster-pglite-${version}.tar`);
  if (existsSync(path)) return new Blob([readFileSync(path)]);
  const pristine = await PGlite.create();
  const dump = await pristine.dumpDataDir('none');
  await pristine.close();
  const partial = `${path}.${process.pid}`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, path);
  return dump;
}

/** A new, empty in-process database; `destroy()` on the Kysely closes it. */
export async function openPglite(): Promise<Kysely<Database>> {
  const pglite = await PGlite.create({ loadDataDir: await freshDataDir(), parsers: { [types.INT8]: parseInt8 } });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: singleConnectionPool(pglite) }) });
}
