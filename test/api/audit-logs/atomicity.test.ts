import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type OpenAI from 'openai';
import { assertFailsWithoutTrace } from '../../support/audit-failure.ts';
import { TestRoster } from '../../support/roster.ts';

describe('a change and its audit event are kept or lost together', () => {
  let roster: TestRoster;
  let client: OpenAI;
  let member: string;

  before(async () => {
    roster = await TestRoster.start();
    client = roster.client();
    await roster.addMembers([{ email: 'fragile@example.com' }]);
    member = (await client.admin.organization.users.list({ emails: ['fragile@example.com'] })).data[0]!.id;
  });
  after(() => roster.close());

  const failsWithoutTrace = (change: () => Promise<unknown>) => assertFailsWithoutTrace(roster, change);

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

  test('a group deletion is rolled back: its members, roles and project seat remain', async () => {
    const group = await client.admin.organization.groups.create({ name: 'Fragile group' });
    await client.admin.organization.groups.users.create(group.id, { user_id: member });
    const { id: projectId } = await client.admin.organization.projects.create({ name: 'Fragile project' });
    await client.admin.organization.projects.groups.create(projectId, { group_id: group.id, role: 'role-api-project-member' });
    await failsWithoutTrace(() => client.admin.organization.groups.delete(group.id));
    assert.deepEqual((await client.admin.organization.groups.users.list(group.id)).data.map((u) => u.id), [member]);
    assert.equal((await client.admin.organization.projects.groups.roles.list(group.id, { project_id: projectId })).data.length, 1);
  });

  test('seating a group in a project is rolled back with its role', async () => {
    const group = await client.admin.organization.groups.create({ name: 'Never seated' });
    const { id: projectId } = await client.admin.organization.projects.create({ name: 'Unseated project' });
    await failsWithoutTrace(() => client.admin.organization.projects.groups.create(projectId, { group_id: group.id, role: 'role-api-project-viewer' }));
    assert.deepEqual((await client.admin.organization.projects.groups.list(projectId)).data, []);
    assert.deepEqual(await roster.db.selectFrom('group_role_assignments').select('role_id').where('group_id', '=', group.id).execute(), []);
  });
});
