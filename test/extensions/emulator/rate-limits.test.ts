import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import OpenAI from 'openai';
import { startRoster } from 'roster/testing';

test('--rate-limits openai: the eighth call to an endpoint within a minute gets a 429 with retry-after', async () => {
  const roster = await startRoster({ rateLimits: 'openai', seed: 'examples/fixture.yaml' });
  try {
    const sdk = new OpenAI({ adminAPIKey: roster.adminKey, baseURL: roster.baseURL, maxRetries: 0 });
    for (let i = 0; i < 7; i++) await sdk.admin.organization.users.list();
    // Another endpoint has a budget of its own.
    await sdk.admin.organization.projects.list();
    const limited = await fetch(`${roster.baseURL}/organization/users`, { headers: { authorization: `Bearer ${roster.adminKey}` } });
    assert.equal(limited.status, 429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `retry-after ${retryAfter}`);
    const body = (await limited.json()) as { error: { code: string; type: string } };
    assert.deepEqual([body.error.type, body.error.code], ['invalid_request_error', 'rate_limit_exceeded']);

    // The window follows the emulator clock: a test moves it instead of waiting a minute.
    roster.advanceClock(retryAfter);
    assert.equal((await sdk.admin.organization.users.list()).data.length, 2);
  } finally {
    await roster.close();
  }
});

test('a Python client with only the standard library backs off on 429 as retry-after says', async () => {
  const roster = await startRoster();
  try {
    // Run asynchronously: the emulator answers from this same process.
    const child = spawn('python3', ['examples/python_backoff.py', roster.url, roster.adminKey, roster.token]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout) as { attempts: { status: number; retry_after: string | null; code: string | null; waited?: number }[]; users: number; journal: number[] };
    assert.deepEqual(
      report.attempts.map((attempt) => [attempt.status, attempt.retry_after, attempt.code]),
      [
        [429, '1', 'rate_limit_exceeded'],
        [429, '1', 'rate_limit_exceeded'],
        [200, null, null],
      ],
    );
    assert.ok(report.attempts.slice(0, 2).every((attempt) => attempt.waited! >= 1));
    assert.equal(report.users, 1);
    assert.deepEqual(report.journal, [429, 429, 200]);
  } finally {
    await roster.close();
  }
});

