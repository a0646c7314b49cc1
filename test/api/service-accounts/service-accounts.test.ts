import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { hashSecret } from '../../../src/lib/secrets.ts';
import { assertApiError } from '../../support/errors.ts';
import { createProject } from '../../support/fixtures.ts';
import { TestRoster } from '../../support/roster.ts';

describe('project service accounts', () => {
  let roster: TestRoster;
  let client: OpenAI;

  before(async () => {
    roster = await TestRoster.start();
    client = roster.client();
  });
  after(() => roster.close());

  const accounts = () => client.admin.organization.projects.serviceAccounts;

  describe('POST /v1/organization/projects/{project_id}/service_accounts', () => {
    test('creates a member account and its first key, whose value is shown once and stored as a digest', async () => {
      const projectId = await createProject(client, 'Service project');
      const created = await accounts().create(projectId, { name: 'Production app' });
      assert.equal(created.object, 'organization.project.service_account');
      assert.match(created.id, /^svc_acct_/);
      assert.equal(created.name, 'Production app');
      assert.equal(created.role, 'member');
      const key = created.api_key!;
      assert.equal(key.object, 'organization.project.service_account.api_key');
      assert.equal(key.name, 'Secret Key');
      assert.match(key.value, /^sk-svcacct-[0-9A-Za-z]{128}$/);
      assert.equal(key.expires_at, null);
      const stored = await roster.db.selectFrom('project_api_keys').selectAll().where('id', '=', key.id).executeTakeFirstOrThrow();
      assert.equal(stored.secret_hash, hashSecret(key.value));
      assert.ok(!JSON.stringify(stored).includes(key.value), 'the clear value is not stored');
      const listed = await client.admin.organization.projects.apiKeys.retrieve(key.id, { project_id: projectId });
      assert.equal(listed.redacted_value, key.value.slice(0, 8) + '*'.repeat(key.value.length - 12) + key.value.slice(-4));
      assert.deepEqual(listed.owner, {
        type: 'service_account',
        service_account: { id: created.id, name: 'Production app', created_at: created.created_at, role: 'member' },
      });
    });

    test('with create_service_account_only it has role none and no key', async () => {
      const projectId = await createProject(client, 'Project');
      const created = await accounts().create(projectId, { name: 'Bare', create_service_account_only: true });
      assert.equal(created.role, 'none');
      assert.equal(created.api_key, null);
      const keys = await client.admin.organization.projects.apiKeys.list(projectId, { owner_project_access: 'any' });
      assert.equal(keys.data.length, 0);
    });

    test('expires_in_seconds sets the first key’s expiry, and is refused without a key', async () => {
      const projectId = await createProject(client, 'Project');
      const before = Math.floor(Date.now() / 1000);
      const created = await accounts().create(projectId, { name: 'Short', expires_in_seconds: 3600 });
      assert.ok(created.api_key!.expires_at! >= before + 3600 && created.api_key!.expires_at! <= before + 3602);
      await assertApiError(accounts().create(projectId, { name: 'Bare', create_service_account_only: true, expires_in_seconds: 60 }), OpenAI.BadRequestError, {
        param: 'expires_in_seconds',
      });
    });

    test('is audited as service_account.created and api_key.created, with the project', async () => {
      const projectId = await createProject(client, 'Audited');
      const created = await accounts().create(projectId, { name: 'Audited app' });
      const [account] = (await roster.auditEvents('service_account.created')).filter((e) => e.resource_id === created.id);
      assert.deepEqual(account!.details, { id: created.id, data: { role: 'member' } });
      assert.equal(account!.project_id, projectId);
      const [key] = (await roster.auditEvents('api_key.created')).filter((e) => e.resource_id === created.api_key!.id);
      assert.deepEqual(key!.details, { id: created.api_key!.id, data: { scopes: [] } });
      assert.equal(key!.project_name, 'Audited');
    });

    test('an archived project is refused with project_archived, and an unknown one is a 404', async () => {
      const archived = await createProject(client, 'Old', { archived: true });
      await assertApiError(accounts().create(archived, { name: 'x' }), OpenAI.BadRequestError, { code: 'project_archived' });
      await assertApiError(accounts().list(archived), OpenAI.BadRequestError, { code: 'project_archived' });
      await assertApiError(accounts().create('proj_unknown', { name: 'x' }), OpenAI.NotFoundError, { param: 'project_id' });
    });
  });

  describe('list, retrieve, update', () => {
    test('lists a project’s accounts page by page', async () => {
      const projectId = await createProject(client, 'Project');
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await accounts().create(projectId, { name: `Account ${i}`, create_service_account_only: true })).id);
      const first = await accounts().list(projectId, { limit: 2 });
      assert.deepEqual(first.data.map((a) => a.id), ids.slice(0, 2));
      assert.equal(first.has_more, true);
      const all: string[] = [];
      for await (const account of accounts().list(projectId, { limit: 2 })) all.push(account.id);
      assert.deepEqual(all, ids);
    });

    test('retrieves one, and another project’s account is a 404', async () => {
      const projectId = await createProject(client, 'Project');
      const other = await createProject(client, 'Project');
      const created = await accounts().create(projectId, { name: 'Mine' });
      const { api_key: _key, ...account } = created;
      assert.deepEqual(await accounts().retrieve(created.id, { project_id: projectId }), account);
      await assertApiError(accounts().retrieve(created.id, { project_id: other }), OpenAI.NotFoundError, { param: 'service_account_id' });
    });

    test('renames and changes the role, audited as service_account.updated', async () => {
      const projectId = await createProject(client, 'Project');
      const created = await accounts().create(projectId, { name: 'Before' });
      const updated = await accounts().update(created.id, { project_id: projectId, name: 'After', role: 'owner' });
      assert.equal(updated.name, 'After');
      assert.equal(updated.role, 'owner');
      const [event] = (await roster.auditEvents('service_account.updated')).filter((e) => e.resource_id === created.id);
      assert.deepEqual(event!.details, { id: created.id, changes_requested: { name: 'After', role: 'owner' } });
      const key = await client.admin.organization.projects.apiKeys.retrieve(created.api_key!.id, { project_id: projectId });
      assert.equal(key.owner.service_account!.role, 'owner');
    });

    test('an unknown role is a 400 naming it', async () => {
      const projectId = await createProject(client, 'Project');
      const created = await accounts().create(projectId, { name: 'x' });
      await assertApiError(accounts().update(created.id, { project_id: projectId, role: 'viewer' as 'owner' }), OpenAI.BadRequestError, { param: 'role' });
    });
  });

  describe('DELETE and extra keys', () => {
    test('deleting an account deletes its keys', async () => {
      const projectId = await createProject(client, 'Project');
      const created = await accounts().create(projectId, { name: 'Doomed' });
      const second = await accounts().apiKeys.create(created.id, { project_id: projectId, name: 'Second', scopes: ['api.model.request'] });
      const deleted = await accounts().delete(created.id, { project_id: projectId });
      assert.deepEqual(deleted, { object: 'organization.project.service_account.deleted', id: created.id, deleted: true });
      await assertApiError(accounts().retrieve(created.id, { project_id: projectId }), OpenAI.NotFoundError);
      for (const keyId of [created.api_key!.id, second.id]) {
        await assertApiError(client.admin.organization.projects.apiKeys.retrieve(keyId, { project_id: projectId }), OpenAI.NotFoundError);
      }
      const [event] = (await roster.auditEvents('service_account.deleted')).filter((e) => e.resource_id === created.id);
      assert.equal(event!.project_id, projectId);
    });

    test('creates another key with a name and scopes, shown once', async () => {
      const projectId = await createProject(client, 'Project');
      const created = await accounts().create(projectId, { name: 'Multi', create_service_account_only: true });
      const key = await accounts().apiKeys.create(created.id, { project_id: projectId, name: 'Production App', scopes: ['api.responses.write'] });
      assert.equal(key.object, 'organization.project.service_account.api_key');
      assert.equal(key.name, 'Production App');
      assert.match(key.value, /^sk-svcacct-/);
      const stored = await client.admin.organization.projects.apiKeys.retrieve(key.id, { project_id: projectId });
      assert.deepEqual((stored as unknown as { scopes: string[] }).scopes, ['api.responses.write']);
      // An account without a role has no access to the project: its key is listed as inactive.
      assert.equal(stored.owner_project_access, 'inactive');
    });

    test('a key with no body gets the default name', async () => {
      const projectId = await createProject(client, 'Project');
      const created = await accounts().create(projectId, { name: 'Default' });
      const key = await accounts().apiKeys.create(created.id, { project_id: projectId });
      assert.equal(key.name, 'Secret Key');
    });
  });
});
