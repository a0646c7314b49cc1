import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { TestRoster } from '../../support/roster.ts';
import { RosterMetrics } from '../../../src/extensions/metrics/metrics.ts';
import { Receiver } from '../webhooks/receiver.ts';
import { drain, loopbackAllowed, workerFor } from '../webhooks/support.ts';

describe('metrics', () => {
  let roster: TestRoster;
  let metrics: RosterMetrics;
  let server: Server;
  let receiver: Receiver;

  before(async () => {
    metrics = new RosterMetrics();
    roster = await TestRoster.start({ webhookTargets: loopbackAllowed(), metrics });
    server = await metrics.listen('127.0.0.1', 0);
    receiver = await Receiver.start();
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await receiver.down();
    await roster.close();
  });

  const scrape = async () => {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^text\/plain/);
    return response.text();
  };
  const value = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(series + ' '));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  test('requests are counted by route template, method and status, with latency buckets', async () => {
    await roster.request('GET', `/v1/organization/users/${roster.org.ownerId}`);
    await roster.request('GET', `/v1/organization/users/${roster.org.ownerId}`);
    await roster.request('GET', '/v1/organization/users/user-missing');
    const text = await scrape();
    assert.equal(value(text, 'roster_http_request_duration_seconds_count{route="/v1/organization/users/:user_id",method="GET",status="200"}'), 2);
    assert.equal(value(text, 'roster_http_request_duration_seconds_count{route="/v1/organization/users/:user_id",method="GET",status="404"}'), 1);
    assert.match(text, /roster_http_request_duration_seconds_bucket\{le="0.005",route="\/v1\/organization\/users\/:user_id",method="GET",status="200"\}/);
  });

  test('admin key lookups are counted as cache hits and misses', async () => {
    await roster.request('GET', '/v1/organization/users');
    const text = await scrape();
    assert.ok(value(text, 'roster_key_cache_lookups_total{result="hit"}')! >= 1);
    assert.ok(value(text, 'roster_key_cache_lookups_total{result="miss"}')! >= 1);
  });

  test('webhook queue depth and delivery outcomes', async () => {
    const created = await roster.request('POST', '/roster/v1/webhooks', { body: { url: receiver.url } });
    receiver.secret = created.body.secret;
    await roster.client().admin.organization.projects.create({ name: 'Metered' });
    assert.equal(value(await scrape(), 'roster_webhook_queue_depth'), 2);
    assert.ok(value(await scrape(), 'roster_webhook_queue_oldest_age_seconds')! >= 0);
    await drain(workerFor(roster, { observer: metrics }));
    const text = await scrape();
    assert.equal(value(text, 'roster_webhook_queue_depth'), 0);
    assert.equal(value(text, 'roster_webhook_attempts_total{outcome="delivered"}'), 2);
    assert.equal(value(text, 'roster_webhook_delivery_lag_seconds_count'), 2);
    assert.equal(value(text, 'roster_webhook_attempt_duration_seconds_count'), 2);
  });

  test('process metrics are included', async () => {
    const text = await scrape();
    assert.match(text, /^process_cpu_user_seconds_total /m);
    assert.match(text, /^process_resident_memory_bytes /m);
    assert.match(text, /^nodejs_eventloop_lag_seconds /m);
  });

  test('the API port does not serve metrics', async () => {
    const response = await roster.request('GET', '/metrics', { key: null });
    assert.equal(response.status, 404);
  });
});
