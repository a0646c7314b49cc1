import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestRoster } from '../../support/roster.ts';
import { loopbackAllowed } from './support.ts';

describe('webhook endpoints', () => {
  let roster: TestRoster;
  const url = 'http://127.0.0.1:9/hooks';

  before(async () => {
    roster = await TestRoster.start({ webhookTargets: loopbackAllowed() });
  });
  after(() => roster.close());

  const create = (body: object) => roster.request('POST', '/roster/v1/webhooks', { body });

  test('creating returns the signing secret once; reads never show it', async () => {
    const created = await create({ url, description: 'SIEM', event_types: ['user.updated', 'api_key.created'] });
    assert.equal(created.status, 200);
    assert.match(created.body.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(created.body.status, 'enabled');
    assert.deepEqual(created.body.event_types, ['user.updated', 'api_key.created']);
    const read = await roster.request('GET', `/roster/v1/webhooks/${created.body.id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.secret, undefined);
    const { secret: _secret, ...withoutSecret } = created.body;
    assert.deepEqual(read.body, withoutSecret);
    const listed = await roster.request('GET', '/roster/v1/webhooks');
    assert.ok(listed.body.data.some((w: { id: string; secret?: string }) => w.id === created.body.id && w.secret === undefined));
  });

  test('without event_types an endpoint receives every type', async () => {
    const created = await create({ url });
    assert.equal(created.body.event_types, null);
    assert.equal(created.body.description, null);
  });

  test('create, update, disable, rotate and delete are each audited in roster event types', async () => {
    const created = (await create({ url })).body;
    await roster.request('POST', `/roster/v1/webhooks/${created.id}`, { body: { description: 'renamed', event_types: ['project.created'] } });
    await roster.request('POST', `/roster/v1/webhooks/${created.id}/disable`);
    const rotated = await roster.request('POST', `/roster/v1/webhooks/${created.id}/rotate_secret`);
    assert.notEqual(rotated.body.secret, created.secret);
    await roster.request('DELETE', `/roster/v1/webhooks/${created.id}`);
    const events = (await roster.auditEvents()).filter((e) => e.resource_id === created.id);
    assert.deepEqual(
      events.map((e) => e.type),
      ['roster.webhook.created', 'roster.webhook.updated', 'roster.webhook.disabled', 'roster.webhook.secret_rotated', 'roster.webhook.deleted'],
    );
    assert.deepEqual(events[1]!.details.changes_requested, { description: 'renamed', event_types: ['project.created'] });
    assert.equal(events[2]!.details.reason, 'disabled by request');
    assert.ok(!JSON.stringify(events).includes(created.secret), 'no event carries the secret');
  });

  test('roster event types are left out of the OpenAI audit log unless asked for', async () => {
    await create({ url });
    const listed = await roster.client().admin.organization.auditLogs.list({ limit: 100 });
    assert.ok(listed.data.every((event) => !event.type.startsWith('roster.')));
    const asked = await roster.request('GET', '/v1/organization/audit_logs?event_types[]=roster.webhook.created');
    assert.equal(asked.status, 200);
    assert.ok(asked.body.data.length > 0);
    assert.ok(asked.body.data.every((event: { type: string }) => event.type === 'roster.webhook.created'));
    // Listing them is a roster extension outside the reference's enum: not a conformance violation to track.
    roster.violations.length = 0;
  });

  test('an update that changes nothing records nothing', async () => {
    const created = (await create({ url, description: 'same' })).body;
    const before = (await roster.auditEvents('roster.webhook.updated')).length;
    const updated = await roster.request('POST', `/roster/v1/webhooks/${created.id}`, { body: { description: 'same' } });
    assert.equal(updated.status, 200);
    assert.equal((await roster.auditEvents('roster.webhook.updated')).length, before);
  });

  test('status enabled re-enables a disabled endpoint', async () => {
    const created = (await create({ url })).body;
    const disabled = await roster.request('POST', `/roster/v1/webhooks/${created.id}/disable`);
    assert.equal(disabled.body.status, 'disabled');
    assert.equal(disabled.body.disabled_reason, 'disabled by request');
    const enabled = await roster.request('POST', `/roster/v1/webhooks/${created.id}`, { body: { status: 'enabled' } });
    assert.equal(enabled.body.status, 'enabled');
    assert.equal(enabled.body.disabled_reason, null);
  });

  test('unknown ids are 404s; another organization cannot see an endpoint', async () => {
    const created = (await create({ url })).body;
    const other = await roster.createOrganization('other-owner@example.com');
    const foreign = await roster.request('GET', `/roster/v1/webhooks/${created.id}`, { key: other.adminKeyValue });
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.error.param, 'webhook_id');
    const missing = await roster.request('DELETE', '/roster/v1/webhooks/webhook-missing');
    assert.equal(missing.status, 404);
  });

  test('bad input is a 400 naming the field', async () => {
    const badType = await create({ url, event_types: ['no.such_type'] });
    assert.equal(badType.status, 400);
    assert.equal(badType.body.error.param, 'event_types[0]');
    const empty = await create({ url, event_types: [] });
    assert.equal(empty.status, 400);
    const ftp = await create({ url: 'ftp://example.com/hooks' });
    assert.equal(ftp.status, 400);
    assert.equal(ftp.body.error.param, 'url');
    const notUrl = await create({ url: 'not a url' });
    assert.equal(notUrl.body.error.param, 'url');
  });

  test('a key is needed', async () => {
    const anonymous = await roster.request('GET', '/roster/v1/webhooks', { key: null });
    assert.equal(anonymous.status, 401);
  });
});

describe('webhook targets under the default policy', () => {
  let roster: TestRoster;
  before(async () => {
    roster = await TestRoster.start();
  });
  after(() => roster.close());

  test('loopback, private and link-local addresses are refused', async () => {
    for (const url of [
      'http://127.0.0.1/hooks',
      'http://localhost:8080/hooks',
      'http://10.1.2.3/hooks',
      'http://192.168.0.10/hooks',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/hooks',
      'http://[::ffff:127.0.0.1]/hooks',
      'http://0.0.0.0/hooks',
    ]) {
      const response = await roster.request('POST', '/roster/v1/webhooks', { body: { url } });
      assert.equal(response.status, 400, url);
      assert.equal(response.body.error.param, 'url', url);
      assert.equal(response.body.error.code, 'invalid_url', url);
    }
    assert.equal((await roster.auditEvents('roster.webhook.created')).length, 0);
  });

  test('a public address is accepted', async () => {
    const response = await roster.request('POST', '/roster/v1/webhooks', { body: { url: 'https://93.184.215.14/hooks' } });
    assert.equal(response.status, 200);
  });
});
