import { sql, type RawBuilder } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/**
 * Column type for identifiers. Keyset pagination compares ids as strings and expects byte order
 * (ids are base62 in ASCII order); PostgreSQL's default collation is locale-aware, so there the
 * column is declared with the "C" collation.
 */
export function idType(dialect: Dialect): RawBuilder<unknown> {
  return dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
}
