import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { TestRoster, people } from '../../support/roster.ts';
import { TargetPolicy } from '../../../src/extensions/webhooks/targets.ts';
import { DEFAULT_RETRY_POLICY, retryDelayMs, type WebhookWorker } from '../../../src/extensions/webhooks/worker.ts';
import { Receiver } from './receiver.ts';
import { ManualClock, drain, loopbackAllowed, until, workerFor } from './support.ts';

const HOUR = 3_600_000;

describe('webhook deliveries', () => {
  let roster: TestRoster;
  let receiver: Receiver;
  let webhookId: string;
  let members: string[];
  /** How many audit events there were before this test's endpoint was created. */
  let eventsBefore: number;

  before(async () => {
    roster = await TestRoster.start({ webhookTargets: loopbackAllowed() });
    await roster.addMembers(people(20));
    members = (await roster.client().admin.organization.users.list({ limit: 100 })).data.filter((u) => u.role === 'reader').map((u) => u.id);
  });
  after(() => roster.close());

  beforeEach(async () => {
    receiver = await Receiver.start();
    eventsBefore = (await roster.auditEvents()).length;
    const created = await roster.request('POST', '/roster/v1/webhooks', { body: { url: receiver.url } });
    webhookId = created.body.id;
    receiver.secret = created.body.secret;
  });
  afterEach(async () => {
    await roster.request('DELETE', `/roster/v1/webhooks/${webhookId}`);
    await receiver.down();
  });

  const roles = new Map<string, 'owner' | 'reader'>();
  /** `count` changes, each recording an event: members' roles switched between reader and owner. */
  async function changeMembers(count: number, offset = 0): Promise<void> {
    for (let i = 0; i < count; i++) {
      const user = members[(offset + i) % members.length]!;
      const role = roles.get(user) === 'owner' ? 'reader' : 'owner';
      await roster.client().admin.organization.users.update(user, { role });
      roles.set(user, role);
    }
  }

  /** Ids of the events recorded since the endpoint was created, its own creation first. */
  const expectedEventIds = async () => (await roster.auditEvents()).slice(eventsBefore).map((e) => e.id);

  test('each event arrives once, signed, in audit order, exactly as the audit log lists it', async () => {
    await changeMembers(12);
    await drain(workerFor(roster));
    const expected = await expectedEventIds();
    assert.equal(expected.length, 13);
    assert.equal(receiver.rejected, 0);
    assert.deepEqual(receiver.eventIds, expected);
    const listed = await roster.client().admin.organization.auditLogs.list({ limit: 1 });
    const delivered = receiver.received.at(-1)!;
    assert.deepEqual(delivered.event, JSON.parse(JSON.stringify(listed.data[0])));
    const deliveries = await roster.request('GET', `/roster/v1/webhooks/${webhookId}/deliveries?limit=100`);
    assert.equal(deliveries.body.data.length, 13);
    for (const delivery of deliveries.body.data) {
      assert.equal(delivery.status, 'delivered');
      assert.equal(delivery.attempts, 1);
      assert.equal(delivery.last_status_code, 204);
      assert.equal(delivery.next_attempt_at, null);
    }
    assert.deepEqual(receiver.received.map((r) => r.id), deliveries.body.data.map((d: { id: string }) => d.id));
  });

  test('a refused change queues nothing', async () => {
    const refused = await roster.request('POST', `/v1/organization/users/${members[0]}`, { body: { role_id: 'role-missing' } });
    assert.equal(refused.status, 400);
    // Only the endpoint's own creation was queued.
    const deliveries = await roster.request('GET', `/roster/v1/webhooks/${webhookId}/deliveries`);
    assert.deepEqual(deliveries.body.data.map((d: { event_type: string }) => d.event_type), ['roster.webhook.created']);
  });

  test('an endpoint gets only the event types it subscribes to', async () => {
    await roster.request('POST', `/roster/v1/webhooks/${webhookId}`, { body: { event_types: ['project.created'] } });
    await changeMembers(2);
    const project = await roster.client().admin.organization.projects.create({ name: 'Webhook project' });
    await drain(workerFor(roster));
    // Its own creation was queued before the filter was set.
    assert.deepEqual(receiver.received.map((r) => r.event.type), ['roster.webhook.created', 'project.created']);
    assert.equal(receiver.received[1]!.event.id, (await roster.auditEvents('project.created')).find((e) => e.resource_id === project.id)!.id);
  });

  test('a receiver that is down and comes back gets every event, in order, after its retries', async () => {
    const clock = new ManualClock();
    const worker = workerFor(roster, { clock: clock.read, random: () => 0.5 });
    await receiver.down();
    await changeMembers(5);
    await drain(worker);
    // Three hours down: the head is retried on its schedule; nothing behind it is sent out of turn.
    for (let i = 0; i < 12; i++) {
      clock.advance(15 * 60_000);
      await drain(worker);
    }
    await receiver.up();
    clock.advance(2 * HOUR);
    await drain(worker);
    await changeMembers(3, 5);
    await drain(worker);
    const expected = await expectedEventIds();
    assert.equal(expected.length, 9);
    assert.deepEqual(receiver.eventIds, expected);
    const head = (await roster.request('GET', `/roster/v1/webhooks/${webhookId}/deliveries?limit=1`)).body.data[0];
    assert.ok(head.attempts > 3, `the first delivery was retried (${head.attempts} attempts)`);
    const attempts = (await roster.request('GET', `/roster/v1/webhooks/${webhookId}/deliveries/${head.id}/attempts?limit=100`)).body.data;
    assert.equal(attempts.length, head.attempts);
    assert.deepEqual(attempts.map((a: { succeeded: boolean }) => a.succeeded), [...Array(head.attempts - 1).fill(false), true]);
    assert.equal(attempts[0].status_code, null);
    assert.match(attempts[0].error, /ECONNREFUSED/);
  });

  test('retries follow exponential back-off with jitter, and last at least the retry window', async () => {
    const clock = new ManualClock();
    const draws = [0, 1, 0.25];
    let draw = 0;
    const worker = workerFor(roster, { clock: clock.read, random: () => draws[draw++ % draws.length]! });
    receiver.failWith = 503;
    await changeMembers(1);
    const gaps: number[] = [];
    await worker.deliverDue();
    const queued = async () => (await roster.request('GET', `/roster/v1/webhooks/${webhookId}/deliveries`)).body.data[0];
    let last = clock.nowMs;
    while ((await queued()).status === 'pending') {
      const dueAt = (await queued()).next_attempt_at * 1000;
      // Not a moment early: one second before it is due, nothing is sent.
      clock.nowMs = Math.max(clock.nowMs, dueAt - 1000);
      const before = receiver.requests.length;
      await worker.deliverDue();
      assert.equal(receiver.requests.length, before, 'nothing is sent before the delivery is due');
      clock.nowMs = dueAt;
      await worker.deliverDue();
      assert.equal(receiver.requests.length, before + 1);
      gaps.push(clock.nowMs - last);
      last = clock.nowMs;
    }
    // Delays double from 5 s up to an hour; each is between half and all of its doubling step.
    for (const [i, gap] of gaps.entries()) {
      const step = Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, DEFAULT_RETRY_POLICY.firstDelayMs * 2 ** i);
      assert.ok(gap >= step / 2 - 1000 && gap <= step + 1000, `retry ${i + 1} waited ${gap} ms for a step of ${step} ms`);
    }
    const total = gaps.reduce((a, b) => a + b, 0);
    assert.ok(total >= DEFAULT_RETRY_POLICY.retryWindowMs, `retried for ${total / HOUR} h`);
    assert.ok(total < DEFAULT_RETRY_POLICY.retryWindowMs + 2 * HOUR);
    assert.equal((await queued()).status, 'failed');
  });

  test('an endpoint that keeps failing is disabled, audited, and a failed delivery can be re-sent', async () => {
    const clock = new ManualClock();
    const worker = workerFor(roster, { clock: clock.read });
    receiver.failWith = 500;
    await changeMembers(2);
    await worker.deliverDue();
    for (let hours = 0; hours < 30; hours++) {
      clock.advance(HOUR);
      await drain(worker);
    }
    const endpoint = (await roster.request('GET', `/roster/v1/webhooks/${webhookId}`)).body;
    assert.equal(endpoint.status, 'disabled');
    assert.match(endpoint.disabled_reason, /kept failing.*500/);
    const disabled = (await roster.auditEvents('roster.webhook.disabled')).filter((e) => e.resource_id === webhookId);
    assert.equal(disabled.length, 1);
    assert.deepEqual(disabled[0]!.actor, { type: 'api_key', api_key: { id: 'roster-webhook-delivery', type: 'service_account', service_account: { id: 'roster-webhook-delivery' } } });
    const deliveries = (await roster.request('GET', `/roster/v1/webhooks/${webhookId}/deliveries`)).body.data;
    assert.deepEqual(deliveries.map((d: { status: string }) => d.status), ['failed', 'pending', 'pending']);

    // Fixed receiver, endpoint enabled again, the failed one re-sent: both arrive, in order.
    receiver.failWith = undefined;
    await roster.request('POST', `/roster/v1/webhooks/${webhookId}`, { body: { status: 'enabled' } });
    const resent = await roster.request('POST', `/roster/v1/webhooks/${webhookId}/deliveries/${deliveries[0].id}/resend`);
    assert.equal(resent.status, 200);
    assert.equal(resent.body.status, 'pending');
    const again = await roster.request('POST', `/roster/v1/webhooks/${webhookId}/deliveries/${deliveries[0].id}/resend`);
    assert.equal(again.status, 400);
    await drain(worker);
    // The failed one and those queued behind it, then the re-enabling (the disabling was never queued: it disabled the endpoint).
    assert.deepEqual(receiver.eventIds.slice(0, 3), deliveries.map((d: { event_id: string }) => d.event_id));
    assert.deepEqual(receiver.received.slice(3).map((r) => r.event.type), ['roster.webhook.updated']);
  });

  test('a slow receiver loses nothing: attempts that time out are retried', async () => {
    const clock = new ManualClock();
    const worker = workerFor(roster, { clock: clock.read, timeoutMs: 200 });
    receiver.delayMs = 400;
    await changeMembers(3);
    await drain(worker);
    const head = (await roster.request('GET', `/roster/v1/webhooks/${webhookId}/deliveries?limit=1`)).body.data[0];
    assert.equal(head.status, 'pending');
    assert.equal(head.last_error, 'no answer within the timeout');
    receiver.delayMs = 50;
    clock.advance(HOUR);
    await drain(worker);
    const expected = await expectedEventIds();
    // The first was received (late) by the timed-out attempt too: at least once, in order.
    assert.deepEqual([...new Set(receiver.eventIds)], expected);
    assert.equal(receiver.eventIds.filter((id) => id === expected[0]).length, 2);
    assert.equal(receiver.eventIds.length, expected.length + 1);
  });

  test('a started worker delivers without being driven, and stops cleanly', async () => {
    const worker: WebhookWorker = workerFor(roster, { pollIntervalMs: 20 }).start();
    await changeMembers(4);
    await until(() => receiver.received.length === 5, 'five deliveries');
    await worker.stop();
    assert.deepEqual(receiver.eventIds, await expectedEventIds());
  });

  test('a worker whose policy refuses the address sends nothing there, whatever the endpoint was created under', async () => {
    const clock = new ManualClock();
    const worker = workerFor(roster, { targets: new TargetPolicy(), clock: clock.read });
    const head = async () => (await roster.request('GET', `/roster/v1/webhooks/${webhookId}/deliveries?limit=1`)).body.data[0];
    await worker.deliverDue();
    assert.equal((await head()).status, 'pending');
    assert.match((await head()).last_error, /127\.0\.0\.1.*may not be sent to/);
    // A name is checked where the socket resolves it, so it cannot be pointed somewhere private later.
    await roster.request('POST', `/roster/v1/webhooks/${webhookId}`, { body: { url: `http://localhost:${receiver.port}/hooks` } });
    clock.advance(HOUR);
    await worker.deliverDue();
    assert.match((await head()).last_error, /localhost is .* which webhooks may not be sent to/);
    assert.equal((await head()).attempts, 2);
    assert.equal(receiver.requests.length, 0);
  });

  test('retryDelayMs doubles and is capped', () => {
    const policy = { firstDelayMs: 1000, maxDelayMs: 5000, retryWindowMs: 0 };
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => retryDelayMs(policy, n, () => 1)), [1000, 2000, 4000, 5000, 5000]);
    assert.deepEqual([1, 2, 3].map((n) => retryDelayMs(policy, n, () => 0)), [500, 1000, 2000]);
  });
});
