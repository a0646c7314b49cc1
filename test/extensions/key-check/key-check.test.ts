import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { predefinedRole } from '../../../src/api/roles/predefined.ts';
import { setPlatformCredential } from '../../../src/http/platform-credentials.ts';
import { createProject } from '../../support/fixtures.ts';
import { TestRoster } from '../../support/roster.ts';

const GATEWAY_TOKEN = 'sk-gateway-test-token';

describe('POST /roster/v1/keys/check', () => {
  let roster: TestRoster;
  let client: OpenAI;
  let projectId: string;
  let memberId: string;

  before(async () => {
    roster = await TestRoster.start();
    client = roster.client();
    await setPlatformCredential(roster.db, 'gateway', GATEWAY_TOKEN);
    await roster.addMembers([{ email: 'dev@example.com', name: 'Dev', role: 'reader' }]);
    memberId = (await client.admin.organization.users.list({ emails: ['dev@example.com'] })).data[0]!.id;
    projectId = await createProject(client, 'Inference');
    await client.admin.organization.projects.users.create(projectId, { user_id: memberId, role: 'member' });
  });
  after(() => roster.close());

  const check = async (key: string, credential: string = GATEWAY_TOKEN) => {
    const response = await roster.request('POST', '/roster/v1/keys/check', { key: credential, body: { key } });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body;
  };

  async function userKey(userId = memberId, body: object = {}, project = projectId): Promise<{ id: string; value: string }> {
    const response = await roster.request('POST', `/roster/v1/projects/${project}/api_keys`, { body: { user_id: userId, name: 'Key', ...body } });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body;
  }

  const union = (...lists: (readonly string[])[]) => [...new Set(lists.flat())].sort();

  test("a person's key is active, with its owner, scopes and the permissions of their organization and project roles", async () => {
    const key = await userKey();
    const { policy, ...answer } = await check(key.value);
    assert.equal(policy.model, null, 'no model was named');
    assert.deepEqual(answer, {
      object: 'roster.key_check',
      active: true,
      reason: null,
      key_id: key.id,
      organization_id: roster.org.organizationId,
      project_id: projectId,
      owner: { type: 'user', id: memberId, name: 'Dev', email: 'dev@example.com', role: 'member' },
      expires_at: null,
      scopes: [],
      permissions: union(predefinedRole('api.project', 'member')!.permissions, predefinedRole('api.organization', 'reader')!.permissions),
    });
  });

  test('custom roles held in the organization and in the project add their permissions', async () => {
    const orgRole = await client.admin.organization.roles.create({ role_name: 'Auditor', permissions: ['api.audit_logs.read'] });
    const projectRole = await client.admin.organization.projects.roles.create(projectId, { role_name: 'Key keeper', permissions: ['api.organization.projects.api_keys.write'] });
    await client.admin.organization.users.roles.create(memberId, { role_id: orgRole.id });
    await client.admin.organization.projects.users.roles.create(memberId, { project_id: projectId, role_id: projectRole.id });
    const answer = await check((await userKey()).value);
    assert.ok(answer.permissions.includes('api.audit_logs.read'), answer.permissions.join());
    assert.ok(answer.permissions.includes('api.organization.projects.api_keys.write'), answer.permissions.join());
    await client.admin.organization.users.roles.delete(orgRole.id, { user_id: memberId });
    await client.admin.organization.projects.users.roles.delete(projectRole.id, { project_id: projectId, user_id: memberId });
  });

  test("roles the owner's groups hold, in the organization and in the project, add their permissions", async () => {
    const group = await client.admin.organization.groups.create({ name: 'Model users' });
    await client.admin.organization.groups.users.create(group.id, { user_id: memberId });
    const orgRole = await client.admin.organization.roles.create({ role_name: 'Usage reader', permissions: ['api.usage.read'] });
    const projectRole = await client.admin.organization.projects.roles.create(projectId, { role_name: 'Key reader', permissions: ['api.organization.projects.api_keys.read'] });
    await client.admin.organization.groups.roles.create(group.id, { role_id: orgRole.id });
    await client.admin.organization.projects.groups.create(projectId, { group_id: group.id, role: projectRole.id });
    const key = await userKey();
    const answer = await check(key.value);
    assert.ok(answer.permissions.includes('api.usage.read'), answer.permissions.join());
    assert.ok(answer.permissions.includes('api.organization.projects.api_keys.read'), answer.permissions.join());

    await client.admin.organization.groups.delete(group.id);
    await new Promise((resolve) => setTimeout(resolve, 600)); // past the half-second key cache
    const after = await check(key.value);
    assert.ok(!after.permissions.includes('api.usage.read') && !after.permissions.includes('api.organization.projects.api_keys.read'), after.permissions.join());
  });

  test("the answer carries the project's policy for the asked-for model, and a setting changed is seen within a second", async () => {
    const key = await userKey();
    const before = (await roster.request('POST', '/roster/v1/keys/check', { key: GATEWAY_TOKEN, body: { key: key.value, model: 'o3' } })).body;
    assert.equal(before.policy.model.id, 'o3');
    assert.equal(before.policy.model.allowed, true);
    assert.ok(before.policy.model.rate_limits.max_requests_per_1_minute > 0);
    assert.ok(before.policy.allowed_models.includes('o3'));
    assert.equal(before.policy.spend_limit, null);

    const org = client.admin.organization;
    await org.projects.modelPermissions.update(projectId, { mode: 'deny_list', model_ids: ['o3'] });
    await org.projects.rateLimits.updateRateLimit('rl_gpt-4.1', { project_id: projectId, max_requests_per_1_minute: 7 });
    await org.projects.spendLimit.update(projectId, { threshold_amount: 2500, currency: 'USD', interval: 'month' });
    await org.projects.hostedToolPermissions.update(projectId, { web_search: { enabled: false } });
    await new Promise((resolve) => setTimeout(resolve, 600)); // past the half-second policy cache
    const denied = (await roster.request('POST', '/roster/v1/keys/check', { key: GATEWAY_TOKEN, body: { key: key.value, model: 'o3' } })).body;
    assert.equal(denied.active, true, 'the key stays active: the gateway refuses the model');
    assert.equal(denied.policy.model.allowed, false);
    assert.ok(!denied.policy.allowed_models.includes('o3'));
    assert.deepEqual(denied.policy.spend_limit, { threshold_amount: 2500, currency: 'USD', interval: 'month', set_by: 'project' });
    assert.equal(denied.policy.hosted_tools.web_search, false);
    const limited = (await roster.request('POST', '/roster/v1/keys/check', { key: GATEWAY_TOKEN, body: { key: key.value, model: 'gpt-4.1' } })).body;
    assert.equal(limited.policy.model.rate_limits.max_requests_per_1_minute, 7);

    await org.projects.modelPermissions.delete(projectId);
    await org.projects.spendLimit.delete(projectId);
    await org.projects.hostedToolPermissions.update(projectId, { web_search: { enabled: true } });
  });

  test("scopes narrow the owner's permissions: api.all.read keeps the reads, other scopes keep themselves", async () => {
    const readOnly = await check((await userKey(memberId, { scopes: ['api.all.read'] })).value);
    assert.deepEqual(readOnly.scopes, ['api.all.read']);
    assert.ok(readOnly.permissions.length > 0 && readOnly.permissions.every((p: string) => p.endsWith('.read')), readOnly.permissions.join());
    const narrow = await check((await userKey(memberId, { scopes: ['api.model.request', 'api.management.write'] })).value);
    assert.deepEqual(narrow.permissions, ['api.model.request'], 'a scope the owner lacks grants nothing');
  });

  test("a service account's key acts with the account's project role", async () => {
    const account = await client.admin.organization.projects.serviceAccounts.create(projectId, { name: 'Batch' });
    const answer = await check(account.api_key!.value);
    assert.equal(answer.active, true);
    assert.deepEqual(answer.owner, { type: 'service_account', id: account.id, name: 'Batch', email: null, role: 'member' });
    assert.deepEqual(answer.permissions, [...predefinedRole('api.project', 'member')!.permissions].sort());
  });

  describe('inactive keys say why', () => {
    test('unknown', async () => {
      assert.deepEqual(await check('sk-proj-never-issued'), {
        object: 'roster.key_check',
        active: false,
        reason: 'unknown',
        key_id: null,
        organization_id: null,
        project_id: null,
        owner: null,
        expires_at: null,
        scopes: [],
        permissions: [],
        policy: null,
      });
    });

    test('deleted, from the next check on', async () => {
      const key = await userKey();
      assert.equal((await check(key.value)).active, true);
      await client.admin.organization.projects.apiKeys.delete(key.id, { project_id: projectId });
      const answer = await check(key.value);
      assert.equal(answer.active, false);
      assert.equal(answer.reason, 'deleted');
      assert.equal(answer.key_id, key.id);
    });

    test('deleted with its service account', async () => {
      const account = await client.admin.organization.projects.serviceAccounts.create(projectId, { name: 'Short-lived' });
      assert.equal((await check(account.api_key!.value)).active, true);
      await client.admin.organization.projects.serviceAccounts.delete(account.id, { project_id: projectId });
      assert.equal((await check(account.api_key!.value)).reason, 'deleted');
    });

    test('expired', async () => {
      const key = await userKey();
      await roster.db.updateTable('project_api_keys').set({ expires_at: Math.floor(Date.now() / 1000) }).where('id', '=', key.id).execute();
      assert.equal((await check(key.value)).reason, 'expired');
    });

    test('project archived, from the next check on', async () => {
      const doomed = await createProject(client, 'Doomed');
      await client.admin.organization.projects.users.create(doomed, { user_id: memberId, role: 'owner' });
      const key = await userKey(memberId, {}, doomed);
      assert.equal((await check(key.value)).active, true);
      await client.admin.organization.projects.archive(doomed);
      assert.equal((await check(key.value)).reason, 'project_archived');
    });

    test('owner no longer in the project, from the next check on; or a service account without a role', async () => {
      await roster.addMembers([{ email: 'leaver@example.com' }]);
      const leaver = (await client.admin.organization.users.list({ emails: ['leaver@example.com'] })).data[0]!.id;
      await client.admin.organization.projects.users.create(projectId, { user_id: leaver, role: 'member' });
      const key = await userKey(leaver);
      assert.equal((await check(key.value)).active, true);
      await client.admin.organization.projects.users.delete(leaver, { project_id: projectId });
      assert.equal((await check(key.value)).reason, 'owner_not_in_project');

      const bare = await client.admin.organization.projects.serviceAccounts.create(projectId, { name: 'Bare', create_service_account_only: true });
      const bareKey = await client.admin.organization.projects.serviceAccounts.apiKeys.create(bare.id, { project_id: projectId });
      assert.equal((await check(bareKey.value)).reason, 'owner_not_in_project');
    });
  });

  describe('who may ask', () => {
    test("an admin key sees its own organization's keys, and another organization's as unknown", async () => {
      const key = await userKey();
      assert.equal((await check(key.value, roster.org.adminKeyValue)).active, true);
      const other = await roster.createOrganization('other-owner@example.com');
      const answer = await check(key.value, other.adminKeyValue);
      assert.equal(answer.reason, 'unknown');
      assert.equal(answer.project_id, null);
    });

    test('the gateway token can do nothing else (403), and no credential is a 401', async () => {
      const refused = await roster.request('GET', '/v1/organization/users', { key: GATEWAY_TOKEN });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'credential_not_accepted');
      const anonymous = await roster.request('POST', '/roster/v1/keys/check', { key: null, body: { key: 'x' } });
      assert.equal(anonymous.status, 401);
      const projectKey = await userKey();
      const notACredential = await roster.request('POST', '/roster/v1/keys/check', { key: projectKey.value, body: { key: projectKey.value } });
      assert.equal(notACredential.status, 401, 'a project key cannot ask about keys');
    });
  });

  test('records when a key was last checked, at most once a minute', async () => {
    const key = await userKey();
    await check(key.value);
    const listed = await client.admin.organization.projects.apiKeys.retrieve(key.id, { project_id: projectId });
    const now = Math.floor(Date.now() / 1000);
    assert.ok(listed.last_used_at !== null && Math.abs(listed.last_used_at - now) <= 2);
  });
});
