import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { TestRoster } from '../../support/roster.ts';
import { forgetCachedKeys } from '../../../src/http/key-cache.ts';

function assertRefusedKey(error: unknown): true {
  assert.ok(error instanceof OpenAI.AuthenticationError, String(error));
  assert.equal(error.code, 'invalid_api_key');
  return true;
}

function assertBadRequest(param: string, code?: string) {
  return (error: unknown): true => {
    assert.ok(error instanceof OpenAI.BadRequestError, String(error));
    assert.equal(error.param, param);
    if (code !== undefined) assert.equal(error.code, code);
    return true;
  };
}

describe('admin API keys', () => {
  let roster: TestRoster;
  let client: OpenAI;

  before(async () => {
    roster = await TestRoster.start();
    client = roster.client();
  });
  after(() => roster.close());

  async function storedKeyCount(organizationId = roster.org.organizationId): Promise<number> {
    return (await roster.db.selectFrom('admin_api_keys').select('id').where('organization_id', '=', organizationId).execute()).length;
  }

  describe('POST /v1/organization/admin_api_keys', () => {
    test('returns the full value once, shaped like a real admin key, owned by the calling member', async () => {
      const key = await client.admin.organization.adminAPIKeys.create({ name: 'Deploy bot' });
      assert.equal(key.object, 'organization.admin_api_key');
      assert.match(key.id, /^key_[0-9A-Za-z]{24}$/);
      assert.equal(key.name, 'Deploy bot');
      assert.match(key.value, /^sk-admin-[0-9A-Za-z]{124}$/);
      assert.equal(key.redacted_value, `${key.value.slice(0, 8)}${'*'.repeat(121)}${key.value.slice(-4)}`);
      assert.equal(key.expires_at, null);
      assert.equal(key.last_used_at, null);
      assert.deepEqual(key.owner, {
        type: 'user',
        object: 'organization.user',
        id: roster.org.ownerId,
        name: 'Olive Owner',
        created_at: key.owner.created_at,
        role: 'owner',
      });
      assert.equal(typeof key.owner.created_at, 'number');
    });

    test('the store keeps a hash of the value, never the value itself', async () => {
      const key = await client.admin.organization.adminAPIKeys.create({ name: 'Hashed' });
      const row = await roster.db.selectFrom('admin_api_keys').selectAll().where('id', '=', key.id).executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(row).includes(key.value.slice(9)));
      assert.match(row.secret_hash, /^[0-9a-f]{64}$/);
    });

    test('two keys never share a value', async () => {
      const [first, second] = await Promise.all([
        client.admin.organization.adminAPIKeys.create({ name: 'One' }),
        client.admin.organization.adminAPIKeys.create({ name: 'Two' }),
      ]);
      assert.notEqual(first.value, second.value);
    });

    test('expires_in_seconds sets expires_at, rounded up so the key lives at least that long', async () => {
      const before = Date.now() / 1000;
      const key = await client.admin.organization.adminAPIKeys.create({ name: 'Month', expires_in_seconds: 2592000 });
      const after = Date.now() / 1000;
      assert.ok(key.expires_at! >= before + 2592000 && key.expires_at! <= Math.ceil(after + 2592000), String(key.expires_at));
    });

    test('a missing name, or a lifetime outside 1 second to 1 year, is refused and nothing is stored', async () => {
      const keysBefore = await storedKeyCount();
      const eventsBefore = (await roster.auditEvents('api_key.created')).length;
      const create = client.admin.organization.adminAPIKeys.create.bind(client.admin.organization.adminAPIKeys);
      await assert.rejects(create({} as never), assertBadRequest('name', 'missing_required_parameter'));
      await assert.rejects(create({ name: '' }), assertBadRequest('name'));
      await assert.rejects(create({ name: 'Zero', expires_in_seconds: 0 }), assertBadRequest('expires_in_seconds', 'integer_below_min_value'));
      await assert.rejects(create({ name: 'Long', expires_in_seconds: 31536001 }), assertBadRequest('expires_in_seconds', 'integer_above_max_value'));
      await assert.rejects(create({ name: 'Half', expires_in_seconds: 1.5 }), assertBadRequest('expires_in_seconds', 'invalid_type'));
      assert.equal(await storedKeyCount(), keysBefore);
      assert.equal((await roster.auditEvents('api_key.created')).length, eventsBefore, 'a refused request writes no event');
    });
  });

  describe('using a key', () => {
    test('a new key works at once, and is listed and retrieved with its redacted value only', async () => {
      const created = await client.admin.organization.adminAPIKeys.create({ name: 'Fresh' });
      const own = await roster.client(created.value).admin.organization.adminAPIKeys.retrieve(created.id);
      assert.equal(own.redacted_value, created.redacted_value);
      assert.ok(!('value' in own), 'retrieve never shows the value');

      const listed: OpenAI.Admin.Organization.AdminAPIKey[] = [];
      for await (const key of client.admin.organization.adminAPIKeys.list({ limit: 100 })) listed.push(key);
      const entry = listed.find((key) => key.id === created.id);
      assert.ok(entry);
      assert.ok(listed.every((key) => !('value' in key) && /^sk-admin\*+[0-9A-Za-z]{4}$/.test(key.redacted_value)));
    });

    test('last_used_at is set by a use, and not rewritten by every request', async () => {
      const created = await client.admin.organization.adminAPIKeys.create({ name: 'Busy' });
      const busy = roster.client(created.value);
      const firstUse = (await busy.admin.organization.adminAPIKeys.retrieve(created.id)).last_used_at;
      assert.equal(typeof firstUse, 'number');

      // Within a minute of the recorded use, further requests leave it alone...
      const recent = firstUse! - 30;
      // Written behind the instance's back, so its half-second key cache is dropped as well.
      await roster.db.updateTable('admin_api_keys').set({ last_used_at: recent }).where('id', '=', created.id).execute();
      forgetCachedKeys(roster.db);
      for (let i = 0; i < 3; i++) await busy.admin.organization.users.list({ limit: 1 });
      assert.equal((await client.admin.organization.adminAPIKeys.retrieve(created.id)).last_used_at, recent);

      // ...and once it is a minute old, the next request brings it up to date.
      await roster.db.updateTable('admin_api_keys').set({ last_used_at: firstUse! - 61 }).where('id', '=', created.id).execute();
      forgetCachedKeys(roster.db);
      await busy.admin.organization.users.list({ limit: 1 });
      assert.ok((await client.admin.organization.adminAPIKeys.retrieve(created.id)).last_used_at! >= firstUse!);
    });

    test('a key that reached expires_at is refused at once', async () => {
      const created = await client.admin.organization.adminAPIKeys.create({ name: 'Brief', expires_in_seconds: 1 });
      const brief = roster.client(created.value);
      await brief.admin.organization.users.list({ limit: 1 });
      await sleep(created.expires_at! * 1000 - Date.now() + 20);
      await assert.rejects(brief.admin.organization.users.list({ limit: 1 }), (error: unknown) => {
        assertRefusedKey(error);
        assert.match((error as Error).message, /expired/);
        return true;
      });
      // The expired key is still listed, so it can be seen and deleted.
      assert.equal((await client.admin.organization.adminAPIKeys.retrieve(created.id)).id, created.id);
    });

    test('a key whose owner left the organization stops working and disappears', async () => {
      const org = await roster.createOrganization('keys-leaving@example.com');
      await roster.addMembers([{ email: 'keys-leaver@example.com', role: 'owner' }], org.organizationId);
      const admin = roster.client(org.adminKeyValue);
      const [leaver] = (await admin.admin.organization.users.list({ emails: ['keys-leaver@example.com'] })).data;
      const leaversKey = await roster.createAdminKey(leaver!.id, org.organizationId);
      await roster.client(leaversKey.value).admin.organization.users.list({ limit: 1 });

      await admin.admin.organization.users.delete(leaver!.id);
      await assert.rejects(roster.client(leaversKey.value).admin.organization.users.list({ limit: 1 }), assertRefusedKey);
      await assert.rejects(admin.admin.organization.adminAPIKeys.retrieve(leaversKey.id), OpenAI.NotFoundError);
    });
  });

  describe('DELETE /v1/organization/admin_api_keys/{key_id}', () => {
    test('deletes the key, which is refused from the very next request and then not found', async () => {
      const created = await client.admin.organization.adminAPIKeys.create({ name: 'Doomed' });
      const doomed = roster.client(created.value);
      await doomed.admin.organization.users.list({ limit: 1 });

      const deleted = await client.admin.organization.adminAPIKeys.delete(created.id);
      assert.deepEqual(deleted, { id: created.id, object: 'organization.admin_api_key.deleted', deleted: true });
      await assert.rejects(doomed.admin.organization.users.list({ limit: 1 }), assertRefusedKey);
      await assert.rejects(client.admin.organization.adminAPIKeys.retrieve(created.id), OpenAI.NotFoundError);
      await assert.rejects(client.admin.organization.adminAPIKeys.delete(created.id), OpenAI.NotFoundError);
    });

    test('a key may delete itself: that request succeeds and the next one is refused', async () => {
      const created = await client.admin.organization.adminAPIKeys.create({ name: 'Self-revoking' });
      const self = roster.client(created.value);
      assert.equal((await self.admin.organization.adminAPIKeys.delete(created.id)).deleted, true);
      await assert.rejects(self.admin.organization.adminAPIKeys.list(), assertRefusedKey);
    });

    test("the organization's last unexpired key cannot be deleted, so the organization is never locked out", async () => {
      const org = await roster.createOrganization('one-key@example.com');
      const only = roster.client(org.adminKeyValue);
      await assert.rejects(only.admin.organization.adminAPIKeys.delete(org.adminKeyId), assertBadRequest('key_id', 'last_admin_key'));
      assert.equal((await only.admin.organization.adminAPIKeys.retrieve(org.adminKeyId)).id, org.adminKeyId);
      assert.deepEqual(await roster.auditEvents(undefined, org.organizationId), [], 'a refused request writes no event');

      // With a second key, either may go.
      const spare = await only.admin.organization.adminAPIKeys.create({ name: 'Spare' });
      await only.admin.organization.adminAPIKeys.delete(org.adminKeyId);
      await assert.rejects(roster.client(spare.value).admin.organization.adminAPIKeys.delete(spare.id), assertBadRequest('key_id', 'last_admin_key'));
    });
  });

  describe('GET /v1/organization/admin_api_keys', () => {
    let org: Awaited<ReturnType<TestRoster['createOrganization']>>;
    let admin: OpenAI;
    const created: string[] = [];

    before(async () => {
      org = await roster.createOrganization('many-keys@example.com');
      admin = roster.client(org.adminKeyValue);
      created.push(org.adminKeyId);
      for (let i = 0; i < 24; i++) created.push((await admin.admin.organization.adminAPIKeys.create({ name: `Key ${i}` })).id);
    });

    test('auto-pagination visits every key once, oldest first by default', async () => {
      const ids: string[] = [];
      for await (const key of admin.admin.organization.adminAPIKeys.list({ limit: 10 })) ids.push(key.id);
      assert.deepEqual(ids, created);
    });

    test('order=desc lists newest first, across pages too', async () => {
      const ids: string[] = [];
      for await (const key of admin.admin.organization.adminAPIKeys.list({ limit: 7, order: 'desc' })) ids.push(key.id);
      assert.deepEqual(ids, [...created].reverse());
    });

    test('a page has 20 keys by default, and first_id, last_id and an exact has_more', async () => {
      const page = await admin.admin.organization.adminAPIKeys.list();
      assert.equal(page.data.length, 20);
      assert.equal(page.has_more, true);
      const raw = (await roster.request('GET', `/v1/organization/admin_api_keys?after=${created[4]}`, { key: org.adminKeyValue })).body;
      assert.equal(raw.data.length, 20);
      assert.equal(raw.first_id, created[5]);
      assert.equal(raw.last_id, created[24]);
      assert.equal(raw.has_more, false);
    });

    test('limit outside 1..100 and an unknown order are refused', async () => {
      await assert.rejects(admin.admin.organization.adminAPIKeys.list({ limit: 0 }), assertBadRequest('limit'));
      await assert.rejects(admin.admin.organization.adminAPIKeys.list({ limit: 101 }), assertBadRequest('limit'));
      await assert.rejects(admin.admin.organization.adminAPIKeys.list({ order: 'sideways' as 'asc' }), assertBadRequest('order', 'invalid_value'));
    });

    test("another organization's keys are invisible: listing skips them, addressing them is a 404", async () => {
      const listed: string[] = [];
      for await (const key of client.admin.organization.adminAPIKeys.list({ limit: 100 })) listed.push(key.id);
      assert.ok(!listed.includes(org.adminKeyId));
      await assert.rejects(client.admin.organization.adminAPIKeys.retrieve(org.adminKeyId), OpenAI.NotFoundError);
      await assert.rejects(client.admin.organization.adminAPIKeys.delete(created[1]!), OpenAI.NotFoundError);
      assert.equal(await storedKeyCount(org.organizationId), created.length);
    });
  });
});
