import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import OpenAI from 'openai';
import { FixtureError, startRoster } from 'roster/testing';
import { migrateToLatest, openStore } from '../../../src/db/connect.ts';
import { loadSeed, seedFromObject } from '../../../src/extensions/emulator/fixtures.ts';

const workDir = mkdtempSync(join(tmpdir(), 'roster-fixtures-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(workDir, name);
  writeFileSync(path, text);
  return path;
}

const organization = (extra: string) => `organizations:
  - name: Acme
    members:
      - email: ada@acme.test
        role: owner
${extra}`;

/** The error a seed file is refused with. */
async function refusal(path: string): Promise<string> {
  const error = await startRoster({ seed: path }).then(
    async (roster) => {
      await roster.close();
      assert.fail('the seed was accepted');
    },
    (error: unknown) => error,
  );
  assert.ok(error instanceof FixtureError, String(error));
  return error.message;
}

describe('a bad fixture is refused with its file, line and reason', () => {
  test('an unknown field', async () => {
    const path = file('unknown-field.yaml', organization('    colour: blue\n'));
    assert.equal(await refusal(path), `${path}:6: organizations[0].colour: unknown field 'colour'`);
  });

  test('a wrong value', async () => {
    const path = file('bad-role.yaml', organization('      - email: bob@acme.test\n        role: admin\n'));
    assert.match(await refusal(path), new RegExp(`^${path}:7: organizations\\[0\\]\\.members\\[1\\]\\.role: `));
  });

  test('an admin key owned by someone who is not a member', async () => {
    const path = file('stranger-key.yaml', organization('    admin_keys:\n      - name: CI\n        owner: eve@acme.test\n        value: sk-admin-eve-key\n'));
    assert.equal(await refusal(path), `${path}:8: organizations[0].admin_keys[0].owner: 'eve@acme.test' is not a member of this organization`);
  });

  test('a role granted that the organization does not have, in JSON', async () => {
    const json = JSON.stringify(
      { organizations: [{ name: 'Acme', members: [{ email: 'ada@acme.test', role: 'owner', roles: ['Auditor'] }] }] },
      null,
      2,
    );
    const path = file('missing-role.json', json);
    const line = json.split('\n').findIndex((text) => text.includes('"Auditor"')) + 1;
    assert.equal(await refusal(path), `${path}:${line}: organizations[0].members[0].roles[0]: no custom role named 'Auditor' in this organization`);
  });

  test('an unknown permission, an organization without an owner, a YAML syntax error', async () => {
    const permission = file('permission.yaml', organization('    roles:\n      - name: R\n        permissions: [api.everything]\n'));
    assert.match(await refusal(permission), /:8: organizations\[0\]\.roles\[0\]\.permissions\[0\]: unknown permission 'api\.everything'$/);
    const ownerless = file('ownerless.yaml', 'organizations:\n  - name: Acme\n    members:\n      - email: ada@acme.test\n        role: reader\n');
    assert.match(await refusal(ownerless), /:4: organizations\[0\]\.members: an organization needs at least one member with role owner$/);
    const syntax = file('syntax.yaml', 'organizations:\n  - name: [Acme\n');
    assert.match(await refusal(syntax), new RegExp(`^${syntax}:\\d+: `));
  });

  test('a group member who is not in the organization', async () => {
    const path = file('group-stranger.yaml', organization('    groups:\n      - name: Eng\n        members: [ada@acme.test, eve@acme.test]\n'));
    assert.equal(await refusal(path), `${path}:8: organizations[0].groups[0].members[1]: 'eve@acme.test' is not a member of this organization`);
  });

  test('a group seated with a role the project does not have', async () => {
    const path = file(
      'seat-role.yaml',
      organization('    groups:\n      - name: Eng\n    projects:\n      - name: Web\n        groups:\n          - group: Eng\n            role: Deployer\n'),
    );
    assert.equal(await refusal(path), `${path}:12: organizations[0].projects[0].groups[0].role: no role 'Deployer' in this project`);
  });

  test('two service account keys with one value', async () => {
    const accounts = ['a', 'b'].map((name) => `          - name: ${name}\n            api_key: { value: sk-svcacct-one-value-twice }\n`).join('');
    const path = file('same-value.yaml', organization(`    projects:\n      - name: Web\n        service_accounts:\n${accounts}`));
    assert.equal(await refusal(path), `${path}:12: organizations[0].projects[0].service_accounts[1].api_key.value: another key of this fixture has this value`);
  });

  test("a person's project key: owner outside the project, or a value of another kind", async () => {
    const key = (value: string) => organization(`    projects:\n      - name: Web\n        api_keys:\n          - name: laptop\n            owner: ada@acme.test\n            value: ${value}\n`);
    const outsider = file('key-outsider.yaml', key('sk-proj-ada-laptop-key'));
    assert.equal(await refusal(outsider), `${outsider}:10: organizations[0].projects[0].api_keys[0].owner: 'ada@acme.test' is not a member of project 'Web'`);
    const adminValue = file('key-kind.yaml', key('sk-admin-ada-laptop-key'));
    assert.match(await refusal(adminValue), new RegExp(`^${adminValue}:11: organizations\\[0\\]\\.projects\\[0\\]\\.api_keys\\[0\\]\\.value: .*sk-proj-`));
  });

  test('roster emulate stops before listening, and prints where and why', () => {
    const path = file('late-error.yaml', organization('    invites:\n      - email: ada@acme.test\n        role: reader\n'));
    const run = spawnSync(process.execPath, ['src/cli.ts', 'emulate', '--seed', path, '--port', '0'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, new RegExp(`nothing is running: ${path}:7: organizations\\[0\\]\\.invites\\[0\\]\\.email: 'ada@acme.test' is already a member`));
  });
});

describe('a seed', () => {
  test('that fails part-way leaves nothing behind: the next seed starts from an empty store', async () => {
    await assert.rejects(
      startRoster({
        seed: {
          organizations: [
            { name: 'First', members: [{ email: 'a@one.test', role: 'owner' }] },
            { name: 'Second', members: [{ email: 'b@two.test', role: 'reader' }] },
          ],
        },
      }),
      /seed: organizations\[1\]\.members: an organization needs at least one member with role owner/,
    );
  });

  test('refused at its last key leaves no group, seat, service account or key behind', async () => {
    const store = openStore({ sqlitePath: ':memory:', databaseUrl: undefined });
    try {
      await migrateToLatest(store);
      const fixture = {
        organizations: [
          {
            name: 'Acme',
            members: [{ email: 'ada@acme.test', role: 'owner' }],
            groups: [{ name: 'Eng', members: ['ada@acme.test'], roles: ['reader'] }],
            projects: [
              {
                name: 'Web',
                members: [{ email: 'ada@acme.test', role: 'owner' }],
                groups: [{ group: 'Eng', role: 'member' }],
                service_accounts: [{ name: 'bot', api_key: { value: 'sk-svcacct-bot-key-value' } }],
                api_keys: [{ name: 'laptop', owner: 'grace@acme.test', value: 'sk-proj-grace-laptop' }],
              },
            ],
          },
        ],
      };
      await assert.rejects(loadSeed(store.db, seedFromObject(fixture)), /api_keys\[0\]\.owner: 'grace@acme\.test' is not a member of this organization/);
      for (const table of ['organizations', 'users', 'groups', 'group_users', 'group_role_assignments', 'project_groups', 'service_accounts', 'project_api_keys'] as const) {
        const { count } = await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
        assert.equal(Number(count), 0, table);
      }
    } finally {
      await store.db.destroy();
    }
  });

  test('an exported state whose rows refer to missing rows is refused, naming its tables', async () => {
    const roster = await startRoster();
    const state = (await roster.exportState()) as { tables: Record<string, Record<string, unknown>[]> };
    await roster.close();
    state.tables.users = [];
    const path = file('broken-export.json', JSON.stringify(state, null, 2));
    assert.match(await refusal(path), new RegExp(`^${path}:\\d+: tables: the rows do not hold together \\(.*FOREIGN KEY`));
  });

  test('with --id-seed makes the same ids in every run', async () => {
    const idsOfARun = async () => {
      const roster = await startRoster({ idSeed: 1234 });
      try {
        const sdk = new OpenAI({ adminAPIKey: roster.adminKey, baseURL: roster.baseURL, maxRetries: 0 });
        const project = await sdk.admin.organization.projects.create({ name: 'Made in the test' });
        const users = await sdk.admin.organization.users.list();
        return [project.id, ...users.data.map((user) => user.id)];
      } finally {
        await roster.close();
      }
    };
    const first = await idsOfARun();
    assert.deepEqual(await idsOfARun(), first);
  });

  test('ids made after restoring a snapshot never collide with restored ones', async () => {
    const roster = await startRoster({ idSeed: 99 });
    try {
      const sdk = new OpenAI({ adminAPIKey: roster.adminKey, baseURL: roster.baseURL, maxRetries: 0 });
      await sdk.admin.organization.projects.create({ name: 'Before' });
      await roster.snapshot('after-one');
      await roster.reset();
      await roster.restore('after-one');
      const made = await sdk.admin.organization.projects.create({ name: 'After' });
      const ids = (await sdk.admin.organization.projects.list()).data.map((p) => p.id);
      assert.equal(new Set(ids).size, 3);
      assert.ok(ids.includes(made.id));
    } finally {
      await roster.close();
    }
  });
});
