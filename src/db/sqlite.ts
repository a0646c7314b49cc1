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
  database.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    PRAGMA foreign_keys = ON;
    PRAGMA cache_size = -8000;
  `);
  return database;
}

/**
 * Runs a read statement on the connection at once and returns its rows, or `undefined` when it
 * must wait its turn through Kysely instead (a transaction is open, or the statement writes).
 */
export type ImmediateRead = (sql: string, parameters: ReadonlyArray<unknown>) => unknown[] | undefined;

const immediateReads = new WeakMap<object, ImmediateRead>();

/**
 * The immediate reader of the store whose Kysely adapter this is, if it has one (only the
 * embedded store). Kysely queues every query behind its connection lock through several promise
 * hops; for a point lookup that took three times as long as SQLite itself (retrieve's profile:
 * ~10 % of its CPU time). A synchronous read while no transaction is open cannot interleave with
 * anything, so it may skip the queue.
 */
export function immediateReader(adapter: object): ImmediateRead | undefined {
  return immediateReads.get(adapter);
}

class NodeSqliteDialect extends SqliteDialect {
  readonly #read: ImmediateRead;

  constructor(config: ConstructorParameters<typeof SqliteDialect>[0], read: ImmediateRead) {
    super(config);
    this.#read = read;
  }

  override createAdapter() {
    const adapter = super.createAdapter();
    immediateReads.set(adapter, this.#read);
    return adapter;
  }
}

export function sqliteDialect(database: DatabaseSync): SqliteDialect {
  const statements = new Map<string, PreparedLike>();
  const prepare = (sql: string) => {
    let prepared = statements.get(sql);
    if (prepared === undefined) {
      prepared = wrap(database.prepare(sql));
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      statements.set(sql, prepared);
    }
    return prepared;
  };
  const close = () => {
    statements.clear();
    database.close();
  };
  const read: ImmediateRead = (sql, parameters) => {
    const statement = prepare(sql);
    return statement.reader && !database.isTransaction ? statement.all(parameters) : undefined;
  };
  return new NodeSqliteDialect({ database: { prepare, close } as never }, read);
}
