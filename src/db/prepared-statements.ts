import pg from 'pg';

/**
 * Named prepared statements for the hot queries on PostgreSQL.
 *
 * `pg` sends every query with values as an unnamed statement: the server parses and plans it
 * again on every call. For roster's short lookups that is most of the server's work (measured
 * with `log_min_duration_statement`: a member lookup spent ~0.15 ms parsing and ~0.2 ms binding
 * and planning for ~0.05 ms executing). A named statement is parsed once per connection, and
 * after a few calls PostgreSQL keeps a generic plan for it; under load that cut the server's CPU
 * time per request by more than half (see README, Performance on PostgreSQL).
 *
 * Only texts registered here are named: the queries `compiledQuery` builds once, whose SQL never
 * depends on the values. That keeps the set of statements each connection holds small and fixed
 * (a name per text, for the life of the connection), and leaves every other query, migrations and
 * ad hoc lookups included, as it was.
 */
const names = new Map<string, string>();

/** Marks `sql` to run as a named prepared statement on every PostgreSQL connection. */
export function prepareOnPostgres(sql: string): void {
  if (!names.has(sql)) names.set(sql, `roster_${names.size + 1}`);
}

/**
 * A `pg` client that runs the registered texts as named statements. pg keeps track of which
 * names each connection has already parsed, and parses again on a new connection.
 */
export class PreparingClient extends pg.Client {
  // pg's `query` has a dozen overloads; this one only looks at a text with its values.
  override query(config: any, values?: any, callback?: any): any {
    const name = typeof config === 'string' && Array.isArray(values) ? names.get(config) : undefined;
    if (name !== undefined) return super.query({ name, text: config, values }, callback);
    return super.query(config, values, callback);
  }
}
