import assert from 'node:assert/strict';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test, type TestContext } from 'node:test';
import OpenAI from 'openai';
import { exited, startRosterProcess as serve } from '../support/roster-process.ts';
import { openTestStoreForChildProcesses } from '../support/store.ts';

/** The environment that points a child process at a new, empty store; undefined if skipped. */
async function emptyStoreEnv(t: TestContext): Promise<Record<string, string> | undefined> {
  return (await openTestStoreForChildProcesses(t))?.processEnv;
}

describe('roster serve', () => {
  test('on an empty store it creates the organization and prints a working admin key once', async (t) => {
    const storeEnv = await emptyStoreEnv(t);
    if (!storeEnv) return;
    const first = await serve({ ...storeEnv, ROSTER_BOOTSTRAP_OWNER_EMAIL: 'boss@example.com', ROSTER_BOOTSTRAP_OWNER_NAME: 'The Boss' });
    const key = /Admin key \(shown once, store it now\): (sk-admin-\S+)/.exec(first.output())?.[1];
    assert.ok(key, first.output());
    const client = new OpenAI({ adminAPIKey: key, baseURL: `${first.origin}/v1`, maxRetries: 0 });
    const users = await client.admin.organization.users.list();
    assert.deepEqual(users.data.map((u) => [u.email, u.name, u.role]), [['boss@example.com', 'The Boss', 'owner']]);
    const firstExit = exited(first.child);
    first.child.kill('SIGTERM');
    assert.equal(await firstExit, 0);

    const second = await serve(storeEnv);
    assert.doesNotMatch(second.output(), /sk-admin-/);
    const secondExit = exited(second.child);
    second.child.kill('SIGTERM');
    assert.equal(await secondExit, 0);
  });

  test('ROSTER_BOOTSTRAP_ADMIN_KEY becomes the admin key, and SIGTERM lets an in-flight request finish', async (t) => {
    const storeEnv = await emptyStoreEnv(t);
    if (!storeEnv) return;
    const key = 'sk-admin-chosen-by-the-operator';
    const running = await serve({ ...storeEnv, ROSTER_BOOTSTRAP_ADMIN_KEY: key });
    assert.doesNotMatch(running.output(), /sk-admin-chosen/);
    const client = new OpenAI({ adminAPIKey: key, baseURL: `${running.origin}/v1`, maxRetries: 0 });
    const [owner] = (await client.admin.organization.users.list()).data;

    // A request whose body is still arriving when SIGTERM comes must be answered, not dropped.
    const body = JSON.stringify({ technical_level: 'finished after SIGTERM' });
    const request = http.request(`${running.origin}/v1/organization/users/${owner!.id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      request.on('response', (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, text }));
      });
      request.on('error', reject);
    });
    request.write(body.slice(0, 10));
    await sleep(300);
    const exit = exited(running.child);
    running.child.kill('SIGTERM');
    await sleep(300);
    request.end(body.slice(10));
    const answered = await response;
    assert.equal(answered.status, 200, answered.text);
    assert.equal(JSON.parse(answered.text).technical_level, 'finished after SIGTERM');
    assert.equal(await exit, 0);
  });
});
