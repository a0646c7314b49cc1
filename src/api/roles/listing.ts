import type { ReferenceExpression, SelectQueryBuilder } from 'kysely';
import { toNextCursorPage, type NextCursorPage, type NextCursorQuery } from '../../http/pagination.ts';

/**
 * Role lists and role-assignment lists are ordered by role id. Custom roles come from the store;
 * predefined roles have no rows and are merged in. Predefined ids (`role-api-…`) sort before
 * custom ones (`role_…`) in byte order, but the merge does not rely on it.
 */

/** One keyset window of `limit + 1` rows ordered by `column`, strictly after the `after` id. */
export function cursorWindow<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  column: ReferenceExpression<DB, TB>,
  options: NextCursorQuery,
): SelectQueryBuilder<DB, TB, O> {
  const descending = options.order === 'desc';
  const windowed = options.after === undefined ? query : query.where(column, descending ? '<' : '>', options.after as never);
  return windowed.orderBy(column as never, descending ? 'desc' : 'asc').limit(options.limit + 1);
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The page of `fixed` items (all of them) and `fetched` ones (one window) that `options` asks for. */
export function pageWithFixedItems<T extends { id: string }>(fixed: T[], fetched: T[], options: NextCursorQuery): NextCursorPage<T> {
  const descending = options.order === 'desc';
  const { after } = options;
  const inWindow = fixed.filter((item) => after === undefined || (descending ? item.id < after : item.id > after));
  const merged = [...inWindow, ...fetched].sort(byId);
  if (descending) merged.reverse();
  return toNextCursorPage(merged, options.limit, (item) => item);
}
