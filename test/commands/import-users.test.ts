import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { Kysely } from 'kysely';
import { migrateToLatest } from '../../src/db/connect.ts';
import type { Database } from '../../src/db/schema.ts';
import { createOrganization, type CreatedOrganization } from '../../src/api/organizations/service.ts';
import { IMPORT_ACTOR_KEY_ID, ImportError, importUsers } from '../../src/commands/import-users.ts';
import { childProcessEnv, openTestStore, type TestStore } from '../support/store.ts';

const run = promisify(execFile);

describe('roster import', () => {
  let testStore: TestStore;
  let db: Kysely<Database>;
  let org: CreatedOrganization;

  before(async () => {
    testStore = await openTestStore();
    await migrateToLatest(testStore.store);
    db = testStore.store.db;
    org = await createOrganization(db, { name: 'Import test', owner: { email: 'owner@example.com', name: null } });
  });
  after(() => testStore.close());

  function file(name: string, lines: string[]): string {
    const path = join(testStore.workDir, name);
    writeFileSync(path, lines.join('\n') + '\n');
    return path;
  }

  async function memberEmails(): Promise<string[]> {
    const rows = await db
      .selectFrom('organization_users as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['u.email', 'm.role'])
      .where('m.organization_id', '=', org.organizationId)
      .orderBy('u.email')
      .execute();
    return rows.map((r) => `${r.email}:${r.role}`);
  }

  test('adds each line as a member, reader unless the line says owner, emails lower-cased', async () => {
    const count = await importUsers(
      db,
      org.organizationId,
      file('ok.jsonl', ['{"email":"Ann@Example.com","name":"Ann"}', '', '{"email":"bob@example.com","role":"owner"}']),
      { progress: false },
    );
    assert.equal(count, 2);
    assert.deepEqual(await memberEmails(), ['ann@example.com:reader', 'bob@example.com:owner', 'owner@example.com:owner']);
  });

  for (const [name, line, message] of [
    ['invalid JSON', '{"email":', /line 2: not valid JSON/],
    ['a missing email', '{"name":"No Email"}', /line 2: 'email'/],
    ['an unknown role', '{"email":"x@example.com","role":"admin"}', /line 2: 'role'/],
    ['an unknown field', '{"email":"x@example.com","team":"a"}', /line 2: unknown field 'team'/],
    ['an email repeated in the file', '{"email":"first@example.com"}', /line 2: first@example.com already appears on line 1/],
    ['an existing member', '{"email":"ann@example.com"}', /line 2: ann@example.com is already a member/],
  ] as const) {
    test(`a file with ${name} is refused with the line number and nothing is written`, async () => {
      const before = await memberEmails();
      const path = file(`bad-${name}.jsonl`, ['{"email":"first@example.com"}', line, '{"email":"third@example.com"}']);
      await assert.rejects(importUsers(db, org.organizationId, path, { progress: false }), (error: unknown) => {
        assert.ok(error instanceof ImportError);
        assert.match(error.message, message);
        return true;
      });
      assert.deepEqual(await memberEmails(), before);
    });
  }

  test('each member added is recorded as a user.added event naming the first owner, and a refused file records none', async () => {
    const events = () => db.selectFrom('audit_logs').select(['resource_id', 'details', 'actor']).where('type', '=', 'user.added').execute();
    const before = (await events()).length;
    await assert.rejects(importUsers(db, org.organizationId, file('audit-bad.jsonl', ['{"email":"audit-0@example.com"}', '{"email":']), { progress: false }));
    assert.equal((await events()).length, before);

    await importUsers(db, org.organizationId, file('audit.jsonl', ['{"email":"audit-1@example.com","role":"owner"}', '{"email":"audit-2@example.com"}']), { progress: false });
    const added = (await events()).slice(before);
    const users = await db.selectFrom('users').select(['id', 'email']).where('email', 'in', ['audit-1@example.com', 'audit-2@example.com']).orderBy('email').execute();
    assert.deepEqual(
      added.map((event) => [event.resource_id, JSON.parse(event.details).data.role]).sort(),
      users.map((user, i) => [user.id, i === 0 ? 'owner' : 'reader']).sort(),
    );
    for (const event of added) {
      assert.deepEqual(JSON.parse(event.actor), {
        type: 'api_key',
        api_key: { id: IMPORT_ACTOR_KEY_ID, type: 'user', user: { id: org.ownerId, email: 'owner@example.com' } },
      });
    }
  });

  test('a file that does not exist is refused with its name', async () => {
    await assert.rejects(importUsers(db, org.organizationId, join(testStore.workDir, 'missing.jsonl'), { progress: false }), /cannot read .*missing\.jsonl': no such file/);
  });

  test('people known from another organization keep their user id', async () => {
    const other = await createOrganization(db, { name: 'Other', owner: { email: 'other-owner@example.com', name: null } });
    await importUsers(db, other.organizationId, file('other.jsonl', ['{"email":"ann@example.com"}']), { progress: false });
    const ids = await db.selectFrom('users').select('id').where('email', '=', 'ann@example.com').execute();
    assert.equal(ids.length, 1);
  });

  test('the command reports a bad line and exits non-zero without a progress bar when not on a terminal', async (t) => {
    const storeEnv = childProcessEnv(t, testStore);
    if (!storeEnv) return;
    const path = file('cli-bad.jsonl', ['{"email":"cli@example.com"}', 'nope']);
    const env = { ...process.env, ...storeEnv };
    await assert.rejects(run(process.execPath, ['src/cli.ts', 'import', path], { env }), (error: any) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr, /import failed, nothing was written: line 2: not valid JSON/);
      assert.doesNotMatch(error.stderr, /importing \[/);
      return true;
    });
  });

  test('the command imports into the first organization and says how many', async (t) => {
    const storeEnv = childProcessEnv(t, testStore);
    if (!storeEnv) return;
    const path = file('cli-ok.jsonl', ['{"email":"cli-1@example.com"}', '{"email":"cli-2@example.com"}']);
    const env = { ...process.env, ...storeEnv };
    const { stdout } = await run(process.execPath, ['src/cli.ts', 'import', path], { env });
    assert.match(stdout, new RegExp(`imported 2 users into ${org.organizationId}`));
  });
});
