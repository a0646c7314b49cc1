import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';
import OpenAI from 'openai';
import { loadConfig } from '../../src/config.ts';
import { startRosterProcess, stopRosterProcess } from '../support/roster-process.ts';
import { openTestStoreForChildProcesses } from '../support/store.ts';

const run = promisify(execFile);

describe('roster org and the operator key', () => {
  test('org create prints a working admin key once; org list shows it; org delete removes it', async (t) => {
    const testStore = await openTestStoreForChildProcesses(t);
    if (!testStore) return;
    const env = { ...process.env, ...testStore.processEnv! };
    const cli = (...args: string[]) => run(process.execPath, ['src/cli.ts', 'org', ...args], { env });

    const { stdout: created } = await cli('create', '--name', 'Acme', '--owner-email', 'boss@acme.example');
    const id = /created (org-\S+) \(Acme\), owner boss@acme\.example/.exec(created)?.[1];
    const key = /admin key \(shown once, store it now\): (sk-admin-\S+)/.exec(created)?.[1];
    assert.ok(id && key, created);
    const { stdout: listed } = await cli('list');
    assert.match(listed, new RegExp(`^${id}\\t\\d+\\tAcme$`, 'm'));

    const running = await startRosterProcess(testStore.processEnv!);
    try {
      const client = new OpenAI({ adminAPIKey: key, baseURL: `${running.origin}/v1`, maxRetries: 0 });
      assert.deepEqual((await client.admin.organization.users.list()).data.map((u) => u.email), ['boss@acme.example']);
      const { stdout: deleted } = await cli('delete', id);
      assert.equal(deleted, `deleted ${id}\n`);
      // Another process deleted it: this one's key cache lets the key go within half a second.
      await new Promise((resolve) => setTimeout(resolve, 600));
      await assert.rejects(client.admin.organization.users.list(), OpenAI.AuthenticationError);
    } finally {
      await stopRosterProcess(running);
    }
    await assert.rejects(cli('delete', id), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr, /No organization found/);
      return true;
    });
  });

  test('the first start prints a generated operator key once; ROSTER_OPERATOR_KEY replaces it', async (t) => {
    const testStore = await openTestStoreForChildProcesses(t);
    if (!testStore) return;
    const first = await startRosterProcess(testStore.processEnv!);
    const operatorKey = /Operator key, for \/roster\/v1\/organizations \(shown once, store it now\): (sk-operator-\S+)/.exec(first.output())?.[1];
    await stopRosterProcess(first);
    assert.ok(operatorKey, first.output());

    const again = await startRosterProcess(testStore.processEnv!);
    try {
      assert.doesNotMatch(again.output(), /sk-operator-/);
      const organizations = await fetch(`${again.origin}/roster/v1/organizations`, { headers: { authorization: `Bearer ${operatorKey}` } });
      assert.equal(organizations.status, 200);
      const { data } = (await organizations.json()) as { data: { id: string }[] };
      // Deleting every organization does not make the next start create one: the store is not new.
      for (const organization of data) {
        const deleted: Response = await fetch(`${again.origin}/roster/v1/organizations/${organization.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${operatorKey}` } });
        assert.equal(deleted.status, 200);
      }
    } finally {
      await stopRosterProcess(again);
    }

    const chosen = 'sk-operator-chosen-by-the-platform';
    const configured = await startRosterProcess({ ...testStore.processEnv!, ROSTER_OPERATOR_KEY: chosen });
    try {
      assert.doesNotMatch(configured.output(), /sk-admin-|sk-operator-/);
      const list = (key: string) => fetch(`${configured.origin}/roster/v1/organizations`, { headers: { authorization: `Bearer ${key}` } });
      const answer = await list(chosen);
      assert.equal(answer.status, 200);
      assert.deepEqual(((await answer.json()) as { data: unknown[] }).data, []);
      assert.equal((await list(operatorKey)).status, 401, 'the configured key replaces the generated one');
    } finally {
      await stopRosterProcess(configured);
    }
  });

  test('the gateway token cannot be the operator key', () => {
    assert.throws(() => loadConfig({ ROSTER_OPERATOR_KEY: 'same', ROSTER_GATEWAY_TOKEN: 'same' }), /must differ/);
    assert.deepEqual(loadConfig({ ROSTER_OPERATOR_KEY: 'a', ROSTER_GATEWAY_TOKEN: 'b' }).platform, { operatorKey: 'a', gatewayToken: 'b' });
  });
});
