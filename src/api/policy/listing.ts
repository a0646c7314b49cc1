import { Type } from 'typebox';
import { toPage, type Page } from '../../http/pagination.ts';
import { StringEnum } from '../../http/schema-types.ts';

/**
 * The policy lists (certificates, spend alerts, rate limits) are short: a scope holds at most 50
 * certificates, a handful of alerts, one rate limit per catalogued model. They are read whole,
 * sorted by id, and paged here, with the classic envelope and both cursors of the reference.
 */
export interface ListWindow {
  limit: number;
  /** Items strictly after this id, in list order. */
  after?: string;
  /** Items strictly before this id, in list order: the page just before a page starting there. */
  before?: string;
  order?: 'asc' | 'desc';
}

export const Before = Type.Optional(Type.String({ description: 'Return objects that come before the object with this id.' }));
export const Order = (fallback: 'asc' | 'desc') =>
  Type.Optional(StringEnum(['asc', 'desc'], { default: fallback, description: 'Sort order by id, which follows creation.' }));

export function pageOf<T extends { id: string }>(items: T[], window: ListWindow): Page<T> {
  const sorted = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (window.order === 'desc') sorted.reverse();
  const position = (id: string) => (window.order === 'desc' ? (item: T) => item.id < id : (item: T) => item.id > id);
  let candidates = window.after === undefined ? sorted : sorted.filter(position(window.after));
  if (window.before === undefined) return toPage(candidates.slice(0, window.limit + 1), window.limit, (item) => item);
  // Walk back from `before`: the nearest items first, then the page is put back in list order.
  const isAfterBefore = position(window.before);
  candidates = candidates.filter((item) => !isAfterBefore(item) && item.id !== window.before).reverse();
  const page = toPage(candidates.slice(0, window.limit + 1), window.limit, (item) => item);
  page.data.reverse();
  return { ...page, first_id: page.data[0]?.id ?? null, last_id: page.data.at(-1)?.id ?? null };
}
