import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { test, type TestContext } from 'node:test';
import pg from 'pg';
import { startRosterProcess, stopRosterProcess, type RosterProcess } from '../support/roster-process.ts';
import { openTestStoreForChildProcesses } from '../support/store.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { lostWrites, startWriteLoad } from '../support/write-load.ts';

/**
 * PostgreSQL drops roster's connections under write load, or goes away altogether for a while:
 * roster stays up, answers the affected requests with a 503 envelope, reports the outage on its
 * health check, reconnects, and loses no acknowledged write. (PostgreSQL pass only, and only with
 * a real server: connections are ended from outside.)
 */
const KEY = 'sk-admin-connection-loss-test-key-42';

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(100);
  }
}

async function healthStatus(running: RosterProcess): Promise<number> {
  const response = await fetch(`${running.origin}/roster/v1/health`, { signal: AbortSignal.timeout(15_000) });
  await response.text();
  return response.status;
}

/** The store's URL with an application_name of this test's own, so only its connections are ended. */
async function storeFor(t: TestContext) {
  const testStore = await openTestStoreForChildProcesses(t);
  if (!testStore) return undefined;
  const url = new URL(testStore.processEnv!.DATABASE_URL!);
  const applicationName = `roster_fault_${randomBytes(4).toString('hex')}`;
  url.searchParams.set('application_name', applicationName);
  return { testStore, url, applicationName };
}

test('connections ended by pg_terminate_backend under write load cost 503s, not the process nor a write', { timeout: 5 * 60_000 }, async (t) => {
  const store = await storeFor(t);
  if (!store) return;
  const running = await startRosterProcess({ DATABASE_URL: store.url.toString(), ROSTER_BOOTSTRAP_ADMIN_KEY: KEY });
  t.after(() => stopRosterProcess(running));
  const admin = new pg.Client({ connectionString: store.testStore.processEnv!.DATABASE_URL });
  await admin.connect();
  t.after(() => admin.end());

  const load = startWriteLoad(running.origin, KEY, { writers: 8, tag: 'terminated' });
  let terminated = 0;
  for (let round = 0; round < 8; round++) {
    await sleep(250);
    const { rows } = await admin.query('select pg_terminate_backend(pid) as ended from pg_stat_activity where application_name = $1', [store.applicationName]);
    terminated += rows.filter((row) => row.ended).length;
  }
  await sleep(500);
  await load.stop();

  assert.equal(running.child.exitCode, null, `roster exited:\n${running.output()}`);
  assert.ok(terminated > 0, 'no connection was ended');
  assert.deepEqual(load.problems, []);
  assert.equal(load.outcomes.get('no answer') ?? 0, 0, 'every request got an answer');
  await until('the health check passes again', async () => (await healthStatus(running)) === 200);
  assert.deepEqual(await lostWrites(store.testStore.store.db, load.acknowledged), []);
  t.diagnostic(`${terminated} connections ended; outcomes ${JSON.stringify(Object.fromEntries(load.outcomes))}; ${load.acknowledged.length} acknowledged writes, none lost`);
});

test('while PostgreSQL is unreachable the health check and requests answer 503, and roster recovers when it is back', { timeout: 5 * 60_000 }, async (t) => {
  const store = await storeFor(t);
  if (!store) return;
  const proxy = await TcpProxy.start({ host: store.url.hostname, port: Number(store.url.port || 5432) });
  t.after(() => proxy.down());
  const viaProxy = new URL(store.url);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  const running = await startRosterProcess({ DATABASE_URL: viaProxy.toString(), ROSTER_BOOTSTRAP_ADMIN_KEY: KEY });
  t.after(() => stopRosterProcess(running));

  const load = startWriteLoad(running.origin, KEY, { writers: 4, tag: 'outage' });
  await sleep(500);
  await proxy.down();
  await until('the health check reports the outage', async () => (await healthStatus(running)) === 503);
  const during = await fetch(`${running.origin}/v1/organization/users`, { headers: { authorization: `Bearer ${KEY}` } });
  assert.equal(during.status, 503);
  const body = (await during.json()) as { error: { type: string } };
  assert.equal(body.error.type, 'server_error');
  assert.match(during.headers.get('x-request-id') ?? '', /^req_/);
  await sleep(1000);
  await proxy.up();
  await until('the health check passes again', async () => (await healthStatus(running)) === 200);
  await sleep(500);
  await load.stop();

  assert.equal(running.child.exitCode, null, `roster exited:\n${running.output()}`);
  assert.deepEqual(load.problems, []);
  assert.ok((load.outcomes.get('503') ?? 0) > 0, 'writes during the outage were refused with 503');
  const after = await fetch(`${running.origin}/v1/organization/users`, { headers: { authorization: `Bearer ${KEY}` } });
  assert.equal(after.status, 200);
  assert.deepEqual(await lostWrites(store.testStore.store.db, load.acknowledged), []);
  t.diagnostic(`outcomes ${JSON.stringify(Object.fromEntries(load.outcomes))}; ${load.acknowledged.length} acknowledged writes, none lost`);
});
