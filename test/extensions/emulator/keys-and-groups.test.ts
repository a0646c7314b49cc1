import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startRoster, type Roster } from 'roster/testing';

/**
 * Written the way a user writes them: the example fixture seeds a group, a service account and a
 * person's project key with values the test knows before roster starts; a gateway's key check
 * sees them, and sees them expire when the test moves the clock.
 */
let roster: Roster;
let sdk: OpenAI;

before(async () => {
  roster = await startRoster({ seed: 'examples/fixture.yaml' });
  sdk = new OpenAI({ adminAPIKey: roster.adminKey, baseURL: roster.baseURL, maxRetries: 0 });
});
afterEach(() => roster.reset());
after(() => roster.close());

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
