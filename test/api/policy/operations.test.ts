import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { makeCertificate } from '../../support/certificates.ts';
import { createProject } from '../../support/fixtures.ts';
import { TestRoster } from '../../support/roster.ts';

type Paths = Record<string, Record<string, { operationId?: string } | string>>;

/** The reference's tier-D operations: what issue 13 makes real. */
function tierDOperations(): { method: string; path: string; operationId: string }[] {
  const { paths } = parse(readFileSync(new URL('../../../reference/openai-admin-openapi.yaml', import.meta.url), 'utf8')) as { paths: Paths };
  return Object.entries(paths)
    .filter(([, item]) => item['x-tier'] === 'D')
    .flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => ['get', 'post', 'delete'].includes(method))
        .map(([method, operation]) => ({ method, path, operationId: (operation as { operationId: string }).operationId })),
    );
}

describe('policy and spend operations', () => {
  let roster: TestRoster;

  before(async () => {
    roster = await TestRoster.start();
  });
  after(() => roster.close());

  test("all 37 tier-D operations are served under the reference's path and operationId", async () => {
    const expected = tierDOperations();
    assert.equal(expected.length, 37);
    const served = (await roster.request('GET', '/v1/openapi.json', { key: null })).body.paths;
    for (const op of expected) {
      assert.equal(served[`/v1${op.path}`]?.[op.method]?.operationId, op.operationId, `${op.method.toUpperCase()} ${op.path}`);
    }
  });

  test('their audit events list through the SDK in the shape the reference gives each type', async () => {
    const client = roster.client();
    const organization = client.admin.organization;
    const projectId = await createProject(client, 'Audited policy');
    const { id } = await organization.certificates.create({ name: 'Listed', certificate: makeCertificate() });
    await organization.certificates.update(id, { name: 'Renamed' });
    await organization.certificates.activate({ certificate_ids: [id] });
    await organization.projects.certificates.activate(projectId, { certificate_ids: [id] });
    await organization.projects.certificates.deactivate(projectId, { certificate_ids: [id] });
    await organization.certificates.deactivate({ certificate_ids: [id] });
    await organization.certificates.delete(id);
    await organization.projects.rateLimits.updateRateLimit('rl_o3', { project_id: projectId, max_requests_per_1_minute: 3 });
    await organization.dataRetention.update({ retention_type: 'zero_data_retention' });
    await organization.projects.modelPermissions.update(projectId, { mode: 'allow_list', model_ids: ['o3'] });

    const types = [
      'certificate.created',
      'certificate.updated',
      'certificate.deleted',
      'certificates.activated',
      'certificates.deactivated',
      'rate_limit.updated',
      'organization.updated',
      'project.updated',
    ] as const;
    const seen = new Map<string, number>();
    for await (const event of organization.auditLogs.list({ event_types: [...types], limit: 100 })) seen.set(event.type, (seen.get(event.type) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(types.map((type) => [type, seen.get(type)])), {
      'certificate.created': 1,
      'certificate.updated': 1,
      'certificate.deleted': 1,
      'certificates.activated': 2,
      'certificates.deactivated': 2,
      'rate_limit.updated': 1,
      'organization.updated': 1,
      'project.updated': 1,
    });
  });
});
