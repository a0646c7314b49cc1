import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startRoster, type Roster } from 'roster/testing';

/**
 * Written the way a user of roster writes their tests: start roster once with the example
 * fixture, act through the official SDK (and, for keys, the key check a gateway calls), assert,
 * and reset between tests.
 */
let roster: Roster;
let sdk: OpenAI;

before(async () => {
  roster = await startRoster({ seed: 'examples/fixture.yaml' });
  sdk = new OpenAI({ adminAPIKey: roster.adminKey, baseURL: roster.baseURL, maxRetries: 0 });
});
afterEach(() => roster.reset());
after(() => roster.close());

async function emails(): Promise<string[]> {
  const users = await sdk.admin.organization.users.list({ limit: 100 });
  return users.data.map((user) => String(user.email)).sort();
}

describe('a seeded organization', () => {
  test('holds the fixture, reachable with the key the fixture declared', async () => {
    assert.equal(roster.adminKey, 'sk-admin-acme-ci-key');
    assert.deepEqual(await emails(), ['ada@acme.test', 'grace@acme.test']);
    const grace = (await sdk.admin.organization.users.list({ emails: ['grace@acme.test'] })).data[0]!;
    assert.equal(grace.role, 'reader');
    const graceRoles = await sdk.admin.organization.users.roles.list(grace.id);
    assert.deepEqual(graceRoles.data.map((role) => role.name).sort(), ['Auditor', 'reader']);
    const website = await sdk.admin.organization.projects.users.list('proj_website');
    assert.deepEqual(website.data.map((member) => [member.email, member.role]).sort(), [['ada@acme.test', 'owner'], ['grace@acme.test', 'member']]);
  });

  test('starts at the fixture clock, which stands still', async () => {
    const [invite] = (await sdk.admin.organization.invites.list()).data;
    assert.equal(invite!.created_at, Date.parse('2026-01-05T09:00:00Z') / 1000);
    assert.equal(roster.now(), invite!.created_at);
  });
});

describe('reset', () => {
  test('undoes what a script did', async () => {
    const grace = (await sdk.admin.organization.users.list({ emails: ['grace@acme.test'] })).data[0]!;
    await sdk.admin.organization.users.delete(grace.id);
    await sdk.admin.organization.projects.create({ name: 'Scratch' });
    await roster.reset();
    assert.deepEqual(await emails(), ['ada@acme.test', 'grace@acme.test']);
    const projects = await sdk.admin.organization.projects.list();
    assert.deepEqual(projects.data.map((project) => project.name).sort(), ['Default project', 'Website']);
  });

  test('brings back an admin key a script deleted', async () => {
    await sdk.admin.organization.adminAPIKeys.create({ name: 'second' });
    await sdk.admin.organization.adminAPIKeys.delete('key_acme_ci');
    await assert.rejects(sdk.admin.organization.users.list(), { status: 401 });
    await roster.reset();
    assert.equal((await sdk.admin.organization.users.list()).data.length, 2);
  });
});

describe('snapshots', () => {
  test('restore a state saved mid-test, and are kept across resets', async () => {
    await sdk.admin.organization.projects.create({ name: 'Saved' });
    await roster.snapshot('with-saved');
    await sdk.admin.organization.projects.create({ name: 'Not saved' });
    await roster.reset();
    await roster.restore('with-saved');
    const names = (await sdk.admin.organization.projects.list()).data.map((project) => project.name).sort();
    assert.deepEqual(names, ['Default project', 'Saved', 'Website']);
    assert.deepEqual(roster.snapshots().map((snapshot) => snapshot.name), ['with-saved']);
    roster.deleteSnapshot('with-saved');
    await assert.rejects(roster.restore('with-saved'), { status: 404 });
  });
});

describe('the clock', () => {
  test('makes an invite expire without waiting', async () => {
    const invite = await sdk.admin.organization.invites.create({ email: 'new@acme.test', role: 'reader' });
    roster.advanceClock(7 * 24 * 60 * 60 - 1);
    assert.equal((await sdk.admin.organization.invites.retrieve(invite.id)).status, 'pending');
    roster.advanceClock(1);
    assert.equal((await sdk.admin.organization.invites.retrieve(invite.id)).status, 'expired');
  });

  test('makes an admin key expire', async () => {
    const created = await sdk.admin.organization.adminAPIKeys.create({ name: 'short-lived', expires_in_seconds: 3600 } as never);
    const shortLived = new OpenAI({ adminAPIKey: (created as { value: string }).value, baseURL: roster.baseURL, maxRetries: 0 });
    await shortLived.admin.organization.users.list();
    roster.advanceClock(3600);
    await assert.rejects(shortLived.admin.organization.users.list(), { status: 401, code: 'invalid_api_key' });
  });

  test('stamps what is written with the emulator time', async () => {
    roster.setClock(Date.parse('2030-06-01T00:00:00Z') / 1000, true);
    const project = await sdk.admin.organization.projects.create({ name: 'Future' });
    assert.equal(project.created_at, Date.parse('2030-06-01T00:00:00Z') / 1000);
  });
});

describe('faults', () => {
  test('failNext fails the next matching call only, with the real envelope', async () => {
    roster.failNext('list-users', { status: 503 });
    await assert.rejects(sdk.admin.organization.users.list(), (error: InstanceType<typeof OpenAI.APIError>) => {
      assert.equal(error.status, 503);
      assert.equal(error.type, 'server_error');
      return true;
    });
    assert.equal((await sdk.admin.organization.users.list()).data.length, 2);
  });

  test('a 429 with retry-after is retried by the SDK and then succeeds', async () => {
    roster.failNext('POST /v1/organization/projects', { status: 429, retry_after_seconds: 0, times: 2 });
    const retrying = new OpenAI({ adminAPIKey: roster.adminKey, baseURL: roster.baseURL, maxRetries: 2 });
    const project = await retrying.admin.organization.projects.create({ name: 'After back-off' });
    assert.equal(project.name, 'After back-off');
    const posts = roster.requests({ method: 'POST', path: '/v1/organization/projects' });
    assert.deepEqual(posts.map((entry) => entry.status), [429, 429, 200]);
  });

  test('a dropped connection reaches the SDK as a connection error', async () => {
    roster.addFault({ operation_id: 'list-users', drop_connection: true, times: 1 });
    await assert.rejects(sdk.admin.organization.users.list(), OpenAI.APIConnectionError);
    assert.equal(roster.requests({ operation_id: 'list-users' })[0]!.status, null);
  });

  test('latency delays the answer', async () => {
    roster.addFault({ path: '/v1/organization/users', latency_ms: 150 });
    const started = performance.now();
    await sdk.admin.organization.users.list();
    assert.ok(performance.now() - started >= 140);
  });

  test('probability draws from a seed, so a run repeats', async () => {
    const outcomes = async () => {
      roster.clearFaults();
      roster.addFault({ operation_id: 'list-projects', status: 500, probability: 0.5, seed: 42 });
      const results: number[] = [];
      for (let i = 0; i < 12; i++) {
        results.push(await sdk.admin.organization.projects.list().then(() => 200, (error: InstanceType<typeof OpenAI.APIError>) => error.status as number));
      }
      return results;
    };
    const first = await outcomes();
    assert.ok(first.includes(500) && first.includes(200), `expected a mix, got ${first}`);
    assert.deepEqual(await outcomes(), first);
    assert.equal(roster.faults()[0]!.fired, first.filter((status) => status === 500).length);
  });
});

describe('what was sent', () => {
  test('the journal lists exactly the calls an offboarding script made', async () => {
    const grace = (await sdk.admin.organization.users.list({ emails: ['grace@acme.test'] })).data[0]!;
    await sdk.admin.organization.projects.users.delete(grace.id, { project_id: 'proj_website' });
    await sdk.admin.organization.users.delete(grace.id);
    assert.deepEqual(
      roster.requests().map((entry) => [entry.method, entry.operation_id, entry.status]),
      [
        ['GET', 'list-users', 200],
        ['DELETE', 'delete-project-user', 200],
        ['DELETE', 'delete-user', 200],
      ],
    );
    assert.deepEqual(roster.requests()[0]!.query, { emails: ['grace@acme.test'] });
  });

  test('an invite e-mail carries a link that accepts the invite', async () => {
    await sdk.admin.organization.invites.create({ email: 'Alan@acme.test', role: 'reader', projects: [{ id: 'proj_website', role: 'member' }] });
    const [email] = roster.sentEmails('alan@acme.test');
    assert.equal(email!.to, 'alan@acme.test');
    const accepted = await fetch(email!.accept_url, {
      method: 'POST',
      headers: { authorization: `Bearer ${roster.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Alan Turing' }),
    });
    assert.equal(accepted.status, 200);
    assert.ok((await emails()).includes('alan@acme.test'));
  });
});

/** What a gateway asks roster for every request it lets through (with an admin key, as one may). */
async function checkKey(target: Roster, key: string, adminKey = target.adminKey) {
  const response = await fetch(`${target.url}/roster/v1/keys/check`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ key }),
  });
  assert.equal(response.status, 200);
  return (await response.json()) as { active: boolean; reason: string | null; key_id: string | null; owner: { type: string; name: string | null; email: string | null } | null; permissions: string[] };
}

describe('a seeded group', () => {
  test('holds its members and organization role, and is seated in a project with a project role', async () => {
    const members = await sdk.admin.organization.groups.users.list('group_engineering');
    assert.deepEqual(members.data.map((user) => user.email).sort(), ['ada@acme.test', 'grace@acme.test']);
    const roles = await sdk.admin.organization.groups.roles.list('group_engineering');
    assert.deepEqual(roles.data.map((role) => role.name), ['reader']);
    const seats = await sdk.admin.organization.projects.groups.list('proj_website');
    assert.deepEqual(seats.data.map((seat) => seat.group_name), ['Engineering']);
    const projectRoles = await sdk.admin.organization.projects.groups.roles.list('group_engineering', { project_id: 'proj_website' });
    assert.deepEqual(projectRoles.data.map((role) => role.name), ['Deployer']);
  });
});

describe('a seeded service account', () => {
  test('has the role and the first key the fixture gave it, known before start', async () => {
    assert.equal(roster.projectKey('deploy-bot'), 'sk-svcacct-acme-deploy-bot');
    const accounts = await sdk.admin.organization.projects.serviceAccounts.list('proj_website');
    assert.deepEqual(accounts.data.map((account) => [account.id, account.name, account.role]), [['svc_acct_deploy', 'deploy-bot', 'member']]);
    const check = await checkKey(roster, roster.projectKey('deploy-bot'));
    assert.equal(check.active, true);
    assert.deepEqual([check.owner?.type, check.owner?.name], ['service_account', 'deploy-bot']);
  });

  test('key expires when the clock passes its lifetime', async () => {
    const key = roster.projectKeys.find((seeded) => seeded.owner.type === 'service_account')!;
    assert.equal(key.expires_at, roster.now() + 86_400);
    roster.advanceClock(86_399);
    assert.equal((await checkKey(roster, key.value)).active, true);
    roster.advanceClock(1);
    const check = await checkKey(roster, key.value);
    assert.deepEqual([check.active, check.reason], [false, 'expired']);
  });

  test('key is active again after a reset', async () => {
    roster.advanceClock(100_000);
    assert.equal((await checkKey(roster, roster.projectKey('deploy-bot'))).reason, 'expired');
    await roster.reset();
    assert.equal((await checkKey(roster, roster.projectKey('deploy-bot'))).active, true);
  });
});

describe("a seeded person's project key", () => {
  test('is known before start and checked as that person', async () => {
    assert.equal(roster.projectKey("Ada's laptop"), 'sk-proj-acme-ada-laptop');
    const check = await checkKey(roster, 'sk-proj-acme-ada-laptop');
    assert.equal(check.active, true);
    assert.deepEqual([check.owner?.type, check.owner?.email], ['user', 'ada@acme.test']);
    const listed = await sdk.admin.organization.projects.apiKeys.list('proj_website');
    const mine = listed.data.find((key) => key.name === "Ada's laptop")!;
    assert.equal(mine.redacted_value, 'sk-proj-***********ptop');
    assert.equal(mine.owner?.user?.email, 'ada@acme.test');
  });
});

describe('an exported state', () => {
  test('seeds a new roster with the same groups, seats, service accounts and working keys', async () => {
    const copy = await startRoster({ seed: await roster.exportState() });
    try {
      const copied = new OpenAI({ adminAPIKey: roster.adminKey, baseURL: copy.baseURL, maxRetries: 0 });
      const listBoth = async (list: (client: OpenAI) => Promise<unknown>) => assert.deepEqual(await list(copied), await list(sdk));
      await listBoth(async (client) => (await client.admin.organization.groups.list()).data);
      await listBoth(async (client) => (await client.admin.organization.groups.users.list('group_engineering')).data);
      await listBoth(async (client) => (await client.admin.organization.groups.roles.list('group_engineering')).data.map((role) => role.id));
      await listBoth(async (client) => (await client.admin.organization.projects.groups.list('proj_website')).data);
      await listBoth(async (client) => (await client.admin.organization.projects.serviceAccounts.list('proj_website')).data);
      await listBoth(async (client) => (await client.admin.organization.projects.apiKeys.list('proj_website')).data);
      for (const key of roster.projectKeys) {
        const [original, again] = [await checkKey(roster, key.value), await checkKey(copy, key.value, roster.adminKey)];
        assert.equal(again.active, true, key.name);
        assert.deepEqual(again, original);
      }
    } finally {
      await copy.close();
    }
  });
});
