import { DatabaseSync, type StatementSync, type SQLInputValue } from 'node:sqlite';
import { SqliteDialect } from 'kysely';

/**
 * Kysely ships a SQLite dialect written against better-sqlite3's interface. node:sqlite differs in
 * small ways (parameters are spread, "does it return rows" comes from `columns()`), so this adapter
 * gives a DatabaseSync that interface. It also keeps prepared statements: Kysely compiles the same
 * SQL text for every call of a query, and preparing it again each time is measurable on hot paths.
 */
const STATEMENT_CACHE_SIZE = 500;

interface PreparedLike {
  readonly reader: boolean;
  all(parameters: ReadonlyArray<unknown>): unknown[];
  run(parameters: ReadonlyArray<unknown>): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown>;
}

function wrap(statement: StatementSync): PreparedLike {
  const reader = statement.columns().length > 0;
  const args = (parameters: ReadonlyArray<unknown>) => parameters as SQLInputValue[];
  return {
    reader,
    all: (parameters) => statement.all(...args(parameters)),
    run: (parameters) => statement.run(...args(parameters)),
    iterate: (parameters) => statement.iterate(...args(parameters)),
  };
}

export function openSqlite(path: string): DatabaseSync {
  const database = new DatabaseSync(path, { timeout: 5000 });
  database.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    PRAGMA foreign_keys = ON;
    PRAGMA cache_size = -32000;
  `);
  return database;
}

export function sqliteDialect(database: DatabaseSync): SqliteDialect {
  const statements = new Map<string, PreparedLike>();
  return new SqliteDialect({
    database: {
      prepare(sql: string) {
        let prepared = statements.get(sql);
        if (prepared === undefined) {
          prepared = wrap(database.prepare(sql));
          if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
          statements.set(sql, prepared);
        }
        return prepared;
      },
      close() {
        statements.clear();
        database.close();
      },
    } as never,
  });
}
