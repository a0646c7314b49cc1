/**
 * Which integrity constraint a failed write broke, read from the driver's error: node:sqlite
 * reports SQLite extended result codes in `errcode`, PostgreSQL drivers SQLSTATE in `code`.
 * Services turn these into 400s where the constraint is what enforces a rule under concurrency.
 */
const SQLITE = { unique: [1555, 2067], foreignKey: [787] };
const POSTGRES = { unique: '23505', foreignKey: '23503' };

export function constraintViolation(error: unknown): 'unique' | 'foreign_key' | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { errcode, code } = error as { errcode?: unknown; code?: unknown };
  if (SQLITE.unique.includes(errcode as number) || code === POSTGRES.unique) return 'unique';
  if (SQLITE.foreignKey.includes(errcode as number) || code === POSTGRES.foreignKey) return 'foreign_key';
  return undefined;
}
