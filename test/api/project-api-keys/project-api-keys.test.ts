import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { assertApiError } from '../../support/errors.ts';
import { createProject } from '../../support/fixtures.ts';
import { TestRoster, people } from '../../support/roster.ts';

describe('project API keys', () => {
  let roster: TestRoster;
  let client: OpenAI;
  const idOf = new Map<string, string>();

  before(async () => {
    roster = await TestRoster.start();
    client = roster.client();
    await roster.addMembers(people(10));
    for await (const user of client.admin.organization.users.list({ limit: 100 })) idOf.set(user.email!, user.id);
  });
  after(() => roster.close());

  const member = (n: number) => idOf.get(`person-${String(n).padStart(3, '0')}@example.com`)!;
  const apiKeys = () => client.admin.organization.projects.apiKeys;

  /** A person's key, made through roster's extension (the SDK has no method: the real service makes them in its dashboard). */
  async function userKey(projectId: string, userId: string, body: object = {}) {
    const response = await roster.request('POST', `/roster/v1/projects/${projectId}/api_keys`, { body: { user_id: userId, name: 'Laptop', ...body } });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body as OpenAI.Admin.Organization.Projects.ProjectAPIKey & { value: string };
  }

  async function projectWithMember(n: number, role: 'owner' | 'member' = 'member') {
    const projectId = await createProject(client, `Project ${n}`);
    await client.admin.organization.projects.users.create(projectId, { user_id: member(n), role });
    return projectId;
  }

  test('a person’s key shows its owner with their project role, redacted to the first 8 and last 4 characters', async () => {
    const projectId = await projectWithMember(1, 'owner');
    const created = await userKey(projectId, member(1));
    assert.match(created.value, /^sk-proj-[0-9A-Za-z]{128}$/);
    const key = await apiKeys().retrieve(created.id, { project_id: projectId });
    assert.equal(key.object, 'organization.project.api_key');
    assert.equal(key.name, 'Laptop');
    assert.equal(key.redacted_value, `${created.value.slice(0, 8)}${'*'.repeat(created.value.length - 12)}${created.value.slice(-4)}`);
    assert.equal(key.owner_project_access, 'active');
    assert.equal(key.last_used_at, null);
    assert.deepEqual(key.owner, {
      type: 'user',
      user: { id: member(1), email: 'person-001@example.com', name: 'Person 1', created_at: key.owner.user!.created_at, role: 'owner' },
    });
    const { value: _value, ...withoutValue } = created;
    assert.deepEqual(withoutValue, key);
  });

  test('lists keys page by page', async () => {
    const projectId = await projectWithMember(2);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await userKey(projectId, member(2))).id);
    const first = await apiKeys().list(projectId, { limit: 3 });
    assert.deepEqual(first.data.map((k) => k.id), ids.slice(0, 3));
    assert.equal(first.has_more, true);
    const all: string[] = [];
    for await (const key of apiKeys().list(projectId, { limit: 2 })) all.push(key.id);
    assert.deepEqual(all, ids);
  });

  test('owner_project_access filters by whether the owner can still use the project; the default lists active owners', async () => {
    const projectId = await projectWithMember(3);
    await client.admin.organization.projects.users.create(projectId, { user_id: member(4), role: 'member' });
    const staying = await userKey(projectId, member(3));
    const leaving = await userKey(projectId, member(4));
    const account = await client.admin.organization.projects.serviceAccounts.create(projectId, { name: 'App' });
    await client.admin.organization.projects.users.delete(member(4), { project_id: projectId });
    const ids = async (access?: 'active' | 'inactive' | 'any') => (await apiKeys().list(projectId, access ? { owner_project_access: access } : {})).data.map((k) => k.id);
    assert.deepEqual(await ids(), [staying.id, account.api_key!.id]);
    assert.deepEqual(await ids('active'), [staying.id, account.api_key!.id]);
    assert.deepEqual(await ids('inactive'), [leaving.id]);
    assert.deepEqual(await ids('any'), [staying.id, leaving.id, account.api_key!.id]);
    const left = await apiKeys().retrieve(leaving.id, { project_id: projectId });
    assert.equal(left.owner_project_access, 'inactive');
    assert.equal(left.owner.user!.role, 'none');
  });

  test('deletes a person’s key, audited as api_key.deleted with the project; it is then a 404', async () => {
    const projectId = await projectWithMember(5);
    const key = await userKey(projectId, member(5));
    assert.deepEqual(await apiKeys().delete(key.id, { project_id: projectId }), { object: 'organization.project.api_key.deleted', id: key.id, deleted: true });
    await assertApiError(apiKeys().retrieve(key.id, { project_id: projectId }), OpenAI.NotFoundError, { param: 'api_key_id' });
    await assertApiError(apiKeys().delete(key.id, { project_id: projectId }), OpenAI.NotFoundError);
    const [event] = (await roster.auditEvents('api_key.deleted')).filter((e) => e.resource_id === key.id);
    assert.equal(event!.project_id, projectId);
  });

  test('deleting a service account’s key is a 400 that leaves the key', async () => {
    const projectId = await createProject(client, 'Accounts');
    const account = await client.admin.organization.projects.serviceAccounts.create(projectId, { name: 'App' });
    await assertApiError(apiKeys().delete(account.api_key!.id, { project_id: projectId }), OpenAI.BadRequestError, { code: 'service_account_key' });
    assert.equal((await apiKeys().retrieve(account.api_key!.id, { project_id: projectId })).id, account.api_key!.id);
  });

  test('updates scopes and expiry, audited as api_key.updated', async () => {
    const projectId = await projectWithMember(6);
    const key = await userKey(projectId, member(6));
    const before = Math.floor(Date.now() / 1000);
    const updated = await apiKeys().update(key.id, { project_id: projectId, scopes: ['api.all.read'], expires_in_seconds: 600 });
    assert.deepEqual((updated as unknown as { scopes: string[] }).scopes, ['api.all.read']);
    assert.ok(updated.expires_at! >= before + 600 && updated.expires_at! <= before + 602);
    assert.deepEqual(await apiKeys().retrieve(key.id, { project_id: projectId }), updated);
    const [event] = (await roster.auditEvents('api_key.updated')).filter((e) => e.resource_id === key.id);
    assert.deepEqual(event!.details.changes_requested, { scopes: ['api.all.read'], expires_at: updated.expires_at });
  });

  test('an update with nothing to change, or of an expired key, is a 400', async () => {
    const projectId = await projectWithMember(7);
    const key = await userKey(projectId, member(7));
    await assertApiError(apiKeys().update(key.id, { project_id: projectId }), OpenAI.BadRequestError, { code: 'missing_required_parameter' });
    await roster.db.updateTable('project_api_keys').set({ expires_at: 1 }).where('id', '=', key.id).execute();
    await assertApiError(apiKeys().update(key.id, { project_id: projectId, scopes: [] }), OpenAI.BadRequestError, { code: 'api_key_expired' });
  });

  test('keys of another project, or an unknown project, are 404s', async () => {
    const projectId = await projectWithMember(8);
    const other = await createProject(client, 'Other');
    const key = await userKey(projectId, member(8));
    await assertApiError(apiKeys().retrieve(key.id, { project_id: other }), OpenAI.NotFoundError, { param: 'api_key_id' });
    await assertApiError(apiKeys().list('proj_nope'), OpenAI.NotFoundError, { param: 'project_id' });
  });
});
