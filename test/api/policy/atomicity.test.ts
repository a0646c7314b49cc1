import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type OpenAI from 'openai';
import { assertFailsWithoutTrace } from '../../support/audit-failure.ts';
import { makeCertificate } from '../../support/certificates.ts';
import { createProject } from '../../support/fixtures.ts';
import { TestRoster } from '../../support/roster.ts';

/** Every policy write and its audit event are kept or lost together: with the event refused, nothing changes. */
describe('policy changes and their audit events are kept or lost together', () => {
  let roster: TestRoster;
  let client: OpenAI;
  let projectId: string;
  const organization = () => client.admin.organization;
  const failsWithoutTrace = (change: () => Promise<unknown>) => assertFailsWithoutTrace(roster, change);

  before(async () => {
    roster = await TestRoster.start();
    client = roster.client();
    projectId = await createProject(client, 'Fragile');
  });
  after(() => roster.close());

  test('certificates: no upload, activation or deletion is kept', async () => {
    await failsWithoutTrace(() => organization().certificates.create({ name: 'Lost', certificate: makeCertificate() }));
    assert.deepEqual((await organization().certificates.list()).data, []);
    const { id } = await organization().certificates.create({ name: 'Kept', certificate: makeCertificate() });
    await failsWithoutTrace(() => organization().certificates.activate({ certificate_ids: [id] }));
    await failsWithoutTrace(() => organization().projects.certificates.activate(projectId, { certificate_ids: [id] }));
    await failsWithoutTrace(() => organization().certificates.update(id, { name: 'Renamed' }));
    await failsWithoutTrace(() => organization().certificates.delete(id));
    const [listed] = (await organization().projects.certificates.list(projectId)).data;
    assert.deepEqual([listed!.name, listed!.active], ['Kept', false]);
    assert.equal((await organization().certificates.list()).data[0]!.active, false);
  });

  test('settings: rate limits, permissions, retention, spend limits and alerts stay as they were', async () => {
    const before = async () => ({
      rateLimit: (await organization().projects.rateLimits.listRateLimits(projectId, { limit: 100 })).data.find((l) => l.id === 'rl_o3'),
      models: await organization().projects.modelPermissions.retrieve(projectId),
      tools: await organization().projects.hostedToolPermissions.retrieve(projectId),
      retention: await organization().dataRetention.retrieve(),
      alerts: (await organization().spendAlerts.list()).data,
    });
    const initial = await before();
    await failsWithoutTrace(() => organization().projects.rateLimits.updateRateLimit('rl_o3', { project_id: projectId, max_requests_per_1_minute: 1 }));
    await failsWithoutTrace(() => organization().projects.modelPermissions.update(projectId, { mode: 'allow_list', model_ids: ['o3'] }));
    await failsWithoutTrace(() => organization().projects.hostedToolPermissions.update(projectId, { mcp: { enabled: false } }));
    await failsWithoutTrace(() => organization().dataRetention.update({ retention_type: 'zero_data_retention' }));
    await failsWithoutTrace(() =>
      organization().spendAlerts.create({ threshold_amount: 1, currency: 'USD', interval: 'month', notification_channel: { type: 'email', recipients: ['a@example.com'] } }),
    );
    await failsWithoutTrace(() => organization().spendLimit.update({ threshold_amount: 1, currency: 'USD', interval: 'month' }));
    assert.deepEqual(await before(), initial);
    await assert.rejects(organization().spendLimit.retrieve(), (error: { status?: number }) => error.status === 404);
  });
});
