import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, RootOperationNode } from 'kysely';
import OpenAI from 'openai';
import { TestRoster } from '../../support/roster.ts';

/**
 * Makes the audit insert fail while armed. The insert runs after the change it records, inside
 * the same transaction, so this is a failure between the change and the commit.
 */
class FailingAuditInsert implements KyselyPlugin {
  armed = false;

  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (this.armed && node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === 'audit_logs') {
      throw new Error('injected failure: the audit event could not be written');
    }
    return node;
  }

  async transformResult({ result }: PluginTransformResultArgs) {
    return result;
  }
}

describe('a change and its audit event are kept or lost together', () => {
  const failure = new FailingAuditInsert();
  let roster: TestRoster;
  let client: OpenAI;
  let member: string;

  before(async () => {
    roster = await TestRoster.start({ plugins: [failure] });
    client = roster.client();
    await roster.addMembers([{ email: 'fragile@example.com' }]);
    member = (await client.admin.organization.users.list({ emails: ['fragile@example.com'] })).data[0]!.id;
  });
  after(() => roster.close());

  /** Runs `change` with the audit insert failing: it must be a 500 that leaves no event behind. */
  async function failsWithoutTrace(change: () => Promise<unknown>): Promise<void> {
    const eventsBefore = await roster.auditEvents();
    failure.armed = true;
    try {
      await assert.rejects(change(), OpenAI.InternalServerError);
    } finally {
      failure.armed = false;
    }
    assert.deepEqual(await roster.auditEvents(), eventsBefore);
  }

  test('a member update is rolled back, then succeeds once events can be written', async () => {
    await failsWithoutTrace(() => client.admin.organization.users.update(member, { role: 'owner', technical_level: 'expert' }));
    const unchanged = await client.admin.organization.users.retrieve(member);
    assert.equal(unchanged.role, 'reader');
    assert.equal(unchanged.technical_level, null);

    await client.admin.organization.users.update(member, { technical_level: 'expert' });
    assert.equal((await roster.auditEvents('user.updated')).length, 1);
  });

  test('a member removal is rolled back: the member and their keys remain', async () => {
    const key = await roster.createAdminKey(member);
    await failsWithoutTrace(() => client.admin.organization.users.delete(member));
    assert.equal((await client.admin.organization.users.retrieve(member)).id, member);
    assert.equal((await roster.client(key.value).admin.organization.adminAPIKeys.retrieve(key.id)).id, key.id);
  });

  test('a key creation is rolled back: no key is stored', async () => {
    const keysBefore = await roster.db.selectFrom('admin_api_keys').select('id').execute();
    await failsWithoutTrace(() => client.admin.organization.adminAPIKeys.create({ name: 'Never kept' }));
    assert.deepEqual(await roster.db.selectFrom('admin_api_keys').select('id').execute(), keysBefore);
  });

  test('a key deletion is rolled back: the key keeps working', async () => {
    const key = await client.admin.organization.adminAPIKeys.create({ name: 'Survivor' });
    await failsWithoutTrace(() => client.admin.organization.adminAPIKeys.delete(key.id));
    assert.equal((await roster.client(key.value).admin.organization.adminAPIKeys.retrieve(key.id)).name, 'Survivor');
  });
});
