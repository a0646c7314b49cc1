import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { assertApiError } from '../../support/errors.ts';
import { createProject } from '../../support/fixtures.ts';
import { assertPagesInBothOrders } from '../../support/pagination.ts';
import { referenceOperations } from '../../support/reference.ts';
import { TestRoster } from '../../support/roster.ts';

describe('groups', () => {
  let roster: TestRoster;
  let sdk: OpenAI;
  let names = 0;
  const uniqueName = (label: string) => `${label} ${++names}`;

  before(async () => {
    roster = await TestRoster.start();
    sdk = roster.client();
  });
  after(() => roster.close());

  test('a created group can be retrieved and is listed; it is not SCIM-managed and is audited', async () => {
    const name = uniqueName('Support Team');
    const group = await sdk.admin.organization.groups.create({ name });
    assert.match(group.id, /^group_[0-9A-Za-z]{24}$/);
    assert.equal(group.name, name);
    assert.equal(group.is_scim_managed, false);
    assert.equal(group.group_type, 'group');
    assert.equal(typeof group.created_at, 'number');
    assert.deepEqual(await sdk.admin.organization.groups.retrieve(group.id), group);

    const listed: string[] = [];
    for await (const item of sdk.admin.organization.groups.list()) listed.push(item.id);
    assert.ok(listed.includes(group.id));

    const [event] = (await roster.auditEvents('group.created')).filter((e) => e.resource_id === group.id);
    assert.deepEqual(event!.details, { id: group.id, data: { group_name: name } });
  });

  test('names are unique ignoring case, and a refused create changes nothing', async () => {
    const name = uniqueName('Sales');
    await sdk.admin.organization.groups.create({ name });
    const before = (await roster.auditEvents('group.created')).length;
    await assertApiError(sdk.admin.organization.groups.create({ name: name.toUpperCase() }), OpenAI.BadRequestError, {
      param: 'name',
      code: 'group_name_taken',
      message: /already exists/,
    });
    assert.equal((await roster.auditEvents('group.created')).length, before);
  });

  test('names must be 1 to 255 characters and not blank', async () => {
    await assertApiError(sdk.admin.organization.groups.create({ name: '' }), OpenAI.BadRequestError, { param: 'name' });
    await assertApiError(sdk.admin.organization.groups.create({ name: 'x'.repeat(256) }), OpenAI.BadRequestError, { param: 'name' });
    await assertApiError(sdk.admin.organization.groups.create({ name: '   ' }), OpenAI.BadRequestError, { param: 'name' });
    const longest = await sdk.admin.organization.groups.create({ name: 'y'.repeat(255) });
    assert.equal(longest.name.length, 255);
  });

  test('renaming changes the name, is audited once, and refuses a name another group has', async () => {
    const group = await sdk.admin.organization.groups.create({ name: uniqueName('Escalation') });
    const other = await sdk.admin.organization.groups.create({ name: uniqueName('Other') });
    const renamed = await sdk.admin.organization.groups.update(group.id, { name: 'Escalations desk' });
    assert.deepEqual(renamed, { ...group, name: 'Escalations desk' });
    assert.equal((await sdk.admin.organization.groups.retrieve(group.id)).name, 'Escalations desk');
    await sdk.admin.organization.groups.update(group.id, { name: 'Escalations desk' });
    const events = (await roster.auditEvents('group.updated')).filter((e) => e.resource_id === group.id);
    assert.deepEqual(events.map((e) => e.details), [{ id: group.id, changes_requested: { group_name: 'Escalations desk' } }]);

    await assertApiError(sdk.admin.organization.groups.update(group.id, { name: other.name.toLowerCase() }), OpenAI.BadRequestError, {
      code: 'group_name_taken',
    });
    // A change of case only is a rename of the same group.
    const recased = await sdk.admin.organization.groups.update(group.id, { name: 'ESCALATIONS DESK' });
    assert.equal(recased.name, 'ESCALATIONS DESK');
  });

  test('deleting a group ends its memberships, roles and project seats in one go, and is audited', async () => {
    const group = await sdk.admin.organization.groups.create({ name: uniqueName('Doomed') });
    await roster.addMembers([{ email: `doomed-${names}@example.com`, name: 'Dora' }]);
    const [member] = (await sdk.admin.organization.users.list({ emails: [`doomed-${names}@example.com`] })).data;
    await sdk.admin.organization.groups.users.create(group.id, { user_id: member!.id });
    const role = await sdk.admin.organization.roles.create({ role_name: uniqueName('Doomed role'), permissions: [] });
    await sdk.admin.organization.groups.roles.create(group.id, { role_id: role.id });
    const projectId = await createProject(sdk, uniqueName('Doomed project'));
    await sdk.admin.organization.projects.groups.create(projectId, { group_id: group.id, role: 'role-api-project-viewer' });

    assert.deepEqual(await sdk.admin.organization.groups.delete(group.id), { object: 'group.deleted', id: group.id, deleted: true });
    await assertApiError(sdk.admin.organization.groups.retrieve(group.id), OpenAI.NotFoundError, { param: 'group_id' });
    await assertApiError(sdk.admin.organization.groups.delete(group.id), OpenAI.NotFoundError);
    for (const table of ['group_users', 'group_role_assignments', 'project_groups'] as const) {
      const left = await roster.db.selectFrom(table).select('group_id').where('group_id', '=', group.id).execute();
      assert.deepEqual(left, [], `${table} rows outlived the group`);
    }
    const held = await sdk.admin.organization.users.roles.list(member!.id);
    assert.deepEqual(held.data.map((r) => r.name), ['reader']);
    assert.deepEqual((await sdk.admin.organization.projects.groups.list(projectId)).data, []);
    const events = (await roster.auditEvents('group.deleted')).filter((e) => e.resource_id === group.id);
    assert.deepEqual(events.map((e) => e.details), [{ id: group.id }]);
  });

  test('the list is by id, ascending unless asked, 100 at a time by default, and pages through next', async () => {
    const other = await roster.createOrganization('groups-owner@example.com');
    const otherSdk = roster.client(other.adminKeyValue);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await otherSdk.admin.organization.groups.create({ name: `Paged ${i}` })).id);
    const page = await otherSdk.admin.organization.groups.list();
    assert.deepEqual(page.data.map((g) => g.id), ids);
    assert.deepEqual([page.has_more, page.next], [false, null]);
    await assertPagesInBothOrders((query) => otherSdk.admin.organization.groups.list(query), ids, 2);
    // Another organization's groups are not this one's.
    await assertApiError(sdk.admin.organization.groups.retrieve(ids[0]!), OpenAI.NotFoundError);
  });

  test('limit is bounded by 0 and 1000', async () => {
    const tooMany = await roster.request('GET', '/v1/organization/groups?limit=1001');
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.error.param, 'limit');
    const none = await sdk.admin.organization.groups.list({ limit: 0 });
    assert.deepEqual(none.data, []);
  });

  test("the served OpenAPI document has all 21 group operations of the reference, under the reference's operationId", async () => {
    const served = (await roster.request('GET', '/v1/openapi.json', { key: null })).body.paths;
    const expected = ['/organization/groups', '/organization/projects/{project_id}/groups', '/projects/{project_id}/groups'].flatMap((prefix) =>
      referenceOperations(prefix),
    );
    assert.equal(expected.length, 21);
    for (const op of expected) {
      assert.equal(served[`/v1${op.path}`]?.[op.method.toLowerCase()]?.operationId, op.operationId, `${op.method} ${op.path}`);
    }
  });
});
