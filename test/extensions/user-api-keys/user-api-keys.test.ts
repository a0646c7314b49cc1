import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { createProject } from '../../support/fixtures.ts';
import { TestRoster } from '../../support/roster.ts';

describe('POST /roster/v1/projects/{project_id}/api_keys', () => {
  let roster: TestRoster;
  let client: OpenAI;
  let projectId: string;

  before(async () => {
    roster = await TestRoster.start();
    client = roster.client();
    projectId = await createProject(client, 'Keys');
    await client.admin.organization.projects.users.create(projectId, { user_id: roster.org.ownerId, role: 'owner' });
  });
  after(() => roster.close());

  const create = (body: object, project = projectId) => roster.request('POST', `/roster/v1/projects/${project}/api_keys`, { body });

  test('makes a key for a project member with scopes and expiry, audited as api_key.created', async () => {
    const before = Math.floor(Date.now() / 1000);
    const response = await create({ user_id: roster.org.ownerId, name: 'CI', scopes: ['api.model.request'], expires_in_seconds: 60 });
    assert.equal(response.status, 200);
    assert.match(response.body.value, /^sk-proj-/);
    assert.deepEqual(response.body.scopes, ['api.model.request']);
    assert.ok(response.body.expires_at >= before + 60 && response.body.expires_at <= before + 62);
    const [event] = (await roster.auditEvents('api_key.created')).filter((e) => e.resource_id === response.body.id);
    assert.deepEqual(event!.details, { id: response.body.id, data: { scopes: ['api.model.request'] } });
    assert.equal(event!.project_id, projectId);
  });

  test('refuses someone outside the project (400 on user_id) and an archived project', async () => {
    const outsider = await create({ user_id: 'user-nobody', name: 'x' });
    assert.equal(outsider.status, 400);
    assert.equal(outsider.body.error.param, 'user_id');
    const archived = await createProject(client, 'Gone', { archived: true });
    const refused = await create({ user_id: roster.org.ownerId, name: 'x' }, archived);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.code, 'project_archived');
  });

  test('needs an admin key', async () => {
    const response = await roster.request('POST', `/roster/v1/projects/${projectId}/api_keys`, { key: null, body: { user_id: roster.org.ownerId, name: 'x' } });
    assert.equal(response.status, 401);
  });
});
