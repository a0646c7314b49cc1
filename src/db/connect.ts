import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Config } from '../config.ts';
import type { Database } from './schema.ts';
import type { Dialect } from './migrations/column-types.ts';
import { migrationProvider } from './migrations/index.ts';
import { openSqlite, sqliteDialect } from './sqlite.ts';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Human-readable location, for logs (never includes a password). */
  describe: string;
}

export function openStore(config: Pick<Config, 'sqlitePath' | 'databaseUrl'>): Store {
  if (config.databaseUrl) {
    throw new Error('DATABASE_URL is set, but this build of roster supports only the embedded SQLite store');
  }
  if (config.sqlitePath !== ':memory:') mkdirSync(dirname(config.sqlitePath), { recursive: true });
  const db = new Kysely<Database>({ dialect: sqliteDialect(openSqlite(config.sqlitePath)) });
  return { db, dialect: 'sqlite', describe: `sqlite:${config.sqlitePath}` };
}

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = new Migrator({ db: store.db, provider: migrationProvider(store.dialect), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
