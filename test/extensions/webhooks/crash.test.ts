import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exited, startRosterProcess, stopRosterProcess, type RosterProcess } from '../../support/roster-process.ts';
import { openTestStoreForChildProcesses } from '../../support/store.ts';
import { Receiver } from './receiver.ts';
import { projectWriters, until } from './support.ts';

const KEY = 'sk-admin-webhook-crash-test-key';
const LOAD_MS = 1500;
const CLIENTS = 4;

test('kill -9 under write load with deliveries in flight: after a restart every committed event is delivered', async (t) => {
  const testStore = await openTestStoreForChildProcesses(t);
  if (!testStore) return;
  const env = {
    ...testStore.processEnv!,
    ROSTER_BOOTSTRAP_ADMIN_KEY: KEY,
    ROSTER_WEBHOOK_ALLOWED_TARGETS: '127.0.0.1',
    // On PostgreSQL the restarted instance waits for the dead one's leases to lapse.
    ROSTER_WEBHOOK_LEASE_SECONDS: '2',
  };
  const receiver = await Receiver.start();
  t.after(() => receiver.down());
  // Slow enough that deliveries are in flight when the process dies.
  receiver.delayMs = 3;
  let roster: RosterProcess = await startRosterProcess(env);
  t.after(() => stopRosterProcess(roster));
  const call = (path: string, body: object) =>
    fetch(`${roster.origin}${path}`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  const created = (await (await call('/roster/v1/webhooks', { url: receiver.url })).json()) as { secret: string };
  receiver.secret = created.secret;

  // Writers create projects until the process dies under them; only answered creations count as acknowledged.
  const writers = projectWriters([roster.origin], KEY, CLIENTS);
  const { acknowledged } = writers;
  await new Promise((resolve) => setTimeout(resolve, LOAD_MS));
  const deliveredBeforeKill = receiver.received.length;
  const killed = exited(roster.child);
  roster.child.kill('SIGKILL');
  await killed;
  await writers.stop();
  assert.ok(acknowledged.length > 20, `writes were acknowledged before the kill (${acknowledged.length})`);
  assert.ok(deliveredBeforeKill > 0, 'deliveries were under way before the kill');

  roster = await startRosterProcess(env);
  const committed = await testStore.store.db
    .selectFrom('audit_logs')
    .select(['id', 'resource_id'])
    .where('type', '=', 'project.created')
    .execute();
  const committedIds = new Set(committed.map((event) => event.resource_id));
  for (const id of acknowledged) assert.ok(committedIds.has(id), `acknowledged project ${id} has its audit event`);
  await until(() => committed.every((event) => receiver.eventIds.includes(event.id)), 'every committed event delivered', 60_000);
  assert.equal(receiver.rejected, 0);
  const deliveredProjects = new Set(receiver.received.map((r) => (r.event['project.created'] as { id: string } | undefined)?.id));
  for (const id of acknowledged) assert.ok(deliveredProjects.has(id), `acknowledged project ${id} was delivered`);
  process.stdout.write(
    `crash test: ${acknowledged.length} acknowledged writes, ${committed.length} committed, ${deliveredBeforeKill} delivered before the kill, ` +
      `${receiver.received.length} deliveries received in all (${receiver.received.length - new Set(receiver.eventIds).size} repeats)\n`,
  );
  assert.equal(await stopRosterProcess(roster), 0, 'the restarted instance stops cleanly, worker included');
});
