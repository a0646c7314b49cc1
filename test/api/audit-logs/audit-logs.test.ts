import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { recordAuditEvent } from '../../../src/api/audit-logs/record.ts';
import type { Principal } from '../../../src/http/auth.ts';
import { TestRoster } from '../../support/roster.ts';

type ListParams = OpenAI.Admin.Organization.AuditLogListParams;
type StoredEvent = Awaited<ReturnType<TestRoster['auditEvents']>>[number];

const T0 = 1_700_000_000;

describe('audit logs', () => {
  let roster: TestRoster;

  before(async () => {
    roster = await TestRoster.start();
  });
  after(() => roster.close());

  /**
   * An organization with a known history: two owners, each acting with their own key, changing
   * members, keys and a project through the API; and one tenant-scoped event, which no endpoint
   * records. Event i takes effect at T0 + 100·i.
   */
  describe('GET /v1/organization/audit_logs', () => {
    let org: Awaited<ReturnType<TestRoster['createOrganization']>>;
    let client: OpenAI;
    let secondOwner: { id: string; email: string; key: { id: string; value: string } };
    let project: { id: string; name: string };
    /** Organization events, newest first, as stored. */
    let history: StoredEvent[];

    async function listIds(params: ListParams = {}): Promise<string[]> {
      const ids: string[] = [];
      for await (const event of client.admin.organization.auditLogs.list({ limit: 100, ...params })) ids.push(event.id);
      return ids;
    }

    const expected = (keep: (event: StoredEvent) => boolean) => history.filter(keep).map((event) => event.id);

    before(async () => {
      org = await roster.createOrganization('audited-owner@example.com');
      client = roster.client(org.adminKeyValue);
      await roster.addMembers(
        [
          { email: 'audited-second@example.com', role: 'owner' },
          { email: 'alice@example.com' },
          { email: 'bob@example.com' },
          { email: 'carol@example.com' },
        ],
        org.organizationId,
      );
      const members = (await client.admin.organization.users.list({ limit: 100 })).data;
      const idOf = (email: string) => members.find((m) => m.email === email)!.id;
      const second = idOf('audited-second@example.com');
      secondOwner = { id: second, email: 'audited-second@example.com', key: await roster.createAdminKey(second, org.organizationId) };
      const other = roster.client(secondOwner.key.value);
      const owner: Principal = {
        organizationId: org.organizationId,
        keyId: org.adminKeyId,
        userId: org.ownerId,
        userEmail: 'audited-owner@example.com',
        ipAddress: '127.0.0.1',
        userAgent: null,
      };

      await client.admin.organization.users.update(idOf('alice@example.com'), { role: 'owner' });
      const temporary = await client.admin.organization.adminAPIKeys.create({ name: 'Temporary' });
      await other.admin.organization.users.update(idOf('bob@example.com'), { technical_level: 'expert' });
      await other.admin.organization.adminAPIKeys.delete(temporary.id);
      await other.admin.organization.users.delete(idOf('carol@example.com'));
      const { id } = await client.admin.organization.projects.create({ name: 'Audited project' });
      project = { id, name: 'Audited project' };
      await client.admin.organization.projects.update(id, { name: 'Renamed' });
      await client.admin.organization.users.update(idOf('alice@example.com'), { role: 'reader' });
      await recordAuditEvent(roster.db, owner, { type: 'tenant.user.added', resourceId: 'user-tenant' });

      const stored = await roster.auditEvents(undefined, org.organizationId);
      for (const [i, event] of stored.entries()) {
        await roster.db.updateTable('audit_logs').set({ effective_at: T0 + 100 * i }).where('id', '=', event.id).execute();
      }
      history = (await roster.auditEvents(undefined, org.organizationId)).filter((e) => e.type !== 'tenant.user.added').reverse();
      assert.equal(history.length, 8);
    });

    test('lists the organization events newest first, in the reference page shape', async () => {
      const page = (await roster.request('GET', '/v1/organization/audit_logs', { key: org.adminKeyValue })).body;
      assert.equal(page.object, 'list');
      assert.deepEqual(page.data.map((e: { id: string }) => e.id), expected(() => true));
      assert.equal(page.first_id, history[0]!.id);
      assert.equal(page.last_id, history.at(-1)!.id);
      assert.equal(page.has_more, false);
      for (const event of page.data) {
        assert.equal(event.object, 'organization.audit_log');
        assert.match(event.id, /^audit_log-[0-9A-Za-z]{24}$/);
      }
    });

    test('an event carries its details under its type, the acting key and member, and its project if any', async () => {
      const [deleted] = (await client.admin.organization.auditLogs.list({ event_types: ['user.deleted'] })).data;
      assert.deepEqual(deleted!.actor, {
        type: 'api_key',
        api_key: { id: secondOwner.key.id, type: 'user', user: { id: secondOwner.id, email: secondOwner.email } },
      });
      assert.deepEqual(deleted!['user.deleted'], { id: history.find((e) => e.type === 'user.deleted')!.resource_id });
      assert.equal(deleted!.project, undefined);

      const [created] = (await client.admin.organization.auditLogs.list({ event_types: ['project.created'] })).data;
      assert.deepEqual(created!.project, project);
      assert.deepEqual(created!['project.created'], { id: project.id, data: { name: project.name } });
    });

    test('effective_at bounds filter by time, alone and together', async () => {
      const at = (i: number) => T0 + 100 * i; // the i-th oldest event
      assert.deepEqual(await listIds({ effective_at: { gt: at(5) } }), expected((e) => e.effective_at > at(5)));
      assert.deepEqual(await listIds({ effective_at: { gte: at(5) } }), expected((e) => e.effective_at >= at(5)));
      assert.deepEqual(await listIds({ effective_at: { lt: at(2) } }), expected((e) => e.effective_at < at(2)));
      assert.deepEqual(await listIds({ effective_at: { lte: at(2) } }), expected((e) => e.effective_at <= at(2)));
      const window = await listIds({ effective_at: { gt: at(1), lte: at(4) } });
      assert.deepEqual(window, expected((e) => e.effective_at > at(1) && e.effective_at <= at(4)));
      assert.equal(window.length, 3);
    });

    test('project_ids keeps the events about those projects', async () => {
      const ids = await listIds({ project_ids: [project.id, 'proj_unknown'] });
      assert.deepEqual(ids, expected((e) => e.project_id === project.id));
      assert.equal(ids.length, 2);
    });

    test('event_types keeps the events of those types', async () => {
      const ids = await listIds({ event_types: ['user.updated', 'api_key.created'] });
      assert.deepEqual(ids, expected((e) => e.type === 'user.updated' || e.type === 'api_key.created'));
      assert.equal(ids.length, 4);
    });

    test('actor_ids keeps the events made by those members, or with those admin keys', async () => {
      const bySecondOwner = expected((e) => e.actor_id === secondOwner.id);
      assert.equal(bySecondOwner.length, 3);
      assert.deepEqual(await listIds({ actor_ids: [secondOwner.id] }), bySecondOwner);
      assert.deepEqual(await listIds({ actor_ids: [secondOwner.key.id] }), bySecondOwner);
      assert.deepEqual(await listIds({ actor_ids: [org.ownerId, secondOwner.key.id] }), expected(() => true));
    });

    test('actor_emails keeps the events made by members with those emails, whatever the case', async () => {
      assert.deepEqual(await listIds({ actor_emails: ['AUDITED-SECOND@example.com'] }), expected((e) => e.actor_id === secondOwner.id));
    });

    test('resource_ids keeps the events about those objects', async () => {
      const alice = history.find((e) => e.type === 'user.updated')!.resource_id!;
      const ids = await listIds({ resource_ids: [alice] });
      assert.deepEqual(ids, expected((e) => e.resource_id === alice));
      assert.equal(ids.length, 2);
    });

    test('filters combine: every one must match', async () => {
      const ids = await listIds({
        event_types: ['user.updated', 'user.deleted', 'project.created'],
        actor_ids: [secondOwner.id],
        effective_at: { gte: T0 + 300 },
      });
      assert.deepEqual(
        ids,
        expected((e) => ['user.updated', 'user.deleted', 'project.created'].includes(e.type) && e.actor_id === secondOwner.id && e.effective_at >= T0 + 300),
      );
      assert.equal(ids.length, 1);
      assert.deepEqual(await listIds({ project_ids: [project.id], actor_ids: [secondOwner.id] }), []);
    });

    test('array filters arrive as name[]=, as repeated plain keys, or as a single value', async () => {
      const get = async (query: string) => {
        const response = await roster.request('GET', `/v1/organization/audit_logs?${query}`, { key: org.adminKeyValue });
        assert.equal(response.status, 200, JSON.stringify(response.body));
        return response.body.data.map((e: { id: string }) => e.id);
      };
      const both = expected((e) => e.type === 'user.deleted' || e.type === 'api_key.deleted');
      assert.deepEqual(await get('event_types%5B%5D=user.deleted&event_types%5B%5D=api_key.deleted'), both);
      assert.deepEqual(await get('event_types[]=user.deleted&event_types[]=api_key.deleted'), both);
      assert.deepEqual(await get('event_types=user.deleted&event_types=api_key.deleted'), both);
      assert.deepEqual(await get('event_types=user.deleted'), expected((e) => e.type === 'user.deleted'));
      assert.deepEqual(await get(`effective_at%5Blt%5D=${T0 + 100}`), [history.at(-1)!.id]);
    });

    test('tenant_only lists only tenant-scoped events, and accepts true/false/1/0', async () => {
      const get = (query: string) => roster.request('GET', `/v1/organization/audit_logs?${query}`, { key: org.adminKeyValue });
      for (const off of ['tenant_only=false', 'tenant_only=0']) {
        assert.deepEqual((await get(off)).body.data.map((e: { id: string }) => e.id), expected(() => true));
      }
      for (const on of ['tenant_only=true', 'tenant_only=1']) {
        assert.deepEqual((await get(on)).body.data.map((e: { type: string }) => e.type), ['tenant.user.added']);
      }
      const page = await client.admin.organization.auditLogs.list({ tenant_only: true, event_types: ['tenant.user.added'] });
      assert.equal(page.data.length, 1);
    });

    test('asking for event types on the wrong side of tenant_only is refused', async () => {
      await assert.rejects(client.admin.organization.auditLogs.list({ event_types: ['tenant.user.added'] }), (error: unknown) => {
        assert.ok(error instanceof OpenAI.BadRequestError);
        assert.equal(error.param, 'event_types');
        assert.match(error.message, /tenant_only=true/);
        return true;
      });
      await assert.rejects(client.admin.organization.auditLogs.list({ tenant_only: true, event_types: ['user.deleted'] }), OpenAI.BadRequestError);
      const notBoolean = await roster.request('GET', '/v1/organization/audit_logs?tenant_only=maybe', { key: org.adminKeyValue });
      assert.equal(notBoolean.status, 400);
      assert.equal(notBoolean.body.error.param, 'tenant_only');
    });

    test('an unknown event type, an unknown effective_at bound or a bad limit is refused naming it', async () => {
      const get = (query: string) => roster.request('GET', `/v1/organization/audit_logs?${query}`, { key: org.adminKeyValue });
      const unknownType = await get('event_types[]=user.renamed');
      assert.equal(unknownType.status, 400);
      assert.equal(unknownType.body.error.code, 'invalid_value');
      assert.match(unknownType.body.error.param, /^event_types/);
      assert.equal((await get('effective_at[eq]=1')).body.error.param, 'effective_at.eq');
      assert.equal((await get('effective_at[gte]=soon')).body.error.param, 'effective_at.gte');
      for (const limit of [0, 101]) {
        await assert.rejects(client.admin.organization.auditLogs.list({ limit }), (error: unknown) => {
          assert.ok(error instanceof OpenAI.BadRequestError);
          assert.equal(error.param, 'limit');
          return true;
        });
      }
    });

    test('after pages towards older events: SDK auto-pagination visits every event once', async () => {
      const first = await client.admin.organization.auditLogs.list({ limit: 3 });
      assert.equal(first.data.length, 3);
      assert.equal(first.has_more, true);
      assert.deepEqual(await listIds({ limit: 3 }), expected(() => true));
      assert.deepEqual(await listIds({ limit: 3, event_types: ['user.updated', 'user.deleted'] }), expected((e) => e.type.startsWith('user.')));
    });

    test('before pages towards newer events, each page still newest first', async () => {
      const all = expected(() => true);
      const pages: string[][] = [];
      let cursor = all.at(-1)!;
      for (;;) {
        const page = await client.admin.organization.auditLogs.list({ before: cursor, limit: 3 });
        pages.push(page.data.map((e) => e.id));
        if (!page.has_more) break;
        cursor = page.data[0]!.id;
      }
      assert.deepEqual(pages.map((p) => p.length), [3, 3, 1]);
      assert.deepEqual([...pages.reverse().flat(), all.at(-1)], all);
      const newest = await client.admin.organization.auditLogs.list({ before: all[0]! });
      assert.deepEqual(newest.data, []);
      assert.equal(newest.has_more, false);
    });

    test('after and before together give the events between them', async () => {
      const all = expected(() => true);
      assert.deepEqual(await listIds({ after: all[1]!, before: all[6]! }), all.slice(2, 6));
    });

    test('order=asc (a roster extension some clients send) lists oldest first', async () => {
      const all = expected(() => true);
      const get = (query: string) => roster.request('GET', `/v1/organization/audit_logs?${query}`, { key: org.adminKeyValue });
      const oldest = (await get('order=asc&limit=5')).body;
      assert.deepEqual(oldest.data.map((e: { id: string }) => e.id), [...all].reverse().slice(0, 5));
      const rest = (await get(`order=asc&after=${oldest.last_id}`)).body;
      assert.deepEqual(rest.data.map((e: { id: string }) => e.id), [...all].reverse().slice(5));
    });

    test("another organization's events are never listed", async () => {
      const ids = await listIds({ actor_ids: [org.ownerId, secondOwner.id] });
      const outsider = roster.client();
      const seenByOutsider: string[] = [];
      for await (const event of outsider.admin.organization.auditLogs.list({ limit: 100 })) seenByOutsider.push(event.id);
      assert.ok(ids.length > 0);
      assert.ok(!seenByOutsider.some((id) => ids.includes(id)));
      assert.deepEqual(await listIds({ resource_ids: [project.id] }), expected((e) => e.resource_id === project.id));
      const crossed = [];
      for await (const event of outsider.admin.organization.auditLogs.list({ resource_ids: [project.id] })) crossed.push(event);
      assert.deepEqual(crossed, []);
    });
  });

  // The event each mutating endpoint records is checked in events-by-endpoint.test.ts.
  test("the request's address and user agent are stored with the event, though the reference actor has no field for them", async () => {
    const key = await roster.client().admin.organization.adminAPIKeys.create({ name: 'Traced' });
    const [stored] = (await roster.auditEvents('api_key.created')).filter((e) => e.resource_id === key.id);
    assert.equal(stored!.ip_address, '127.0.0.1');
    assert.match(stored!.user_agent!, /^OpenAI\/JS /);
    const served = await roster.request('GET', `/v1/organization/audit_logs?resource_ids[]=${key.id}`);
    assert.ok(!JSON.stringify(served.body).includes('127.0.0.1'));
  });
});
