import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import OpenAI from 'openai';
import { exited, startRosterProcess, type RosterProcess } from '../../support/roster-process.ts';

const workDir = mkdtempSync(join(tmpdir(), 'roster-emulate-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

/** `roster emulator ARGS` against a running emulator: its stdout, or a failure with its stderr. */
function control(origin: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['src/cli.ts', 'emulator', '--url', origin, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`roster emulator ${args.join(' ')}: ${stdout}${stderr}`))));
  });
}

async function stop(running: RosterProcess): Promise<void> {
  const done = exited(running.child);
  running.child.kill('SIGTERM');
  assert.equal(await done, 0);
}

describe('roster emulate', () => {
  test('prints the fixture keys and the token, and the CLI saves, resets and restores it', async () => {
    const operatorKey = 'sk-operator-emulate-command-test';
    const running = await startRosterProcess({}, ['emulate', '--seed', 'examples/fixture.yaml', '--port', '0', '--operator-key', operatorKey]);
    try {
      assert.match(running.output(), /sk-admin-acme-ci-key {3}Acme \(org-acme\), "CI"/);
      assert.match(running.output(), /sk-svcacct-acme-deploy-bot {3}Website \(proj_website\), service account "deploy-bot"/);
      assert.match(running.output(), /sk-proj-acme-ada-laptop {3}Website \(proj_website\), ada@acme\.test/);
      assert.match(running.output(), /Emulator token .*: roster-emulator-token/);
      const sdk = new OpenAI({ adminAPIKey: 'sk-admin-acme-ci-key', baseURL: `${running.origin}/v1`, maxRetries: 0 });
      await sdk.admin.organization.projects.create({ name: 'Kept in a snapshot' });
      assert.match(await control(running.origin, 'snapshot', 'save', 'kept'), /"name":"kept"/);
      await control(running.origin, '--token', operatorKey, 'reset');
      assert.equal((await sdk.admin.organization.projects.list()).data.length, 2);
      await control(running.origin, 'snapshot', 'restore', 'kept');
      assert.equal((await sdk.admin.organization.projects.list()).data.length, 3);
      assert.match(await control(running.origin, 'clock', 'advance', '3600'), /"now":1767607200/);
      const exportFile = join(workDir, 'state.json');
      await control(running.origin, 'export', exportFile);
      assert.equal(JSON.parse(readFileSync(exportFile, 'utf8')).tables.projects.length, 3);

      // The exported file seeds another emulator with the same state, the same key still working.
      const copy = await startRosterProcess({}, ['emulate', '--seed', exportFile, '--port', '0']);
      try {
        const copied = new OpenAI({ adminAPIKey: 'sk-admin-acme-ci-key', baseURL: `${copy.origin}/v1`, maxRetries: 0 });
        assert.deepEqual(
          (await copied.admin.organization.projects.list()).data.map((project) => project.name).sort(),
          ['Default project', 'Kept in a snapshot', 'Website'],
        );
      } finally {
        await stop(copy);
      }
    } finally {
      await stop(running);
    }
  });

  test('--db keeps the state across a restart', async () => {
    const db = join(workDir, 'kept.db');
    const first = await startRosterProcess({}, ['emulate', '--db', db, '--port', '0']);
    const origin = first.origin;
    const key = /^ {2}(sk-admin-\S+)/m.exec(first.output())![1]!;
    try {
      await new OpenAI({ adminAPIKey: key, baseURL: `${origin}/v1`, maxRetries: 0 }).admin.organization.projects.create({ name: 'Survives' });
    } finally {
      await stop(first);
    }
    const second = await startRosterProcess({}, ['emulate', '--db', db, '--port', '0']);
    try {
      const sdk = new OpenAI({ adminAPIKey: key, baseURL: `${second.origin}/v1`, maxRetries: 0 });
      assert.ok((await sdk.admin.organization.projects.list()).data.some((project) => project.name === 'Survives'));
      // Reset goes back to the state the file held at start, and the file follows.
      await sdk.admin.organization.projects.create({ name: 'Undone' });
      await control(second.origin, 'reset');
      const names = (await sdk.admin.organization.projects.list()).data.map((project) => project.name);
      assert.ok(names.includes('Survives') && !names.includes('Undone'), String(names));
    } finally {
      await stop(second);
    }
  });
});
