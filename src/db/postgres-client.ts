import pg from 'pg';

/**
 * The `pg` client roster's PostgreSQL pool uses: the same client, with two things that cut the
 * work and the waiting of the hot paths (measured, see README "Performance on PostgreSQL").
 *
 * Named prepared statements. `pg` sends every query with values as an unnamed statement, which
 * the server parses and plans again on every call; for roster's short lookups that was most of
 * the server's work (a member lookup: ~0.15 ms parsing, ~0.2 ms binding and planning, ~0.05 ms
 * executing). The texts registered here (the queries `compiledQuery` builds once, whose SQL never
 * depends on the values) run as named statements instead: parsed once per connection, and after
 * a few calls planned once. Every other query, migrations and ad hoc lookups included, is sent as
 * before, so each connection holds a small, fixed set of statements.
 *
 * Fewer round trips in a transaction. The client runs in pg's pipeline mode (each query still
 * ends with its own Sync, so it is answered and fails on its own), which writes a query as soon
 * as it is made instead of after the previous answer. Two kinds of statement then go out without
 * the caller waiting for their answer, because nothing reads it: `begin`, which travels with the
 * transaction's first statement, and writes registered with `waitForAnswer: false` (the member
 * update, the audit record), which travel with what follows them, finally `commit`. Their
 * answers are still read: if one failed, the transaction's next statement (or its `commit`) fails
 * with that statement's own error, and PostgreSQL has already refused everything after it.
 */
const names = new Map<string, string>();
const unanswered = new Set<string>();

/**
 * Marks `sql` to run as a named prepared statement. With `waitForAnswer: false`, inside a
 * transaction it is also sent without waiting for its answer: only for writes whose result
 * nobody reads and whose failure no caller handles (it surfaces at the next statement).
 */
export function prepareOnPostgres(sql: string, options: { waitForAnswer: boolean }): void {
  if (!names.has(sql)) names.set(sql, `roster_${names.size + 1}`);
  if (!options.waitForAnswer) unanswered.add(sql);
}

type Result = pg.QueryResult;

/** What the caller of a statement sent without waiting gets: no rows, nothing counted. */
const notWaitedFor = (command: string): Result => ({ command, rowCount: null, rows: [], oid: 0, fields: [] });

export class RosterPgClient extends pg.Client {
  /** Between Kysely's `begin` and its `commit` or `rollback`. */
  private inTransaction = false;
  /** Statements sent without waiting: settles with the first of their errors, or undefined. */
  private inFlight: Promise<Error | undefined> | undefined;

  constructor(config?: string | pg.ClientConfig) {
    super({ ...(typeof config === 'string' ? { connectionString: config } : config), pipeline: true } as pg.ClientConfig);
  }

  // pg's `query` has a dozen overloads; only the (text, values) form Kysely uses is taken over.
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config !== 'string' || !Array.isArray(values) || callback !== undefined) return super.query(config, values, callback);
    const beginning = config === 'begin' && !this.inTransaction;
    const waitForAnswer = !beginning && !(this.inTransaction && unanswered.has(config));
    if (!waitForAnswer) this.holdWrites();
    const name = names.get(config);
    const sent: Promise<Result> = name === undefined ? super.query(config, values) : super.query({ name, text: config, values });
    if (beginning) this.inTransaction = true;
    if (!waitForAnswer) return this.withoutWaiting(sent, beginning ? 'BEGIN' : '');
    if (config === 'commit' || config === 'rollback') this.inTransaction = false;
    return this.afterInFlight(sent, config === 'rollback');
  }

  /**
   * Keeps what is written to the socket until the current chain of promise callbacks has run,
   * so a statement sent without waiting leaves in one packet with the statement that follows it
   * (the caller's next query is made before control returns to the event loop).
   */
  private holdWrites(): void {
    const stream = (this as unknown as { connection: { stream: NodeJS.WritableStream & { cork?(): void; uncork?(): void } } }).connection.stream;
    if (!stream.cork || !stream.uncork) return;
    stream.cork();
    process.nextTick(() => stream.uncork!());
  }

  private withoutWaiting(sent: Promise<Result>, command: string): Promise<Result> {
    const failure = sent.then(
      () => undefined,
      (error: Error) => error,
    );
    const earlier = this.inFlight;
    this.inFlight = earlier === undefined ? failure : Promise.all([earlier, failure]).then(([first, next]) => first ?? next);
    return Promise.resolve(notWaitedFor(command));
  }

  /** `sent`'s answer, or the error of a statement sent before it without waiting (a rollback only needs its own). */
  private async afterInFlight(sent: Promise<Result>, ownAnswerOnly: boolean): Promise<Result> {
    const earlier = this.inFlight;
    if (earlier === undefined) return sent;
    this.inFlight = undefined;
    const [failed, answer] = await Promise.all([earlier, sent.then((result) => ({ result }), (error: Error) => ({ error }))]);
    if (failed !== undefined && !ownAnswerOnly) throw failed;
    if ('error' in answer) throw answer.error;
    return answer.result;
  }
}
