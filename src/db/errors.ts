/**
 * True when `error` is the store refusing a row because a unique index or primary key already holds
 * its value, on either store: PostgreSQL reports SQLSTATE 23505 (pg and PGlite alike), node:sqlite
 * reports the extended result codes SQLITE_CONSTRAINT_UNIQUE (2067) and _PRIMARYKEY (1555).
 *
 * On PostgreSQL a failed statement aborts its transaction: nothing more can run in it, so turn
 * the violation into an error for the caller (the transaction rolls back) rather than carry on.
 * To detect a conflict and keep going, insert with `.onConflict((oc) => oc.doNothing())` and check
 * the inserted row count instead; that works the same on both stores.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, errcode } = error as { code?: unknown; errcode?: unknown };
  if (code === '23505') return true;
  return code === 'ERR_SQLITE_ERROR' && (errcode === 2067 || errcode === 1555);
}
