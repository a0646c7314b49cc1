import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import OpenAI from 'openai';

interface Running {
  child: ChildProcess;
  output: () => string;
  origin: string;
}

/** Starts `roster serve` as a real process and waits for it to print where it listens. */
async function serve(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, ['src/cli.ts', 'serve'], { env: { ...process.env, PORT: '0', ROSTER_LOG_LEVEL: 'warn', ...env } });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`roster did not start:\n${output}`)), 15_000);
    child.stdout!.on('data', () => {
      const match = /serving the OpenAI Admin API at (http:\/\/[^\s]+)\/v1/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', () => reject(new Error(`roster exited:\n${output}`)));
  });
  return { child, output: () => output, origin };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('roster serve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-serve-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('on an empty store it creates the organization and prints a working admin key once', async () => {
    const db = join(dir, 'generated.db');
    const first = await serve({ ROSTER_DB: db, ROSTER_BOOTSTRAP_OWNER_EMAIL: 'boss@example.com', ROSTER_BOOTSTRAP_OWNER_NAME: 'The Boss' });
    const key = /Admin key \(shown once, store it now\): (sk-admin-\S+)/.exec(first.output())?.[1];
    assert.ok(key, first.output());
    const client = new OpenAI({ adminAPIKey: key, baseURL: `${first.origin}/v1`, maxRetries: 0 });
    const users = await client.admin.organization.users.list();
    assert.deepEqual(users.data.map((u) => [u.email, u.name, u.role]), [['boss@example.com', 'The Boss', 'owner']]);
    const firstExit = exited(first.child);
    first.child.kill('SIGTERM');
    assert.equal(await firstExit, 0);

    const second = await serve({ ROSTER_DB: db });
    assert.doesNotMatch(second.output(), /sk-admin-/);
    const secondExit = exited(second.child);
    second.child.kill('SIGTERM');
    assert.equal(await secondExit, 0);
  });

  test('ROSTER_BOOTSTRAP_ADMIN_KEY becomes the admin key, and SIGTERM lets an in-flight request finish', async () => {
    const key = 'sk-admin-chosen-by-the-operator';
    const running = await serve({ ROSTER_DB: join(dir, 'chosen.db'), ROSTER_BOOTSTRAP_ADMIN_KEY: key });
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
