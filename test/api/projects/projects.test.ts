import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { TestRoster } from '../../support/roster.ts';
import { assertRefused } from './refusals.ts';

describe('projects', () => {
  let roster: TestRoster;
  let client: OpenAI;
  let defaultProjectId: string;

  before(async () => {
    roster = await TestRoster.start();
    client = roster.client();
    const [first] = (await client.admin.organization.projects.list()).data;
    defaultProjectId = first!.id;
  });
  after(() => roster.close());

  async function activeIds(): Promise<string[]> {
    const ids: string[] = [];
    for await (const project of client.admin.organization.projects.list({ limit: 100 })) ids.push(project.id);
    return ids;
  }

  describe('the default project', () => {
    test('every organization starts with one, named "Default project"', async () => {
      const page = await client.admin.organization.projects.list();
      assert.equal(page.data.length, 1);
      const project = page.data[0]!;
      assert.equal(project.name, 'Default project');
      assert.equal(project.status, 'active');
      assert.match(project.id, /^proj_[0-9A-Za-z]{24}$/);
    });

    test('cannot be renamed', async () => {
      await assertRefused(client.admin.organization.projects.update(defaultProjectId, { name: 'Renamed' }), {
        status: 400,
        param: 'name',
        code: 'default_project',
      });
      assert.equal((await client.admin.organization.projects.retrieve(defaultProjectId)).name, 'Default project');
    });

    test('cannot be archived', async () => {
      await assertRefused(client.admin.organization.projects.archive(defaultProjectId), { status: 400, code: 'default_project' });
      assert.equal((await client.admin.organization.projects.retrieve(defaultProjectId)).status, 'active');
    });
  });

  describe('POST /v1/organization/projects', () => {
    test('creates an active project, answering 200 with exactly the keys the real API sends', async () => {
      const response = await roster.request('POST', '/v1/organization/projects', { body: { name: 'Project ABC' } });
      assert.equal(response.status, 200);
      assert.deepEqual(Object.keys(response.body).sort(), ['archived_at', 'created_at', 'id', 'name', 'object', 'status']);
      assert.equal(response.body.object, 'organization.project');
      assert.equal(response.body.name, 'Project ABC');
      assert.equal(response.body.status, 'active');
      assert.equal(response.body.archived_at, null);
      assert.deepEqual(await client.admin.organization.projects.retrieve(response.body.id), response.body);
    });

    test('is audited as project.created with the name, scoped to the new project', async () => {
      const project = await client.admin.organization.projects.create({ name: 'Audited' });
      const events = (await roster.auditEvents('project.created')).filter((e) => e.resource_id === project.id);
      assert.equal(events.length, 1);
      assert.deepEqual(events[0]!.details, { id: project.id, data: { name: 'Audited' } });
      assert.equal(events[0]!.project_id, project.id);
      assert.equal(events[0]!.project_name, 'Audited');
    });

    test('keeps residency and external_key_id when given', async () => {
      const project = await client.admin.organization.projects.create({
        name: 'In Europe',
        residency: 'EU_STORAGE_PROCESSING',
        external_key_id: 'ekm_key_1',
      });
      assert.equal(project.residency, 'EU_STORAGE_PROCESSING');
      assert.equal(project.external_key_id, 'ekm_key_1');
      const reread = await client.admin.organization.projects.retrieve(project.id);
      assert.equal(reread.residency, 'EU_STORAGE_PROCESSING');
    });

    test('an unknown residency is refused with the supported values', async () => {
      await assertRefused(client.admin.organization.projects.create({ name: 'Moon', residency: 'MOON_STORAGE' as never }), {
        status: 400,
        param: 'residency',
        code: 'invalid_value',
        message: /'GLOBAL'/,
      });
    });

    test('the legacy geography field is refused, pointing to residency', async () => {
      await assertRefused(client.admin.organization.projects.create({ name: 'Old style', geography: 'EU' }), {
        status: 400,
        param: 'geography',
        message: /residency/,
      });
    });

    test('a name is required, non-blank and at most 255 characters', async () => {
      await assertRefused(client.admin.organization.projects.create({} as never), { status: 400, param: 'name', code: 'missing_required_parameter' });
      await assertRefused(client.admin.organization.projects.create({ name: '' }), { status: 400, param: 'name' });
      await assertRefused(client.admin.organization.projects.create({ name: '   ' }), { status: 400, param: 'name' });
      await assertRefused(client.admin.organization.projects.create({ name: 'x'.repeat(256) }), {
        status: 400,
        param: 'name',
        code: 'string_above_max_length',
      });
      assert.ok((await client.admin.organization.projects.create({ name: 'x'.repeat(255) })).id);
    });

    test('a refused create writes nothing', async () => {
      const before = await activeIds();
      const events = (await roster.auditEvents('project.created')).length;
      await assertRefused(client.admin.organization.projects.create({ name: 'Nope', unknown: 1 } as never), { status: 400, param: 'unknown' });
      assert.deepEqual(await activeIds(), before);
      assert.equal((await roster.auditEvents('project.created')).length, events);
    });
  });

  describe('POST /v1/organization/projects/{project_id}', () => {
    test('renames the project and audits project.updated with the new title', async () => {
      const project = await client.admin.organization.projects.create({ name: 'Before' });
      const renamed = await client.admin.organization.projects.update(project.id, { name: 'After' });
      assert.equal(renamed.name, 'After');
      assert.equal((await client.admin.organization.projects.retrieve(project.id)).name, 'After');
      const events = (await roster.auditEvents('project.updated')).filter((e) => e.resource_id === project.id);
      assert.equal(events.length, 1);
      assert.deepEqual(events[0]!.details, { id: project.id, changes_requested: { title: 'After' } });
    });

    test('a request that changes nothing returns the project and writes no event', async () => {
      const project = await client.admin.organization.projects.create({ name: 'Steady' });
      assert.equal((await client.admin.organization.projects.update(project.id, { name: 'Steady' })).name, 'Steady');
      assert.equal((await client.admin.organization.projects.update(project.id, {})).name, 'Steady');
      assert.equal((await roster.auditEvents('project.updated')).filter((e) => e.resource_id === project.id).length, 0);
    });

    test('sets and clears the external key', async () => {
      const project = await client.admin.organization.projects.create({ name: 'Keyed' });
      assert.equal((await client.admin.organization.projects.update(project.id, { external_key_id: 'ekm_2' })).external_key_id, 'ekm_2');
      const cleared = await client.admin.organization.projects.update(project.id, { external_key_id: null });
      assert.equal(cleared.external_key_id, undefined);
    });

    test('an unknown project is a 404', async () => {
      await assertRefused(client.admin.organization.projects.update('proj_missing', { name: 'X' }), { status: 404, param: 'project_id' });
      await assertRefused(client.admin.organization.projects.retrieve('proj_missing'), { status: 404 });
    });
  });

  describe('POST /v1/organization/projects/{project_id}/archive', () => {
    test('archives the project: it leaves the default list, stays retrievable, and is audited', async () => {
      const project = await client.admin.organization.projects.create({ name: 'Short-lived' });
      const archived = await client.admin.organization.projects.archive(project.id);
      assert.equal(archived.status, 'archived');
      assert.equal(typeof archived.archived_at, 'number');
      assert.deepEqual(await client.admin.organization.projects.retrieve(project.id), archived);
      assert.ok(!(await activeIds()).includes(project.id));
      const events = (await roster.auditEvents('project.archived')).filter((e) => e.resource_id === project.id);
      assert.equal(events.length, 1);
      assert.deepEqual(events[0]!.details, { id: project.id });
    });

    test('archiving twice is refused with project_archived', async () => {
      const project = await client.admin.organization.projects.create({ name: 'Twice' });
      await client.admin.organization.projects.archive(project.id);
      await assertRefused(client.admin.organization.projects.archive(project.id), { status: 400, code: 'project_archived', message: /archived/ });
      assert.equal((await roster.auditEvents('project.archived')).filter((e) => e.resource_id === project.id).length, 1);
    });

    test('an archived project cannot be renamed', async () => {
      const project = await client.admin.organization.projects.create({ name: 'Frozen' });
      await client.admin.organization.projects.archive(project.id);
      await assertRefused(client.admin.organization.projects.update(project.id, { name: 'Thawed' }), {
        status: 400,
        code: 'project_archived',
        param: 'project_id',
      });
      assert.equal((await client.admin.organization.projects.retrieve(project.id)).name, 'Frozen');
    });

    test('include_archived lists archived projects too, however the boolean is spelled', async () => {
      const project = await client.admin.organization.projects.create({ name: 'Hidden' });
      await client.admin.organization.projects.archive(project.id);
      const withArchived: string[] = [];
      for await (const p of client.admin.organization.projects.list({ include_archived: true, limit: 100 })) withArchived.push(p.id);
      assert.ok(withArchived.includes(project.id));
      for (const [spelling, included] of [['true', true], ['1', true], ['false', false], ['0', false]] as const) {
        const page = await roster.request('GET', `/v1/organization/projects?limit=100&include_archived=${spelling}&after=${defaultProjectId}`);
        assert.equal(page.status, 200);
        assert.equal(page.body.data.some((p: { id: string }) => p.id === project.id), included, spelling);
      }
      const bad = await roster.request('GET', '/v1/organization/projects?include_archived=maybe');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.param, 'include_archived');
    });
  });

  describe('GET /v1/organization/projects', () => {
    test('auto-pagination visits every active project once, in id order, with an exact has_more', async () => {
      const org = await roster.createOrganization('many-projects@example.com');
      const many = roster.client(org.adminKeyValue);
      for (let i = 0; i < 44; i++) await many.admin.organization.projects.create({ name: `Project ${i}` });
      const ids: string[] = [];
      for await (const project of many.admin.organization.projects.list({ limit: 15 })) ids.push(project.id);
      assert.equal(ids.length, 45);
      assert.equal(new Set(ids).size, 45);
      assert.deepEqual(ids, [...ids].sort());

      const firstPage = await many.admin.organization.projects.list();
      assert.equal(firstPage.data.length, 20);
      assert.equal(firstPage.has_more, true);
      const last = await many.admin.organization.projects.list({ after: ids[24], limit: 20 });
      assert.equal(last.data.length, 20);
      assert.equal(last.has_more, false);
    });

    test('a limit outside 1..100 is refused with param limit', async () => {
      await assertRefused(client.admin.organization.projects.list({ limit: 101 }), { status: 400, param: 'limit' });
    });
  });

  describe('isolation between organizations', () => {
    test("another organization's key gets 404 for these projects and does not list them", async () => {
      const project = await client.admin.organization.projects.create({ name: 'Private' });
      const other = await roster.createOrganization('outsider@example.com');
      const outsider = roster.client(other.adminKeyValue);
      await assertRefused(outsider.admin.organization.projects.retrieve(project.id), { status: 404 });
      await assertRefused(outsider.admin.organization.projects.update(project.id, { name: 'Mine' }), { status: 404 });
      await assertRefused(outsider.admin.organization.projects.archive(project.id), { status: 404 });
      const listed = await outsider.admin.organization.projects.list({ include_archived: true });
      assert.deepEqual(listed.data.map((p) => p.name), ['Default project']);
      assert.equal((await client.admin.organization.projects.retrieve(project.id)).status, 'active');
    });
  });
});
