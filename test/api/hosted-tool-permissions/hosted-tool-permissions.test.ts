import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type OpenAI from 'openai';
import { createProject } from '../../support/fixtures.ts';
import { TestRoster } from '../../support/roster.ts';
import { assertRefused } from '../projects/refusals.ts';

const on = { enabled: true };
const off = { enabled: false };

describe('project hosted tool permissions', () => {
  let roster: TestRoster;
  let client: OpenAI;
  const tools = () => client.admin.organization.projects.hostedToolPermissions;

  before(async () => {
    roster = await TestRoster.start();
    client = roster.client();
  });
  after(() => roster.close());

  test('every tool is enabled at first', async () => {
    const projectId = await createProject(client, 'All tools');
    assert.deepEqual(await tools().retrieve(projectId), { file_search: on, web_search: on, image_generation: on, mcp: on, code_interpreter: on });
  });

  test('an update switches the named tools only; null and absent tools keep theirs; audited as project.updated', async () => {
    const projectId = await createProject(client, 'Some tools');
    const updated = await tools().update(projectId, { web_search: off, mcp: off });
    assert.deepEqual(updated, { file_search: on, web_search: off, image_generation: on, mcp: off, code_interpreter: on });
    const again = await tools().update(projectId, { mcp: on, web_search: null, code_interpreter: on });
    assert.deepEqual(again, { file_search: on, web_search: off, image_generation: on, mcp: on, code_interpreter: on });
    assert.deepEqual(await tools().retrieve(projectId), again);
    const events = (await roster.auditEvents('project.updated')).filter((e) => e.project_id === projectId);
    assert.deepEqual(
      events.map((e) => e.details.changes_requested),
      [{ hosted_tool_permissions: { web_search: off, mcp: off } }, { hosted_tool_permissions: { mcp: on } }],
    );
  });

  test('unknown tools and non-boolean values are 400s naming the parameter, changing nothing', async () => {
    const projectId = await createProject(client, 'Strict tools');
    await assertRefused(tools().update(projectId, { teleport: off } as never), { status: 400, param: 'teleport', code: 'unknown_parameter' });
    await assertRefused(tools().update(projectId, { mcp: { enabled: 'no' } } as never), { status: 400, param: 'mcp.enabled', code: 'invalid_type' });
    await assertRefused(tools().update(projectId, { mcp: {} } as never), { status: 400, param: 'mcp.enabled', code: 'missing_required_parameter' });
    assert.equal((await tools().retrieve(projectId)).mcp.enabled, true);
  });

  test('an archived project can be read but not changed', async () => {
    const projectId = await createProject(client, 'Archived tools', { archived: true });
    assert.equal((await tools().retrieve(projectId)).web_search.enabled, true);
    await assertRefused(tools().update(projectId, { web_search: off }), { status: 400, param: 'project_id', code: 'project_archived' });
    assert.equal((await tools().retrieve(projectId)).web_search.enabled, true);
  });
});
