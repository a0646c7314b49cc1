/**
 * Which integrity constraint a failed write broke, on either store: PostgreSQL reports SQLSTATE in
 * `code` (pg and PGlite alike), node:sqlite its extended result codes in `errcode`. Services turn
 * these into 400s where the constraint is what enforces a rule under concurrency.
 *
 * On PostgreSQL a failed statement aborts its transaction, so nothing more can run in it: turn the
 * violation into an error for the caller (the transaction rolls back) rather than carry on. To
 * detect a conflict and keep going, insert with `.onConflict((oc) => oc.doNothing())` and check the
 * inserted row count instead; that behaves the same on both stores.
 */
const SQLITE = { unique: [2067, 1555], foreignKey: [787] }; // _UNIQUE, _PRIMARYKEY; _FOREIGNKEY
const POSTGRES = { unique: '23505', foreignKey: '23503' };

export function constraintViolation(error: unknown): 'unique' | 'foreign_key' | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { errcode, code } = error as { errcode?: unknown; code?: unknown };
  if (SQLITE.unique.includes(errcode as number) || code === POSTGRES.unique) return 'unique';
  if (SQLITE.foreignKey.includes(errcode as number) || code === POSTGRES.foreignKey) return 'foreign_key';
  return undefined;
}

/**
 * Runs `write` (a whole transaction) and turns a violation of `kind` into the error `refusal`
 * gives: where a key, not a read, decides a conflict with a concurrent request. Outside the
 * transaction, since on PostgreSQL the violation has already ended it.
 */
export async function refusingViolation<T>(kind: 'unique' | 'foreign_key', write: () => Promise<T>, refusal: () => Error): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (constraintViolation(error) === kind) throw refusal();
    throw error;
  }
}
