import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { insertAdminKey } from '../../src/api/organizations/service.ts';
import { cachedKeys } from '../../src/http/key-cache.ts';
import { newAdminKeyValue } from '../../src/lib/secrets.ts';
import { nowSeconds } from '../../src/lib/time.ts';
import { TestRoster } from '../support/roster.ts';

/**
 * roster remembers admin keys for less than a second so that most requests skip the key lookup.
 * These tests show the cache never lets a key outlive its deletion or a member's role change.
 */
describe('the admin key cache', () => {
  let roster: TestRoster;
  let owner: OpenAI;

  before(async () => {
    roster = await TestRoster.start();
    owner = roster.client();
  });
  after(() => roster.close());

  /** A new member with an admin key of their own. */
  async function memberWithKey(email: string): Promise<{ userId: string; keyId: string; key: string }> {
    await roster.addMembers([{ email }]);
    const [member] = (await owner.admin.organization.users.list({ emails: [email] })).data;
    const key = newAdminKeyValue();
    const keyId = await insertAdminKey(roster.db, {
      organizationId: roster.org.organizationId,
      ownerId: member!.id,
      name: 'member key',
      value: key,
      now: nowSeconds(),
      expiresAt: null,
    });
    return { userId: member!.id, keyId, key };
  }

  async function status(key: string): Promise<number> {
    return (await roster.request('GET', '/v1/organization/users?limit=1', { key })).status;
  }

  test("a removed member's key is refused at once, though it was used a moment before", async () => {
    const member = await memberWithKey('leaving@example.com');
    assert.equal(await status(member.key), 200);
    await owner.admin.organization.users.delete(member.userId);
    assert.equal(await status(member.key), 401);
  });

  test('a key deleted by another instance sharing the store is refused here within a second', async () => {
    const member = await memberWithKey('elsewhere@example.com');
    assert.equal(await status(member.key), 200);
    // Another instance deletes the key: this one is not told, and only its TTL can retire the entry.
    const deletedAt = Date.now();
    await roster.db.deleteFrom('admin_api_keys').where('id', '=', member.keyId).execute();
    while ((await status(member.key)) !== 401) {
      assert.ok(Date.now() - deletedAt < 1000, 'the deleted key was still accepted after a second');
      await sleep(50);
    }
  });

  test("changing a member's role forgets every cached key, so no request sees the old role", async () => {
    const member = await memberWithKey('promoted@example.com');
    const cache = cachedKeys(roster.db);
    let loads = 0;
    const load = async () => ++loads;
    await cache.lookup('some key', load);
    await cache.lookup('some key', load);
    assert.equal(loads, 1);

    await owner.admin.organization.users.update(member.userId, { role: 'owner' });
    await cache.lookup('some key', load);
    assert.equal(loads, 2);
  });

  test('a lookup still running when the cache is cleared does not store what it read', async () => {
    const cache = cachedKeys(roster.db);
    let release!: () => void;
    const slow = cache.lookup('racing key', () => new Promise<string>((resolve) => (release = () => resolve('before the change'))));
    cache.forget();
    release();
    assert.equal(await slow, 'before the change');
    assert.equal(await cache.lookup('racing key', async () => 'after the change'), 'after the change');
  });
});
