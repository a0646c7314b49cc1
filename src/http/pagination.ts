import { Type, type TSchema } from 'typebox';
import { Nullable, StringEnum } from './schema-types.ts';

/**
 * OpenAI lists come in two envelopes, both paged by keyset on ids with `after` meaning "strictly
 * after this id". `has_more` must be exact, so callers fetch one row more than they return
 * (`limit + 1` rows) and the helpers below cut the page from those.
 */

/** Up to `limit` items from `limit + 1` fetched rows, and whether a further row exists. */
function cut<Row, Item>(rows: Row[], limit: number, toItem: (row: Row) => Item): { data: Item[]; has_more: boolean } {
  return { data: rows.slice(0, limit).map(toItem), has_more: rows.length > limit };
}

/**
 * The classic list: `{object:"list", data, first_id, last_id, has_more}`. The SDK pages by
 * sending `after=<last_id>` while `has_more` is true.
 */
export const ListQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'How many objects to return, from 1 to 100.' }),
  after: Type.Optional(Type.String({ description: 'Return objects that come after the object with this id.' })),
};

export function ListPage<T extends TSchema>(item: T) {
  return Type.Object({
    object: Type.Literal('list'),
    data: Type.Array(item),
    first_id: Nullable(Type.String()),
    last_id: Nullable(Type.String()),
    has_more: Type.Boolean(),
  });
}

export interface Page<T> {
  object: 'list';
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

/** Builds a page from up to `limit + 1` rows fetched in list order. */
export function toPage<Row, Item extends { id: string }>(rows: Row[], limit: number, toItem: (row: Row) => Item): Page<Item> {
  const { data, has_more } = cut(rows, limit, toItem);
  return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more };
}

/**
 * The RBAC list (roles and role assignments): `{object:"list", data, has_more, next}`. The SDK
 * sends `after=<next>` while `has_more` is true; `next` is the id of the last item returned, so
 * `after` is always an id, whichever way the list is ordered.
 */
export const CursorOrder = StringEnum(['asc', 'desc'], { description: 'Sort order by id: `asc` (oldest first) or `desc`.' });
export type CursorOrder = 'asc' | 'desc';

export const NextCursorQuery = {
  limit: Type.Integer({ minimum: 0, maximum: 1000, default: 1000, description: 'How many objects to return, from 0 to 1000.' }),
  after: Type.Optional(Type.String({ description: "The `next` value of the previous page: objects after that id are returned." })),
  order: Type.Optional(CursorOrder),
};

/**
 * The same query with the bounds and defaults one list declares (groups list 100 by default,
 * group members newest first, project groups at most 100 at a time).
 */
export function nextCursorQueryWith(options: { maximum: number; default: number; order?: CursorOrder }) {
  const { maximum, order } = options;
  return {
    ...NextCursorQuery,
    limit: Type.Integer({ minimum: 0, maximum, default: options.default, description: `How many objects to return, from 0 to ${maximum}.` }),
    ...(order && { order: Type.Optional(StringEnum(['asc', 'desc'], { default: order, description: `Sort order by id, \`${order}\` unless given.` })) }),
  };
}

export interface NextCursorQuery {
  limit: number;
  after?: string;
  order?: CursorOrder;
}

export function NextCursorPage<T extends TSchema>(item: T) {
  return Type.Object({
    object: Type.Literal('list'),
    data: Type.Array(item),
    has_more: Type.Boolean(),
    next: Nullable(Type.String()),
  });
}

export interface NextCursorPage<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  next: string | null;
}

/**
 * Builds a page from up to `limit + 1` rows fetched in list order. `next` is the last item's id, or
 * what `cursorOf` reads from it for items that have no `id` (a project group's is its group id).
 */
export function toNextCursorPage<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  cursorOf: (item: Item) => string = (item) => (item as { id: string }).id,
): NextCursorPage<Item> {
  const { data, has_more } = cut(rows, limit, toItem);
  const last = data.at(-1);
  return { object: 'list', data, has_more, next: has_more && last !== undefined ? cursorOf(last) : null };
}
