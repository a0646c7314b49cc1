import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startRoster, DEFAULT_ADMIN_KEY, DEFAULT_EMULATOR_TOKEN, type Roster } from 'roster/testing';
import { exited, startRosterProcess } from '../../support/roster-process.ts';
import { openTestStore } from '../../support/store.ts';
import { TestRoster } from '../../support/roster.ts';

const CONTROLS = [
  ['POST', '/reset'],
  ['GET', '/state'],
  ['GET', '/snapshots'],
  ['POST', '/snapshots'],
  ['POST', '/snapshots/x/restore'],
  ['DELETE', '/snapshots/x'],
  ['GET', '/clock'],
  ['POST', '/clock'],
  ['POST', '/clock/freeze'],
  ['POST', '/clock/resume'],
  ['POST', '/clock/advance'],
  ['GET', '/faults'],
  ['POST', '/faults'],
  ['DELETE', '/faults'],
  ['DELETE', '/faults/fault_1'],
  ['GET', '/requests'],
  ['DELETE', '/requests'],
  ['GET', '/emails'],
  ['DELETE', '/emails'],
];

const OPERATOR_KEY = 'sk-operator-controls-test-key';

async function call(origin: string, method: string, path: string, options: { token?: string | null; body?: object } = {}) {
  const token = options.token === undefined ? DEFAULT_EMULATOR_TOKEN : options.token;
  const response = await fetch(`${origin}/roster/v1/emulator${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(options.body ? { 'content-type': 'application/json' } : {}) },
    body: options.body ? JSON.stringify(options.body) : undefined,
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

describe('outside emulator mode', () => {
  test('roster serve answers every emulator control with a 404: emulator token, operator key or none', async () => {
    const testStore = await openTestStore('sqlite');
    const served = await startRosterProcess({ ...testStore.processEnv!, ROSTER_OPERATOR_KEY: OPERATOR_KEY });
    try {
      // The operator key is good there: it is the route, not the key, that is missing.
      const organizations = await fetch(`${served.origin}/roster/v1/organizations`, { headers: { authorization: `Bearer ${OPERATOR_KEY}` } });
      assert.equal(organizations.status, 200);
      for (const token of [DEFAULT_EMULATOR_TOKEN, OPERATOR_KEY, null]) {
        for (const [method, path] of CONTROLS) {
          const answer = await call(served.origin, method!, path!, { token, ...(method === 'POST' ? { body: {} } : {}) });
          assert.equal(answer.status, 404, `${method} ${path} with ${token}`);
          assert.match(answer.body.error.message, /^Invalid URL/);
        }
      }
    } finally {
      const done = exited(served.child);
      served.child.kill('SIGTERM');
      await done;
      await testStore.close();
    }
  });

  test('the application built without an emulator has no emulator routes and moves no clock', async () => {
    const roster = await TestRoster.start();
    try {
      const reset = await roster.request('POST', '/roster/v1/emulator/reset', { key: DEFAULT_EMULATOR_TOKEN });
      assert.equal(reset.status, 404);
      assert.ok(!roster.app.printRoutes().includes('emulator'));
    } finally {
      await roster.close();
    }
  });
});

describe('the controls over HTTP', () => {
  let roster: Roster;
  let sdk: OpenAI;
  before(async () => {
    roster = await startRoster({ operatorKey: OPERATOR_KEY });
    sdk = new OpenAI({ adminAPIKey: DEFAULT_ADMIN_KEY, baseURL: roster.baseURL, maxRetries: 0 });
  });
  after(() => roster.close());

  test('need the emulator token or the operator key: none, an admin key or a wrong key are refused', async () => {
    for (const token of [null, DEFAULT_ADMIN_KEY, 'sk-operator-not-this-one']) {
      const answer = await call(roster.url, 'POST', '/reset', { token });
      assert.equal(answer.status, 401);
      assert.equal(answer.body.error.code, 'invalid_emulator_token');
    }
  });

  test('open with the emulator token and with the operator key, which a reset keeps', async () => {
    for (const token of [DEFAULT_EMULATOR_TOKEN, OPERATOR_KEY]) {
      assert.equal((await call(roster.url, 'POST', '/clock/advance', { token, body: { seconds: 5 } })).status, 200, String(token));
      assert.equal((await call(roster.url, 'POST', '/reset', { token })).body.reset, true, String(token));
    }
    // Still the operator key after the reset: it also manages organizations, as under roster serve.
    const organizations = await fetch(`${roster.url}/roster/v1/organizations`, { headers: { authorization: `Bearer ${OPERATOR_KEY}` } });
    assert.equal(organizations.status, 200);
    assert.equal((await call(roster.url, 'GET', '/clock', { token: OPERATOR_KEY })).status, 200);
  });

  test('reset, snapshots and export', async () => {
    await sdk.admin.organization.projects.create({ name: 'One' });
    const saved = await call(roster.url, 'POST', '/snapshots', { body: { name: 'one' } });
    assert.equal(saved.status, 200);
    assert.equal(saved.body.name, 'one');
    assert.deepEqual((await call(roster.url, 'GET', '/snapshots')).body.data.map((s: { name: string }) => s.name), ['one']);

    const reset = await call(roster.url, 'POST', '/reset');
    assert.equal(reset.body.reset, true);
    assert.equal((await sdk.admin.organization.projects.list()).data.length, 1);

    assert.equal((await call(roster.url, 'POST', '/snapshots/one/restore')).status, 200);
    assert.equal((await sdk.admin.organization.projects.list()).data.length, 2);
    assert.equal((await call(roster.url, 'POST', '/snapshots/nope/restore')).status, 404);

    const exported = await call(roster.url, 'GET', '/state');
    assert.equal(exported.body.roster_export, 1);
    assert.equal(exported.body.tables.projects.length, 2);
    // The export seeds a new emulator with the same state; the stored key keeps working.
    const copy = await startRoster({ seed: exported.body });
    try {
      const copied = new OpenAI({ adminAPIKey: DEFAULT_ADMIN_KEY, baseURL: copy.baseURL, maxRetries: 0 });
      assert.deepEqual(
        (await copied.admin.organization.projects.list()).data.map((p) => p.id),
        (await sdk.admin.organization.projects.list()).data.map((p) => p.id),
      );
    } finally {
      await copy.close();
    }

    assert.equal((await call(roster.url, 'DELETE', '/snapshots/one')).body.deleted, true);
    assert.equal((await call(roster.url, 'DELETE', '/snapshots/one')).status, 404);
    await call(roster.url, 'POST', '/reset');
  });

  test('the clock: read, set, freeze, advance, resume', async () => {
    const set = await call(roster.url, 'POST', '/clock', { body: { now: 2_000_000_000, frozen: true } });
    assert.deepEqual([set.body.now, set.body.frozen], [2_000_000_000, true]);
    const advanced = await call(roster.url, 'POST', '/clock/advance', { body: { seconds: 90 } });
    assert.equal(advanced.body.now, 2_000_000_090);
    assert.equal((await call(roster.url, 'GET', '/clock')).body.now, 2_000_000_090);
    assert.equal((await sdk.admin.organization.projects.create({ name: 'Stamped' })).created_at, 2_000_000_090);
    assert.equal((await call(roster.url, 'POST', '/clock/resume')).body.frozen, false);
    assert.equal((await call(roster.url, 'POST', '/clock/freeze', { body: { at: 1_900_000_000 } })).body.now, 1_900_000_000);
    assert.equal((await call(roster.url, 'POST', '/clock/advance', { body: { seconds: -1 } })).status, 400);
    const reset = await call(roster.url, 'POST', '/reset');
    assert.equal(reset.body.clock.frozen, false);
    assert.ok(Math.abs(reset.body.clock.now - Date.now() / 1000) < 5);
  });

  test('faults: install, fire, list, remove, clear; bad rules are refused', async () => {
    const rule = await call(roster.url, 'POST', '/faults', { body: { path: '/v1/organization/users/:user_id', method: 'GET', status: 404 } });
    assert.equal(rule.status, 200);
    const owner = (await sdk.admin.organization.users.list()).data[0]!;
    await assert.rejects(sdk.admin.organization.users.retrieve(owner.id), { status: 404 });
    await assert.rejects(sdk.admin.organization.users.retrieve(owner.id), { status: 404 });
    const listed = await call(roster.url, 'GET', '/faults');
    assert.deepEqual([listed.body.data[0].fired, listed.body.data[0].remaining], [2, null]);
    assert.equal((await call(roster.url, 'DELETE', `/faults/${rule.body.id}`)).body.deleted, true);
    assert.equal((await sdk.admin.organization.users.retrieve(owner.id)).id, owner.id);

    const custom = { message: 'Try again later.', type: 'server_error', code: 'overloaded' };
    await call(roster.url, 'POST', '/faults', { body: { operation_id: 'list-projects', status: 503, error: custom } });
    const failed = await fetch(`${roster.baseURL}/organization/projects`, { headers: { authorization: `Bearer ${DEFAULT_ADMIN_KEY}` } });
    assert.equal(failed.status, 503);
    assert.deepEqual(await failed.json(), { error: { ...custom, param: null } });
    assert.equal((await call(roster.url, 'DELETE', '/faults')).body.cleared, true);
    assert.deepEqual((await call(roster.url, 'GET', '/faults')).body.data, []);

    assert.equal((await call(roster.url, 'POST', '/faults', { body: { status: 500 } })).status, 400);
    assert.equal((await call(roster.url, 'POST', '/faults', { body: { path: '/v1/x' } })).status, 400);
    assert.equal((await call(roster.url, 'POST', '/faults', { body: { path: '/v1/x', status: 500, retry_after_seconds: 3 } })).status, 400);
    await call(roster.url, 'POST', '/reset');
  });

  test('the journal and the sent e-mails, filtered and cleared', async () => {
    await sdk.admin.organization.invites.create({ email: 'pat@example.com', role: 'reader' });
    await sdk.admin.organization.users.list({ limit: 3 });
    const journal = await call(roster.url, 'GET', '/requests?operation_id=list-users');
    assert.deepEqual(
      journal.body.data.map((entry: { method: string; path: string; query: object; status: number }) => [entry.method, entry.path, entry.query, entry.status]),
      [['GET', '/v1/organization/users', { limit: '3' }, 200]],
    );
    const posted = (await call(roster.url, 'GET', '/requests?method=post')).body.data;
    assert.deepEqual(posted.map((entry: { body: object }) => entry.body), [{ email: 'pat@example.com', role: 'reader' }]);
    const emails = await call(roster.url, 'GET', '/emails?to=pat@example.com');
    assert.equal(emails.body.data.length, 1);
    assert.match(emails.body.data[0].accept_url, /\/roster\/v1\/invites\/invite-\w+\/accept$/);
    await call(roster.url, 'DELETE', '/requests');
    await call(roster.url, 'DELETE', '/emails');
    assert.deepEqual((await call(roster.url, 'GET', '/requests')).body.data, []);
    assert.deepEqual((await call(roster.url, 'GET', '/emails')).body.data, []);
  });
});
