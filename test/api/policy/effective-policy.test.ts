import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type OpenAI from 'openai';
import { effectivePolicy } from '../../../src/api/policy/service.ts';
import { defaultModelCatalogue } from '../../../src/api/rate-limits/catalogue.ts';
import { createProject } from '../../support/fixtures.ts';
import { TestRoster } from '../../support/roster.ts';

const everyTool = { file_search: true, web_search: true, image_generation: true, mcp: true, code_interpreter: true };

describe('effectivePolicy', () => {
  let roster: TestRoster;
  let client: OpenAI;
  let organizationId: string;

  before(async () => {
    roster = await TestRoster.start();
    client = roster.client();
    organizationId = roster.org.organizationId;
  });
  after(() => roster.close());

  test('a project that set nothing: every model at its catalogue limits, no spend limit, the default retention, every tool', async () => {
    const projectId = await createProject(client, 'Defaults');
    const catalogue = defaultModelCatalogue();
    assert.deepEqual(await effectivePolicy(roster.db, organizationId, projectId, 'gpt-4.1'), {
      organization_id: organizationId,
      project_id: projectId,
      allowed_models: [...catalogue.keys()],
      model: { id: 'gpt-4.1', allowed: true, rate_limits: catalogue.get('gpt-4.1') },
      spend_limit: null,
      data_retention: 'modified_abuse_monitoring',
      hosted_tools: everyTool,
    });
    assert.equal((await effectivePolicy(roster.db, organizationId, projectId)).model, null);
  });

  test("every setting made through the API shows, the project's own over the organization's", async () => {
    const fresh = await roster.createOrganization('effective@example.com');
    const sdk = roster.client(fresh.adminKeyValue);
    const org = sdk.admin.organization;
    const projectId = await createProject(sdk, 'Configured');
    await org.dataRetention.update({ retention_type: 'zero_data_retention' });
    await org.spendLimit.update({ threshold_amount: 5000, currency: 'USD', interval: 'month' });
    await org.projects.modelPermissions.update(projectId, { mode: 'allow_list', model_ids: ['o3', 'gpt-4.1-mini'] });
    await org.projects.hostedToolPermissions.update(projectId, { web_search: { enabled: false } });
    await org.projects.rateLimits.updateRateLimit('rl_o3', { project_id: projectId, max_requests_per_1_minute: 9 });

    const inherited = await effectivePolicy(roster.db, fresh.organizationId, projectId, 'o3');
    assert.deepEqual(inherited.allowed_models.sort(), ['gpt-4.1-mini', 'o3']);
    assert.deepEqual(inherited.model, { id: 'o3', allowed: true, rate_limits: { ...defaultModelCatalogue().get('o3'), max_requests_per_1_minute: 9 } });
    assert.deepEqual(inherited.spend_limit, { threshold_amount: 5000, currency: 'USD', interval: 'month', set_by: 'organization' });
    assert.equal(inherited.data_retention, 'zero_data_retention');
    assert.deepEqual(inherited.hosted_tools, { ...everyTool, web_search: false });

    await org.projects.spendLimit.update(projectId, { threshold_amount: 1000, currency: 'USD', interval: 'month' });
    await org.projects.dataRetention.update(projectId, { retention_type: 'none' });
    const own = await effectivePolicy(roster.db, fresh.organizationId, projectId, 'gpt-4.1');
    assert.deepEqual(own.spend_limit, { threshold_amount: 1000, currency: 'USD', interval: 'month', set_by: 'project' });
    assert.equal(own.data_retention, 'none');
    assert.equal(own.model!.allowed, false, 'not on the allow list');
  });

  test('a deny list removes its models; a model outside the catalogue is not allowed and has no limits', async () => {
    const projectId = await createProject(client, 'Denying');
    await client.admin.organization.projects.modelPermissions.update(projectId, { mode: 'deny_list', model_ids: ['gpt-4o'] });
    const policy = await effectivePolicy(roster.db, organizationId, projectId, 'gpt-4o');
    assert.equal(policy.allowed_models.includes('gpt-4o'), false);
    assert.equal(policy.allowed_models.length, defaultModelCatalogue().size - 1);
    assert.equal(policy.model!.allowed, false);
    assert.deepEqual((await effectivePolicy(roster.db, organizationId, projectId, 'not-a-model')).model, { id: 'not-a-model', allowed: false, rate_limits: null });
  });

  test("another organization's project, or an unknown one, is a 404", async () => {
    const other = await roster.createOrganization('effective-other@example.com');
    const theirs = await createProject(roster.client(other.adminKeyValue), 'Theirs');
    await assert.rejects(effectivePolicy(roster.db, organizationId, theirs), (error: { status?: number }) => error.status === 404);
    await assert.rejects(effectivePolicy(roster.db, organizationId, 'proj_missing'), (error: { status?: number }) => error.status === 404);
  });
});
