import { CompiledQuery, SelectQueryNode, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';
import type { DatabaseSync } from 'node:sqlite';
import type { Statements } from './sqlite.ts';

/**
 * Kysely's driver for the embedded store, with group commit.
 *
 * A commit is most of what a write costs on SQLite: every roster write records an audit event,
 * whose table has nine indexes, so a commit appends ~11 pages to the write-ahead log and now and
 * then copies the log back into the database file (modify-user bench: COMMIT took ~137 µs of a
 * ~340 µs request). Transactions that arrive together therefore share one: each runs inside a
 * savepoint of an open batch, hands the connection to the next as soon as it is done, and is
 * answered when the batch commits, at the end of the event-loop turn (same bench: ~6 per batch,
 * ~90 µs of commit each, ~40 % more writes per second). A transaction that fails rolls back to
 * its savepoint and takes nothing else with it; a batch whose COMMIT fails (the disk, or a
 * deferred constraint) fails every transaction in it, and none of their changes remain.
 *
 * Reads outside a transaction use a second connection, which sees only committed batches, so
 * nothing is read that a failed commit could still take back. Without one (an in-memory store)
 * such reads commit the open batch first.
 */
export class GroupCommitDriver implements Driver {
  readonly #writer: Statements;
  readonly #reader: Statements | undefined;
  /** Tail of the queue for the writer connection: each holder resolves it when done. */
  #queue: Promise<void> = Promise.resolve();
  /** The open batch: its transaction is open on the writer, and its units wait for its commit. */
  #batch: PromiseWithResolvers<void> | undefined;
  #flushScheduled = false;

  constructor(writer: Statements, reader: Statements | undefined) {
    this.#writer = writer;
    this.#reader = reader;
  }

  async init(): Promise<void> {}

  /** A handle takes the writer only when it first needs it: reads outside transactions never wait. */
  async acquireConnection(): Promise<DatabaseConnection> {
    return new Handle(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const handle = connection as Handle;
    await handle.lockWriter();
    if (handle.used) {
      // A transaction on a connection already in use (db.connection()) runs on its own, in order.
      this.#commitBatch();
      this.#writer.database.exec('begin immediate');
      handle.unit = 'own';
      return;
    }
    if (this.#batch === undefined) {
      this.#writer.database.exec('begin immediate');
      this.#batch = Promise.withResolvers<void>();
      this.#batch.promise.catch(() => {}); // a batch nobody waits for must not be an unhandled rejection
    }
    try {
      this.#writer.database.exec('savepoint roster_unit');
    } catch (error) {
      this.#scheduleFlush(); // the batch may hold nothing else, and must not stay open
      throw error;
    }
    handle.unit = 'batched';
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const handle = connection as Handle;
    if (handle.unit === 'own') {
      this.#writer.database.exec('commit');
      handle.unit = undefined;
      return;
    }
    this.#writer.database.exec('release roster_unit');
    const batch = this.#batch!;
    handle.unit = 'released';
    handle.unlock();
    this.#scheduleFlush();
    await batch.promise;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const handle = connection as Handle;
    if (handle.unit === 'own') {
      this.#writer.database.exec('rollback');
    } else if (handle.unit === 'batched') {
      this.#writer.database.exec('rollback to roster_unit');
      this.#writer.database.exec('release roster_unit');
      this.#scheduleFlush();
    }
    // 'released': its batch failed to commit and was rolled back whole.
    handle.unit = undefined;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as Handle).unlock();
  }

  async destroy(): Promise<void> {
    const release = await this.lock();
    this.#commitBatch();
    release();
    this.#reader?.close();
    this.#writer.close();
  }

  /** Runs one statement of `handle`: in its transaction, or on its own. */
  async execute(handle: Handle, query: CompiledQuery): Promise<QueryResult<unknown>> {
    const connection = this.#connectionFor(handle, query);
    const statement = (connection instanceof Promise ? await connection : connection).prepare(query.sql);
    if (statement.reader) return { rows: statement.all(query.parameters) };
    const { changes, lastInsertRowid } = statement.run(query.parameters);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
  }

  async *stream(handle: Handle, query: CompiledQuery): AsyncIterableIterator<QueryResult<unknown>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('only select queries can be streamed');
    const statements = await this.#connectionFor(handle, query);
    for (const row of statements.prepare(query.sql).iterate(query.parameters)) yield { rows: [row] };
  }

  /**
   * Where a statement runs: in a transaction, on the writer; outside one, a read on the reader and
   * anything else on the writer once the open batch is committed, so it never runs beside changes
   * that are not committed yet.
   */
  #connectionFor(handle: Handle, query: CompiledQuery): Statements | Promise<Statements> {
    if (handle.unit === 'batched' || handle.unit === 'own') return this.#writer;
    handle.used = true;
    if (this.#reader && this.#writer.prepare(query.sql).reader) return this.#reader;
    return handle.lockWriter().then(() => {
      this.#commitBatch();
      return this.#writer;
    });
  }

  /**
   * A read outside any transaction, at once when it cannot see uncommitted work: always on the
   * reader connection, and on the writer only when nothing is open on it. Kysely queues every
   * query behind the connection through several promise hops, which for a point lookup took
   * three times as long as SQLite itself.
   */
  readNow(sql: string, parameters: ReadonlyArray<unknown>): unknown[] | undefined {
    const statements = this.#reader ?? (this.#writer.database.isTransaction ? undefined : this.#writer);
    const statement = statements?.prepare(sql);
    return statement?.reader ? statement.all(parameters) : undefined;
  }

  /**
   * Runs `work` with the writer connection to itself and nothing left open on it: for the
   * emulator's operations on the whole store (snapshot, restore).
   */
  async exclusive<T>(work: (writer: Statements) => Promise<T> | T): Promise<T> {
    const release = await this.lock();
    try {
      this.#commitBatch();
      return await work(this.#writer);
    } finally {
      release();
    }
  }

  /** Waits for the writer connection; the returned function hands it to the next in line. */
  lock(): Promise<() => void> {
    const previous = this.#queue;
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#queue = promise;
    return previous.then(() => resolve);
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // After the I/O callbacks of this turn: the requests that arrived with this one join the batch.
    setImmediate(async () => {
      const release = await this.lock();
      this.#flushScheduled = false;
      this.#commitBatch();
      release();
    });
  }

  /** Commits the open batch, if any (the caller holds the writer), and settles its units. */
  #commitBatch(): void {
    const batch = this.#batch;
    if (batch === undefined) return;
    this.#batch = undefined;
    const database: DatabaseSync = this.#writer.database;
    try {
      database.exec('commit');
      batch.resolve();
    } catch (error) {
      if (database.isTransaction) database.exec('rollback');
      batch.reject(error);
    }
  }
}

/** One use of the store through Kysely, from acquiring it to releasing it. */
class Handle implements DatabaseConnection {
  readonly #driver: GroupCommitDriver;
  #release: (() => void) | undefined;
  /** Whether it ran a statement outside a transaction (then its transactions are not batched). */
  used = false;
  unit: 'batched' | 'own' | 'released' | undefined;

  constructor(driver: GroupCommitDriver) {
    this.#driver = driver;
  }

  async lockWriter(): Promise<void> {
    this.#release ??= await this.#driver.lock();
  }

  unlock(): void {
    this.#release?.();
    this.#release = undefined;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return (await this.#driver.execute(this, query)) as QueryResult<R>;
  }

  streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    return this.#driver.stream(this, query) as AsyncIterableIterator<QueryResult<R>>;
  }
}
