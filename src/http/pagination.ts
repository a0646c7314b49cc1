import { Type, type TSchema } from 'typebox';

/**
 * The classic OpenAI list: `{object:"list", data, first_id, last_id, has_more}`. The SDK pages
 * by sending `after=<last_id>` while `has_more` is true, so `has_more` must be exact: callers
 * fetch one row more than they return.
 */
export const ListQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'How many objects to return, from 1 to 100.' }),
  after: Type.Optional(Type.String({ description: 'Return objects that come after the object with this id.' })),
};

export function ListPage<T extends TSchema>(item: T) {
  return Type.Object({
    object: Type.Literal('list'),
    data: Type.Array(item),
    first_id: Type.Union([Type.String(), Type.Null()]),
    last_id: Type.Union([Type.String(), Type.Null()]),
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
  const data = rows.slice(0, limit).map(toItem);
  return {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: rows.length > limit,
  };
}
