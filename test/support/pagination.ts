import assert from 'node:assert/strict';
import type { NextCursorPage, PagePromise } from 'openai/core/pagination';

type ListOf<T> = (query: { limit: number; order: 'asc' | 'desc' }) => PagePromise<NextCursorPage<T>, T>;

/**
 * Checks an RBAC list (`has_more`/`next`) page by page in both orders: the SDK follows `next` to
 * visit every id exactly once, each page holds at most `limit` items, `next` is the last item's id
 * while more follow and null on the last page, and `desc` is exactly the reverse of `asc`.
 */
export async function assertPagesInBothOrders<T extends { id: string }>(list: ListOf<T>, expectedAscending: string[], limit: number) {
  assert.ok(expectedAscending.length > limit, 'the list must span more than one page');
  for (const order of ['asc', 'desc'] as const) {
    const pages: NextCursorPage<T>[] = [];
    for await (const page of (await list({ limit, order })).iterPages()) pages.push(page);
    assert.equal(pages.length, Math.ceil(expectedAscending.length / limit), `${order}: page count`);
    for (const [index, page] of pages.entries()) {
      const last = index === pages.length - 1;
      assert.ok(page.data.length <= limit);
      assert.equal(page.has_more, !last, `${order}: has_more of page ${index}`);
      assert.equal(page.next, last ? null : page.data.at(-1)!.id, `${order}: next of page ${index}`);
    }
    const ids = pages.flatMap((page) => page.data.map((item) => item.id));
    assert.deepEqual(ids, order === 'asc' ? expectedAscending : [...expectedAscending].reverse(), `${order}: ids in order`);

    const items: string[] = [];
    for await (const item of list({ limit, order })) items.push(item.id);
    assert.deepEqual(items, ids, `${order}: auto-pagination visits the same ids`);
  }
}
