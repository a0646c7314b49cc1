import { DatabaseSync, type StatementSync, type SQLInputValue } from 'node:sqlite';
import { SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type Dialect, type Kysely } from 'kysely';
import { GroupCommitDriver } from './sqlite-driver.ts';

/**
 * The embedded store: node:sqlite connections, their prepared statements, and the Kysely dialect
 * that runs queries on them through GroupCommitDriver. Statements are prepared once per SQL text:
 * Kysely compiles the same text for every call of a query, and preparing it again each time is
 * measurable on hot paths.
 */
const STATEMENT_CACHE_SIZE = 500;

/** A prepared statement as the driver uses it: values given as an array, rows read as objects. */
export interface PreparedLike {
  readonly reader: boolean;
  all(parameters: ReadonlyArray<unknown>): unknown[];
  run(parameters: ReadonlyArray<unknown>): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown>;
}

function wrap(statement: StatementSync): PreparedLike {
  const names = statement.columns().map((column) => column.name);
  const reader = names.length > 0;
  // Rows are read as arrays and turned into objects by toRow (see rowBuilder).
  if (reader) statement.setReturnArrays(true);
  const toRow = rowBuilder(names);
  const args = (parameters: ReadonlyArray<unknown>) => parameters as SQLInputValue[];
  return {
    reader,
    all: (parameters) => (statement.all(...args(parameters)) as unknown as unknown[][]).map(toRow),
    run: (parameters) => statement.run(...args(parameters)),
    *iterate(parameters) {
      for (const values of statement.iterate(...args(parameters))) yield toRow(values as unknown as unknown[]);
    },
  };
}

/**
 * Turns a row read as an array into an object with the statement's column names. node:sqlite's
 * own row objects are built key by key and come out slow to create and to read: a page of 100
 * members took twice the CPU time it takes as arrays turned into objects by a function like
 * `(values) => ({ "id": values[0], "name": values[1] })`, generated once per statement.
 */
function rowBuilder(names: string[]): (values: unknown[]) => Record<string, unknown> {
  // A column named __proto__ would set the prototype in a literal; build those rows key by key.
  if (names.includes('__proto__')) return (values) => Object.fromEntries(names.map((name, i) => [name, values[i]]));
  const fields = names.map((name, i) => `${JSON.stringify(name)}: values[${i}]`);
  return new Function('values', `return { ${fields.join(', ')} };`) as (values: unknown[]) => Record<string, unknown>;
}

/**
 * The page cache is 8 MB: with 1,000,000 members (a 430 MB file) listing random pages used the
 * same CPU per request with an 8, 16 or 32 MB cache (the file's pages stay in the OS cache), and
 * every MB here counts in the server's resident memory.
 */
export function openSqlite(path: string): DatabaseSync {
  const database = new DatabaseSync(path, { timeout: 5000 });
  database.exec('PRAGMA journal_mode = WAL;');
  configure(database);
  return database;
}

function configure(database: DatabaseSync): void {
  database.exec(`
    PRAGMA synchronous = NORMAL;
    PRAGMA foreign_keys = ON;
    PRAGMA cache_size = -8000;
  `);
}

/** A read-only connection to a store `openSqlite` has opened, for reads outside transactions. */
export function openSqliteReader(path: string): DatabaseSync {
  const database = new DatabaseSync(path, { readOnly: true, timeout: 5000 });
  database.exec('PRAGMA cache_size = -8000;');
  return database;
}

/** A connection and its prepared statements: Kysely compiles the same SQL text for every call. */
export interface Statements {
  readonly database: DatabaseSync;
  prepare(sql: string): PreparedLike;
  /**
   * An in-memory store only: swaps the connection for a new one holding `image` (a serialized
   * database). A new connection rather than deserializing into this one: SQLite then crashed
   * (in sqlite3_prepare, on a stale schema) now and then when preparing the next statements.
   */
  replaceContents(image: Uint8Array): void;
  close(): void;
}

function statementsOf(opened: DatabaseSync): Statements {
  const cache = new Map<string, PreparedLike>();
  let database = opened;
  return {
    get database() {
      return database;
    },
    prepare(sql) {
      let prepared = cache.get(sql);
      if (prepared === undefined) {
        prepared = wrap(database.prepare(sql));
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(sql, prepared);
      }
      return prepared;
    },
    replaceContents(image) {
      const next = new DatabaseSync(':memory:');
      next.deserialize(image);
      configure(next);
      cache.clear();
      database.close();
      database = next;
    },
    close() {
      cache.clear();
      database.close();
    },
  };
}

const drivers = new WeakMap<object, GroupCommitDriver>();

/**
 * Runs a read outside any transaction at once, or returns `undefined` when it must go through
 * Kysely instead (see GroupCommitDriver.readNow). Only the embedded store has one.
 */
export function immediateReader(adapter: object): ((sql: string, parameters: ReadonlyArray<unknown>) => unknown[] | undefined) | undefined {
  const driver = drivers.get(adapter);
  return driver && ((sql, parameters) => driver.readNow(sql, parameters));
}

/** The embedded store's writer, to itself (see GroupCommitDriver.exclusive); undefined on PostgreSQL. */
export function exclusiveWriter(db: Kysely<any>): GroupCommitDriver['exclusive'] | undefined {
  const driver = drivers.get(db.getExecutor().adapter);
  return driver && ((work) => driver.exclusive(work));
}

/** SQLite's adapter, told that the driver queues its users itself (see GroupCommitDriver). */
class GroupCommitAdapter extends SqliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
}

/**
 * The embedded store's dialect: `writer` takes every transaction, `reader` (a second connection to
 * the same file; none for an in-memory store) the reads made outside one. SQL is Kysely's SQLite.
 */
export function sqliteDialect(writer: DatabaseSync, reader?: DatabaseSync): Dialect {
  const driver = new GroupCommitDriver(statementsOf(writer), reader && statementsOf(reader));
  const adapter = new GroupCommitAdapter();
  drivers.set(adapter, driver);
  return {
    createDriver: () => driver,
    createAdapter: () => adapter,
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db: Kysely<any>) => new SqliteIntrospector(db),
  };
}
