import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type OpenAI from 'openai';
import { createProject } from '../../support/fixtures.ts';
import { TestRoster } from '../../support/roster.ts';
import { assertRefused } from '../projects/refusals.ts';

describe('data retention', () => {
  let roster: TestRoster;
  let client: OpenAI;

  before(async () => {
    roster = await TestRoster.start();
    client = roster.client();
  });
  after(() => roster.close());

  const organizationRetention = () => client.admin.organization.dataRetention;
  const projectRetention = () => client.admin.organization.projects.dataRetention;

  test('an organization that never chose reads modified_abuse_monitoring; a project follows it', async () => {
    const fresh = await roster.createOrganization('retention-fresh@example.com');
    const sdk = roster.client(fresh.adminKeyValue);
    assert.deepEqual(await sdk.admin.organization.dataRetention.retrieve(), {
      object: 'organization.data_retention',
      type: 'modified_abuse_monitoring',
    });
    const projectId = await createProject(sdk, 'Follows');
    assert.deepEqual(await sdk.admin.organization.projects.dataRetention.retrieve(projectId), {
      object: 'project.data_retention',
      type: 'organization_default',
    });
  });

  test('the organization sets its arrangement, audited as organization.updated naming it', async () => {
    const updated = await organizationRetention().update({ retention_type: 'zero_data_retention' });
    assert.deepEqual(updated, { object: 'organization.data_retention', type: 'zero_data_retention' });
    assert.deepEqual(await organizationRetention().retrieve(), updated);
    const [event] = (await roster.auditEvents('organization.updated')).slice(-1);
    assert.deepEqual(event!.details, { id: roster.org.organizationId, changes_requested: { data_retention: 'zero_data_retention' } });
    assert.equal(event!.project_id, null);
  });

  test('a project sets its own, and organization_default goes back to following; each change audited once', async () => {
    const projectId = await createProject(client, 'Own retention');
    const own = await projectRetention().update(projectId, { retention_type: 'none' });
    assert.deepEqual(own, { object: 'project.data_retention', type: 'none' });
    assert.deepEqual(await projectRetention().retrieve(projectId), own);
    // Setting what is in force again changes nothing and records nothing.
    await projectRetention().update(projectId, { retention_type: 'none' });
    await projectRetention().update(projectId, { retention_type: 'organization_default' });
    assert.equal((await projectRetention().retrieve(projectId)).type, 'organization_default');
    const events = (await roster.auditEvents('project.updated')).filter((e) => e.project_id === projectId);
    assert.deepEqual(
      events.map((e) => e.details.changes_requested),
      [{ data_retention: 'none' }, { data_retention: 'organization_default' }],
    );
  });

  test('a wrong value is a 400 naming retention_type and changes nothing', async () => {
    const before = await organizationRetention().retrieve();
    await assertRefused(organizationRetention().update({ retention_type: 'forever' as never }), {
      status: 400,
      param: 'retention_type',
      code: 'invalid_value',
    });
    // `none` exists for projects only.
    await assertRefused(organizationRetention().update({ retention_type: 'none' as never }), { status: 400, param: 'retention_type' });
    await assertRefused(organizationRetention().update({} as never), { status: 400, param: 'retention_type', code: 'missing_required_parameter' });
    assert.deepEqual(await organizationRetention().retrieve(), before);
  });

  test('an archived project can be read but not changed; an unknown one is a 404', async () => {
    const projectId = await createProject(client, 'Archived retention', { archived: true });
    assert.equal((await projectRetention().retrieve(projectId)).type, 'organization_default');
    await assertRefused(projectRetention().update(projectId, { retention_type: 'none' }), {
      status: 400,
      param: 'project_id',
      code: 'project_archived',
    });
    assert.equal((await projectRetention().retrieve(projectId)).type, 'organization_default');
    await assertRefused(projectRetention().retrieve('proj_missing'), { status: 404, param: 'project_id' });
  });

  test("another organization's project is a 404", async () => {
    const other = await roster.createOrganization('retention-other@example.com');
    const projectId = await createProject(roster.client(other.adminKeyValue), 'Theirs');
    await assertRefused(projectRetention().update(projectId, { retention_type: 'none' }), { status: 404, param: 'project_id' });
  });
});
