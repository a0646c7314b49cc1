import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import OpenAI from 'openai';
import { FixtureError, startRoster } from 'roster/testing';

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
