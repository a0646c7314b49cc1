import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test, type TestContext } from 'node:test';
import OpenAI from 'openai';
import { exited, startRosterProcess as serve } from '../support/roster-process.ts';
import { openTestStoreForChildProcesses } from '../support/store.ts';

/** The environment that points a child process at a new, empty store; undefined if skipped. */
async function emptyStoreEnv(t: TestContext): Promise<Record<string, string> | undefined> {
  return (await openTestStoreForChildProcesses(t))?.processEnv;
}

/** Runs the CLI to its end; its exit code and everything it wrote. */
function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['src/cli.ts', ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

describe('roster on the command line', () => {
  test('--version prints the version of package.json', async () => {
    const { code, stdout } = await runCli(['--version'], {});
    assert.equal(code, 0);
    assert.equal(stdout.trim(), JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  test('a bad setting is one line on stderr and exit code 1', async () => {
    const settings: Record<string, string>[] = [{ PORT: 'abc' }, { PORT: '99999' }, { ROSTER_DB_POOL_SIZE: '0' }, { DATABASE_URL: 'mysql://nowhere' }];
    for (const env of settings) {
      const { code, stderr } = await runCli(['serve'], env);
      assert.equal(code, 1, JSON.stringify(env));
      assert.match(stderr, /^roster: .+\n$/, JSON.stringify(env));
    }
  });

  test('a port in use fails in one line before anything is created, and the next start prints the key', async (t) => {
    const storeEnv = await emptyStoreEnv(t);
    if (!storeEnv) return;
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as net.AddressInfo;
    const failed = await runCli(['serve'], { ...storeEnv, PORT: String(port) });
    taken.close();
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /^roster: cannot listen on 127\.0\.0\.1:\d+: the port is already in use/);
    assert.equal(failed.stderr.split('\n').filter(Boolean).length, 1, failed.stderr);
    assert.doesNotMatch(failed.stdout, /sk-admin-/);

    const next = await serve(storeEnv);
    assert.match(next.output(), /Admin key \(shown once, store it now\): sk-admin-/, 'the store was still empty');
    const exit = exited(next.child);
    next.child.kill('SIGTERM');
    assert.equal(await exit, 0);
  });

  test('an unreachable store is one line naming it, without its password', async () => {
    const { code, stderr } = await runCli(['serve'], { DATABASE_URL: 'postgres://someone:secret-word@127.0.0.1:1/nowhere' });
    assert.equal(code, 1);
    assert.match(stderr, /^roster: cannot prepare the store at postgres:\/\/someone@127\.0\.0\.1:1\/nowhere: .+\n$/);
    assert.doesNotMatch(stderr, /secret-word/);
  });
});

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
    // Nothing was configured: the banner must not claim otherwise, nor use a variable roster does not define.
    assert.doesNotMatch(second.output(), /ROSTER_BOOTSTRAP_ADMIN_KEY|\$ROSTER_ADMIN_KEY/);
    assert.match(second.output(), /Bearer YOUR_ADMIN_KEY/);
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
