import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { exited, startRosterProcess, stopRosterProcess, type RosterProcess } from '../support/roster-process.ts';
import { openTestStore, resolvePostgresTarget, type TestStore } from '../support/store.ts';
import { Receiver } from '../extensions/webhooks/receiver.ts';
import { projectWriters, until } from '../extensions/webhooks/support.ts';

/**
 * Two `roster serve` processes on one PostgreSQL, both delivering webhooks from the shared queue,
 * written to through both at once. Normally no delivery is sent twice; when one is killed mid-send,
 * the other sends what it held once its lease lapses, and every committed event arrives.
 */
const KEY = 'sk-admin-race-webhooks-key';
const LOAD_MS = 2000;

const target = await resolvePostgresTarget();
const skip = target.kind === 'server' ? false : `two roster processes need a PostgreSQL server to share (${target.reason})`;

describe('two roster instances delivering webhooks from one PostgreSQL queue', { skip }, () => {
  let testStore: TestStore;
  let receiver: Receiver;
  const instances: RosterProcess[] = [];

  before(async () => {
    testStore = await openTestStore('postgres');
    const env = { ...testStore.processEnv!, ROSTER_BOOTSTRAP_ADMIN_KEY: KEY, ROSTER_WEBHOOK_ALLOWED_TARGETS: '127.0.0.1', ROSTER_WEBHOOK_LEASE_SECONDS: '3' };
    instances.push(await startRosterProcess(env), await startRosterProcess(env));
    receiver = await Receiver.start();
    // Slow enough that both instances have runs in flight at once.
    receiver.delayMs = 2;
    const created = await fetch(`${instances[0]!.origin}/roster/v1/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url }),
    });
    receiver.secret = ((await created.json()) as { secret: string }).secret;
  });

  after(async () => {
    await Promise.all(instances.map(stopRosterProcess));
    await receiver.down();
    await testStore.close();
  });

  const committedEvents = () => testStore.store.db.selectFrom('audit_logs').select('id').execute();

  test('written through both, each event is delivered once', async () => {
    const writers = projectWriters(instances.map((i) => i.origin), KEY, 4);
    await new Promise((resolve) => setTimeout(resolve, LOAD_MS));
    await writers.stop();
    const committed = (await committedEvents()).map((e) => e.id);
    await until(() => committed.every((id) => receiver.eventIds.includes(id)), 'every committed event delivered', 60_000);
    assert.ok(writers.acknowledged.length > 20);
    assert.equal(receiver.rejected, 0);
    assert.equal(receiver.eventIds.length, new Set(receiver.eventIds).size, 'no delivery was sent twice');
    const received = receiver.eventIds.filter((id) => committed.includes(id));
    // Ids are taken before commit, so concurrent transactions may commit out of id order (README): count, do not fail.
    const outOfOrder = received.filter((id, i) => i > 0 && id < received[i - 1]!).length;
    process.stdout.write(`webhook race: ${received.length} events delivered once each, ${outOfOrder} after a later one\n`);
  });

  test('one instance killed mid-send: the other delivers what it held, and every committed event arrives', async () => {
    const writers = projectWriters(instances.map((i) => i.origin), KEY, 4);
    await new Promise((resolve) => setTimeout(resolve, LOAD_MS));
    const victim = instances.pop()!;
    const gone = exited(victim.child);
    victim.child.kill('SIGKILL');
    await gone;
    await new Promise((resolve) => setTimeout(resolve, 500));
    await writers.stop();
    const committed = (await committedEvents()).map((e) => e.id);
    await until(() => committed.every((id) => receiver.eventIds.includes(id)), 'every committed event delivered', 60_000);
    for (const id of writers.acknowledged) {
      const event = receiver.received.find((r) => (r.event['project.created'] as { id: string } | undefined)?.id === id);
      assert.ok(event, `acknowledged project ${id} was delivered`);
    }
    process.stdout.write(`webhook race after kill -9: ${receiver.eventIds.length - new Set(receiver.eventIds).size} repeats\n`);
  });
});
