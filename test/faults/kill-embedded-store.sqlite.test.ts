import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { openStore } from '../../src/db/connect.ts';
import { exited, startRosterProcess, stopRosterProcess } from '../support/roster-process.ts';
import { openTestStore } from '../support/store.ts';
import { lostWrites, startWriteLoad, type Acknowledged } from '../support/write-load.ts';

/**
 * kill -9 under concurrent writes on the embedded store, several times over: after each restart,
 * every write roster acknowledged is in the store together with its audit event. (Runs in the
 * SQLite pass only: the store is the embedded file whatever the pass.)
 */
const ROUNDS = Number(process.env.ROSTER_CRASH_ROUNDS || 4);
const KEY = 'sk-admin-crash-test-key-0123456789';

test(`every acknowledged write and its audit event survive ${ROUNDS} kill -9s under write load`, { timeout: 10 * 60_000 }, async (t) => {
  const testStore = await openTestStore('sqlite');
  t.after(() => testStore.close());
  await testStore.store.db.destroy(); // the roster processes own the file; the test reads it only between them
  const env: Record<string, string> = { ...testStore.processEnv, ROSTER_BOOTSTRAP_ADMIN_KEY: KEY };

  const acknowledged: Acknowledged[] = [];
  let lost: string[] = [];
  let unanswered = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const running = await startRosterProcess(env);
    const load = startWriteLoad(running.origin, KEY, { writers: 8, tag: `round-${round}` });
    // Long enough for writes to be acknowledged and others to be in flight, at a moment that varies.
    await sleep(700 + Math.floor(Math.random() * 800));
    const exit = exited(running.child);
    running.child.kill('SIGKILL');
    await exit;
    await load.stop();
    assert.deepEqual(load.problems, [], `round ${round}`);
    assert.ok(load.acknowledged.length > 0, `round ${round}: no write was acknowledged before the kill`);
    acknowledged.push(...load.acknowledged);
    unanswered += load.outcomes.get('no answer') ?? 0;

    const store = openStore({ sqlitePath: env.ROSTER_DB!, databaseUrl: undefined });
    try {
      lost = await lostWrites(store.db, acknowledged);
    } finally {
      await store.db.destroy();
    }
    assert.deepEqual(lost.slice(0, 10), [], `after kill ${round + 1}: ${lost.length} acknowledged writes lost`);
  }

  // And the store still serves after the last kill.
  const last = await startRosterProcess(env);
  const health = await fetch(`${last.origin}/roster/v1/health`);
  assert.equal(health.status, 200);
  assert.equal(await stopRosterProcess(last), 0);
  t.diagnostic(`${ROUNDS} kill -9s survived; ${acknowledged.length} acknowledged writes, ${lost.length} lost; ${unanswered} requests cut by the kills`);
});
