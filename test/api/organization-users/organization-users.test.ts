import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { TestRoster, people } from '../../support/roster.ts';

describe('organization users', () => {
  let roster: TestRoster;
  let client: OpenAI;

  before(async () => {
    roster = await TestRoster.start();
    client = roster.client();
    await roster.addMembers(people(349));
  });
  after(() => roster.close());

  describe('GET /v1/organization/users', () => {
    test('auto-pagination visits every member once, in id order', async () => {
      const ids: string[] = [];
      for await (const user of client.admin.organization.users.list({ limit: 100 })) ids.push(user.id);
      assert.equal(ids.length, 350);
      assert.equal(new Set(ids).size, 350);
      assert.deepEqual(ids, [...ids].sort());
    });

    test('a page reports first_id, last_id and an exact has_more', async () => {
      const first = (await roster.request('GET', '/v1/organization/users?limit=20')).body;
      assert.equal(first.data.length, 20);
      assert.equal(first.first_id, first.data[0].id);
      assert.equal(first.last_id, first.data[19].id);
      assert.equal(first.has_more, true);

      // has_more is exact: with 100 members left a page of 100 is the last one, with 101 it is not.
      const ids: string[] = [];
      for await (const user of client.admin.organization.users.list({ limit: 100 })) ids.push(user.id);
      const exactlyLast = (await roster.request('GET', `/v1/organization/users?limit=100&after=${ids.at(-101)}`)).body;
      assert.equal(exactlyLast.data.length, 100);
      assert.equal(exactlyLast.has_more, false);
      const oneMore = (await roster.request('GET', `/v1/organization/users?limit=100&after=${ids.at(-102)}`)).body;
      assert.equal(oneMore.data.length, 100);
      assert.equal(oneMore.has_more, true);
      const last = exactlyLast;
      const empty = (await roster.request('GET', `/v1/organization/users?after=${last.last_id}`)).body;
      assert.deepEqual(empty, { object: 'list', data: [], first_id: null, last_id: null, has_more: false });
    });

    test('the default page size is 20', async () => {
      const page = await client.admin.organization.users.list();
      assert.equal(page.data.length, 20);
    });

    test('the emails filter returns only the named members, whatever the case', async () => {
      const page = await client.admin.organization.users.list({ emails: ['person-007@example.com', 'PERSON-042@example.com', 'nobody@example.com'] });
      assert.deepEqual(page.data.map((u) => u.email).sort(), ['person-007@example.com', 'person-042@example.com']);
    });

    test('the emails filter accepts plain repeated keys and a single value, as other clients send them', async () => {
      const repeated = await roster.request('GET', '/v1/organization/users?emails=person-001%40example.com&emails=person-002%40example.com');
      assert.equal(repeated.status, 200);
      assert.equal(repeated.body.data.length, 2);
      const single = await roster.request('GET', '/v1/organization/users?emails=person-003%40example.com');
      assert.deepEqual(single.body.data.map((u: { email: string }) => u.email), ['person-003@example.com']);
    });

    test('a limit outside 1..100 is refused with param limit', async () => {
      for (const limit of [0, 101]) {
        await assert.rejects(client.admin.organization.users.list({ limit }), (error: unknown) => {
          assert.ok(error instanceof OpenAI.BadRequestError);
          assert.equal(error.param, 'limit');
          return true;
        });
      }
    });

    test('a non-numeric limit is refused as the wrong type', async () => {
      const response = await roster.request('GET', '/v1/organization/users?limit=many');
      assert.equal(response.status, 400);
      assert.equal(response.body.error.param, 'limit');
      assert.equal(response.body.error.code, 'invalid_type');
    });

    test('pages stay consistent while members join and leave between requests', async () => {
      const extra = people(30, 'churn');
      await roster.addMembers(extra);
      const seen: string[] = [];
      const first = await client.admin.organization.users.list({ limit: 50 });
      seen.push(...first.data.map((u) => u.id));
      // Remove some members not yet seen and add new ones (which sort last) between pages.
      const churners = (await client.admin.organization.users.list({ emails: extra.slice(0, 10).map((p) => p.email) })).data;
      for (const user of churners) await client.admin.organization.users.delete(user.id);
      await roster.addMembers(people(5, 'late'));
      let page = first;
      while (page.hasNextPage()) {
        page = await page.getNextPage();
        seen.push(...page.data.map((u) => u.id));
      }
      assert.equal(new Set(seen).size, seen.length, 'no member is returned twice');
      const deleted = new Set(churners.map((u) => u.id));
      assert.ok(!seen.some((id) => deleted.has(id)), 'deleted members are not returned');
      const lateOnes = await client.admin.organization.users.list({ emails: people(5, 'late').map((p) => p.email) });
      for (const user of lateOnes.data) assert.ok(seen.includes(user.id), 'members who joined mid-way are reached');
    });
  });

  describe('GET /v1/organization/users/{user_id}', () => {
    test('returns the member with every documented field', async () => {
      const user = await client.admin.organization.users.retrieve(roster.org.ownerId);
      assert.equal(user.object, 'organization.user');
      assert.equal(user.id, roster.org.ownerId);
      assert.equal(user.email, 'owner@example.com');
      assert.equal(user.name, 'Olive Owner');
      assert.equal(user.role, 'owner');
      assert.equal(typeof user.added_at, 'number');
      assert.equal(user.is_default, true);
    });

    test('ids look like OpenAI user ids', async () => {
      const page = await client.admin.organization.users.list({ limit: 5 });
      for (const user of page.data) assert.match(user.id, /^user-[0-9A-Za-z]{24}$/);
    });

    test('an unknown id is a 404 naming the id', async () => {
      await assert.rejects(client.admin.organization.users.retrieve('user-doesnotexist'), (error: unknown) => {
        assert.ok(error instanceof OpenAI.NotFoundError);
        assert.match(error.message, /user-doesnotexist/);
        return true;
      });
    });
  });

  describe('POST /v1/organization/users/{user_id}', () => {
    test('changes the role and metadata and returns the updated member', async () => {
      const [target] = (await client.admin.organization.users.list({ emails: ['person-010@example.com'] })).data;
      const updated = await client.admin.organization.users.update(target!.id, {
        role: 'owner',
        technical_level: 'expert',
        developer_persona: 'builder',
      });
      assert.equal(updated.role, 'owner');
      assert.equal(updated.technical_level, 'expert');
      assert.equal(updated.developer_persona, 'builder');
      const reread = await client.admin.organization.users.retrieve(target!.id);
      assert.equal(reread.role, 'owner');
      assert.equal(reread.technical_level, 'expert');
      await client.admin.organization.users.update(target!.id, { role: 'reader' });
    });

    test('a change is audited as user.updated with the changes requested; a no-op is not', async () => {
      const [target] = (await client.admin.organization.users.list({ emails: ['person-012@example.com'] })).data;
      await client.admin.organization.users.update(target!.id, { technical_level: 'novice' });
      await client.admin.organization.users.update(target!.id, { technical_level: 'novice' });
      const events = (await roster.auditEvents('user.updated')).filter((e) => e.resource_id === target!.id);
      assert.equal(events.length, 1);
      assert.deepEqual(events[0]!.details, { id: target!.id, changes_requested: { technical_level: 'novice' } });
      assert.equal(events[0]!.actor.api_key.id, roster.org.adminKeyId);
      assert.equal(events[0]!.actor.api_key.user.id, roster.org.ownerId);
    });

    test('role_id naming a predefined organization role sets that role, in short or scoped form', async () => {
      const [target] = (await client.admin.organization.users.list({ emails: ['person-011@example.com'] })).data;
      const orgId = roster.org.organizationId;
      const promoted = await client.admin.organization.users.update(target!.id, { role_id: `role-api-organization-owner__api-organization__${orgId}` });
      assert.equal(promoted.role, 'owner');
      const demoted = await client.admin.organization.users.update(target!.id, { role_id: 'role-api-organization-reader' });
      assert.equal(demoted.role, 'reader');
    });

    test('an unknown role value is refused with param role and the supported values', async () => {
      await assert.rejects(client.admin.organization.users.update(roster.org.ownerId, { role: 'admin' }), (error: unknown) => {
        assert.ok(error instanceof OpenAI.BadRequestError);
        assert.equal(error.param, 'role');
        assert.match(error.message, /'owner' and 'reader'/);
        return true;
      });
    });

    test('an unknown role_id is refused with param role_id', async () => {
      await assert.rejects(client.admin.organization.users.update(roster.org.ownerId, { role_id: 'role-nope' }), (error: unknown) => {
        assert.ok(error instanceof OpenAI.BadRequestError);
        assert.equal(error.param, 'role_id');
        return true;
      });
    });

    test('the last owner cannot be demoted', async () => {
      const org = await roster.createOrganization('solo-owner@example.com');
      const solo = roster.client(org.adminKeyValue);
      await assert.rejects(solo.admin.organization.users.update(org.ownerId, { role: 'reader' }), (error: unknown) => {
        assert.ok(error instanceof OpenAI.BadRequestError);
        assert.equal(error.code, 'last_owner');
        return true;
      });
      assert.equal((await solo.admin.organization.users.retrieve(org.ownerId)).role, 'owner');
    });

    test('an unknown user is a 404', async () => {
      await assert.rejects(client.admin.organization.users.update('user-missing', { role: 'reader' }), OpenAI.NotFoundError);
    });
  });

  describe('DELETE /v1/organization/users/{user_id}', () => {
    test('removes the member, who is then not found', async () => {
      const [target] = (await client.admin.organization.users.list({ emails: ['person-020@example.com'] })).data;
      const deleted = await client.admin.organization.users.delete(target!.id);
      assert.deepEqual(deleted, { object: 'organization.user.deleted', id: target!.id, deleted: true });
      await assert.rejects(client.admin.organization.users.retrieve(target!.id), OpenAI.NotFoundError);
      await assert.rejects(client.admin.organization.users.delete(target!.id), OpenAI.NotFoundError);
      const events = (await roster.auditEvents('user.deleted')).filter((e) => e.resource_id === target!.id);
      assert.equal(events.length, 1);
    });

    test('the last owner cannot be removed', async () => {
      const org = await roster.createOrganization('last-owner@example.com');
      const solo = roster.client(org.adminKeyValue);
      await assert.rejects(solo.admin.organization.users.delete(org.ownerId), (error: unknown) => {
        assert.ok(error instanceof OpenAI.BadRequestError);
        assert.equal(error.code, 'last_owner');
        return true;
      });
      assert.deepEqual(await roster.auditEvents(undefined, org.organizationId), [], 'a refused change writes no event');
    });

    test('an owner can be removed while another owner remains, and their admin keys stop working', async () => {
      const org = await roster.createOrganization('leaving-owner@example.com');
      await roster.addMembers([{ email: 'staying-owner@example.com', role: 'owner' }], org.organizationId);
      const leaving = roster.client(org.adminKeyValue);
      const staying = (await leaving.admin.organization.users.list({ emails: ['staying-owner@example.com'] })).data[0]!;
      await leaving.admin.organization.users.delete(org.ownerId);
      await assert.rejects(leaving.admin.organization.users.retrieve(staying.id), OpenAI.AuthenticationError);
    });
  });

  describe('isolation between organizations', () => {
    test("a key of one organization gets 404 for another organization's members", async () => {
      const other = await roster.createOrganization('other-owner@example.com');
      const outsider = roster.client(other.adminKeyValue);
      await assert.rejects(outsider.admin.organization.users.retrieve(roster.org.ownerId), OpenAI.NotFoundError);
      await assert.rejects(outsider.admin.organization.users.update(roster.org.ownerId, { role: 'reader' }), OpenAI.NotFoundError);
      await assert.rejects(outsider.admin.organization.users.delete(roster.org.ownerId), OpenAI.NotFoundError);
      const listed = await outsider.admin.organization.users.list({ limit: 100 });
      assert.deepEqual(listed.data.map((u) => u.id), [other.ownerId]);
    });
  });

  describe('authentication', () => {
    test('a request without a key is a 401', async () => {
      const response = await roster.request('GET', '/v1/organization/users', { key: null });
      assert.equal(response.status, 401);
      assert.equal(response.body.error.type, 'invalid_request_error');
      assert.match(response.body.error.message, /didn't provide an API key/);
    });

    test('an unknown key is a 401 invalid_api_key that shows only a redacted form of it', async () => {
      const key = 'sk-admin-not-a-real-key-0123456789';
      await assert.rejects(roster.client(key).admin.organization.users.list(), (error: unknown) => {
        assert.ok(error instanceof OpenAI.AuthenticationError);
        assert.equal(error.code, 'invalid_api_key');
        assert.ok(!error.message.includes(key));
        assert.match(error.message, /sk-admin\*+6789/);
        return true;
      });
    });

    test('a malformed Authorization header is a 401', async () => {
      const response = await roster.request('GET', '/v1/organization/users', { key: null, headers: { authorization: 'Basic abc' } });
      assert.equal(response.status, 401);
    });

    test('using a key records when its owner last used a key', async () => {
      const owner = await client.admin.organization.users.retrieve(roster.org.ownerId);
      assert.equal(typeof owner.api_key_last_used_at, 'number');
    });
  });
});
