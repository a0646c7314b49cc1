import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestRoster } from '../../support/roster.ts';
import { recordAuditEvent } from '../../../src/api/audit-logs/record.ts';
import { EXPORT_PAGE_SIZE } from '../../../src/extensions/audit-export/service.ts';

const EVENTS = 2 * EXPORT_PAGE_SIZE + 345;

describe('GET /roster/v1/audit_logs/export', () => {
  let roster: TestRoster;

  before(async () => {
    roster = await TestRoster.start();
    const principal = {
      organizationId: roster.org.organizationId,
      keyId: roster.org.adminKeyId,
      userId: roster.org.ownerId,
      userEmail: 'owner@example.com',
      ipAddress: '127.0.0.1',
      userAgent: null,
    };
    await roster.db.transaction().execute(async (trx) => {
      for (let i = 0; i < EVENTS; i++) {
        const type = i % 3 === 0 ? 'project.created' : 'user.updated';
        await recordAuditEvent(trx, principal, { type, resourceId: `resource-${i % 7}`, details: { n: i } });
      }
    });
  });
  after(() => roster.close());

  async function exported(query = ''): Promise<{ status: number; type: string | null; events: { id: string; type: string }[] }> {
    const response = await fetch(`${roster.origin}/roster/v1/audit_logs/export${query}`, {
      headers: { authorization: `Bearer ${roster.org.adminKeyValue}` },
    });
    const text = await response.text();
    const events = response.ok ? text.split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
    return { status: response.status, type: response.headers.get('content-type'), events };
  }

  test('streams every event as NDJSON, oldest first, each as the audit log lists it', async () => {
    const { status, type, events } = await exported();
    assert.equal(status, 200);
    assert.match(type!, /^application\/x-ndjson/);
    assert.equal(events.length, EVENTS);
    const listed = [];
    for await (const event of roster.client().admin.organization.auditLogs.list({ limit: 100 })) listed.push(event);
    assert.deepEqual(events, JSON.parse(JSON.stringify(listed.reverse())));
  });

  test('takes the audit log filters', async () => {
    const { events } = await exported('?event_types[]=project.created&resource_ids[]=resource-3');
    const expected = Array.from({ length: EVENTS }, (_, i) => i).filter((i) => i % 3 === 0 && i % 7 === 3);
    assert.equal(events.length, expected.length);
    assert.ok(events.every((e) => e.type === 'project.created'));
    assert.deepEqual(events.map((e) => (e as unknown as Record<string, { n: number }>)['project.created']!.n), expected);
  });

  test('resumes after an event id', async () => {
    const all = (await exported()).events;
    const from = all[EXPORT_PAGE_SIZE + 10]!.id;
    const rest = (await exported(`?after=${from}`)).events;
    assert.deepEqual(rest, all.slice(EXPORT_PAGE_SIZE + 11));
  });

  test('a bad filter is an error answer before anything is streamed', async () => {
    const response = await roster.request('GET', '/roster/v1/audit_logs/export?event_types[]=tenant.policy.created');
    assert.equal(response.status, 400);
    assert.equal(response.body.error.param, 'event_types');
  });

  test('a key is needed', async () => {
    const response = await roster.request('GET', '/roster/v1/audit_logs/export', { key: null });
    assert.equal(response.status, 401);
  });
});
