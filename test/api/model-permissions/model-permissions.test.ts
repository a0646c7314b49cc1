import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type OpenAI from 'openai';
import { createProject } from '../../support/fixtures.ts';
import { TestRoster } from '../../support/roster.ts';
import { assertRefused } from '../projects/refusals.ts';

describe('project model permissions', () => {
  let roster: TestRoster;
  let client: OpenAI;
  const permissions = () => client.admin.organization.projects.modelPermissions;

  before(async () => {
    roster = await TestRoster.start();
    client = roster.client();
  });
  after(() => roster.close());

  test('a project starts unrestricted: an empty deny list', async () => {
    const projectId = await createProject(client, 'Open');
    assert.deepEqual(await permissions().retrieve(projectId), { object: 'project.model_permissions', mode: 'deny_list', model_ids: [] });
  });

  test('an allow or deny list replaces the one before, repeats kept once, each change audited as project.updated', async () => {
    const projectId = await createProject(client, 'Listed');
    const allowed = await permissions().update(projectId, { mode: 'allow_list', model_ids: ['gpt-4.1', 'o3', 'gpt-4.1'] });
    assert.deepEqual(allowed, { object: 'project.model_permissions', mode: 'allow_list', model_ids: ['gpt-4.1', 'o3'] });
    assert.deepEqual(await permissions().retrieve(projectId), allowed);
    await permissions().update(projectId, { mode: 'allow_list', model_ids: ['gpt-4.1', 'o3'] });
    const denied = await permissions().update(projectId, { mode: 'deny_list', model_ids: ['gpt-image-1'] });
    assert.deepEqual(denied, { object: 'project.model_permissions', mode: 'deny_list', model_ids: ['gpt-image-1'] });
    assert.deepEqual(await permissions().delete(projectId), { object: 'project.model_permissions.deleted', deleted: true });
    assert.deepEqual((await permissions().retrieve(projectId)).model_ids, []);
    await assertRefused(permissions().delete(projectId), { status: 404 });

    const events = (await roster.auditEvents('project.updated')).filter((e) => e.project_id === projectId);
    assert.deepEqual(
      events.map((e) => e.details.changes_requested),
      [
        { model_permissions: { mode: 'allow_list', model_ids: ['gpt-4.1', 'o3'] } },
        { model_permissions: { mode: 'deny_list', model_ids: ['gpt-image-1'] } },
        { model_permissions: null },
      ],
    );
  });

  test('unknown model ids and wrong modes are 400s naming the parameter, changing nothing', async () => {
    const projectId = await createProject(client, 'Strict');
    await permissions().update(projectId, { mode: 'allow_list', model_ids: ['o3'] });
    await assertRefused(permissions().update(projectId, { mode: 'allow_list', model_ids: ['o3', 'gpt-7-ultra'] }), {
      status: 400,
      param: 'model_ids[1]',
      code: 'model_not_found',
      message: /gpt-7-ultra/,
    });
    await assertRefused(permissions().update(projectId, { mode: 'maybe_list' as never, model_ids: [] }), { status: 400, param: 'mode', code: 'invalid_value' });
    await assertRefused(permissions().update(projectId, { mode: 'deny_list' } as never), { status: 400, param: 'model_ids', code: 'missing_required_parameter' });
    assert.deepEqual((await permissions().retrieve(projectId)).model_ids, ['o3']);
  });

  test('an archived project can be read but its list not changed or removed', async () => {
    const projectId = await createProject(client, 'Archived list');
    await permissions().update(projectId, { mode: 'allow_list', model_ids: ['o3'] });
    await client.admin.organization.projects.archive(projectId);
    assert.deepEqual((await permissions().retrieve(projectId)).model_ids, ['o3']);
    for (const call of [() => permissions().update(projectId, { mode: 'deny_list', model_ids: [] }), () => permissions().delete(projectId)]) {
      await assertRefused(call(), { status: 400, param: 'project_id', code: 'project_archived' });
    }
    assert.deepEqual((await permissions().retrieve(projectId)).model_ids, ['o3']);
  });
});
