import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { assertApiError } from '../../support/errors.ts';
import { createProject } from '../../support/fixtures.ts';
import { assertPagesInBothOrders } from '../../support/pagination.ts';
import { TestRoster } from '../../support/roster.ts';

/** The roles a group holds in one scope, through the SDK, so one test body covers both scopes. */
interface GroupHoldings {
  noun: 'organization' | 'project';
  resourceId: string;
  resourceType: 'api.organization' | 'api.project';
  predefined: string[];
  list(groupId: string, query?: { limit?: number; order?: 'asc' | 'desc' }): ReturnType<OpenAI['admin']['organization']['groups']['roles']['list']>;
  assign(groupId: string, roleId: string): Promise<{ object: string; group: { id: string; name: string; scim_managed: boolean }; role: { id: string } }>;
  retrieve(groupId: string, roleId: string): Promise<{ id: string; assignment_sources: unknown }>;
  unassign(groupId: string, roleId: string): Promise<unknown>;
  createRole(name: string): Promise<{ id: string }>;
  deleteRole(roleId: string): Promise<unknown>;
  predefinedId(name: string): string;
  /** A new group able to hold roles here (seated with `viewer` in a project). */
  newGroup(): Promise<string>;
}

describe('group role assignments', () => {
  let roster: TestRoster;
  let sdk: OpenAI;
  let count = 0;

  before(async () => {
    roster = await TestRoster.start();
    sdk = roster.client();
  });
  after(() => roster.close());

  const group = async () => (await sdk.admin.organization.groups.create({ name: `Holder ${++count}` })).id;

  function organizationHoldings(): GroupHoldings {
    const organizationId = roster.org.organizationId;
    const roles = sdk.admin.organization.groups.roles;
    return {
      noun: 'organization',
      resourceId: organizationId,
      resourceType: 'api.organization',
      predefined: ['owner', 'reader'],
      list: (groupId, query) => roles.list(groupId, query),
      assign: (groupId, roleId) => roles.create(groupId, { role_id: roleId }),
      retrieve: (groupId, roleId) => roles.retrieve(roleId, { group_id: groupId }),
      unassign: (groupId, roleId) => roles.delete(roleId, { group_id: groupId }),
      createRole: (name) => sdk.admin.organization.roles.create({ role_name: name, permissions: ['api.groups.read'] }),
      deleteRole: (roleId) => sdk.admin.organization.roles.delete(roleId),
      predefinedId: (name) => `role-api-organization-${name}__api-organization__${organizationId}`,
      newGroup: group,
    };
  }

  async function projectHoldings(): Promise<GroupHoldings> {
    const projectId = await createProject(sdk, `Project ${++count}`);
    const roles = sdk.admin.organization.projects.groups.roles;
    return {
      noun: 'project',
      resourceId: projectId,
      resourceType: 'api.project',
      predefined: ['owner', 'member', 'viewer'],
      list: (groupId, query) => roles.list(groupId, { project_id: projectId, ...query }) as never,
      assign: (groupId, roleId) => roles.create(groupId, { project_id: projectId, role_id: roleId }),
      retrieve: (groupId, roleId) => roles.retrieve(roleId, { project_id: projectId, group_id: groupId }),
      unassign: (groupId, roleId) => roles.delete(roleId, { project_id: projectId, group_id: groupId }),
      createRole: (name) => sdk.admin.organization.projects.roles.create(projectId, { role_name: name, permissions: ['api.model.read'] }),
      deleteRole: (roleId) => sdk.admin.organization.projects.roles.delete(roleId, { project_id: projectId }),
      predefinedId: (name) => `role-api-project-${name}__api-project__${projectId}`,
      async newGroup() {
        const groupId = await group();
        await sdk.admin.organization.projects.groups.create(projectId, { group_id: groupId, role: 'role-api-project-viewer' });
        return groupId;
      },
    };
  }

  const scopes = [
    { noun: 'organization', holdings: async () => organizationHoldings() },
    { noun: 'project', holdings: projectHoldings },
  ];

  for (const scope of scopes) {
    describe(`${scope.noun} group roles`, () => {
      const events = async (type: string, groupId: string) => (await roster.auditEvents(type)).filter((e) => e.details.principal_id === groupId);

      test('assigning a custom role answers with the group and the role, is listed, retrieved and audited once', async () => {
        const holdings = await scope.holdings();
        const groupId = await holdings.newGroup();
        const role = await holdings.createRole(`Custom ${++count}`);
        const assigned = await holdings.assign(groupId, role.id);
        assert.equal(assigned.object, 'group.role');
        assert.equal(assigned.group.id, groupId);
        assert.equal(assigned.group.scim_managed, false);
        assert.deepEqual(assigned.role, role);
        assert.deepEqual(await holdings.assign(groupId, role.id), assigned, 'assigning again changes nothing');

        const listed = (await holdings.list(groupId)).data;
        assert.ok(listed.some((r) => r.id === role.id));
        const details = await holdings.retrieve(groupId, role.id);
        assert.deepEqual(details, listed.find((r) => r.id === role.id));
        assert.equal(details.assignment_sources, null);
        const created = (await events('role.assignment.created', groupId)).filter((e) => e.details.id === `${role.id}__group__${groupId}`);
        assert.deepEqual(created.map((e) => e.details), [
          { id: `${role.id}__group__${groupId}`, principal_id: groupId, principal_type: 'group', resource_id: holdings.resourceId, resource_type: holdings.resourceType },
        ]);
      });

      test('predefined roles are held as assignments too, in short or scoped form', async () => {
        const holdings = await scope.holdings();
        const groupId = await holdings.newGroup();
        const name = holdings.predefined[0]!;
        const assigned = await holdings.assign(groupId, `role-api-${holdings.noun}-${name}`);
        assert.equal(assigned.role.id, holdings.predefinedId(name));
        const details = await holdings.retrieve(groupId, holdings.predefinedId(name));
        assert.equal(details.id, holdings.predefinedId(name));
      });

      test('unassigning removes the role once and is audited; a role the group does not hold is a 404', async () => {
        const holdings = await scope.holdings();
        const groupId = await holdings.newGroup();
        const role = await holdings.createRole(`Temporary ${++count}`);
        await holdings.assign(groupId, role.id);
        assert.deepEqual(await holdings.unassign(groupId, role.id), { object: 'group.role.deleted', deleted: true });
        await assertApiError(holdings.retrieve(groupId, role.id), OpenAI.NotFoundError, { param: 'role_id' });
        await assertApiError(holdings.unassign(groupId, role.id), OpenAI.NotFoundError, { param: 'role_id' });
        const deleted = await events('role.assignment.deleted', groupId);
        assert.deepEqual(deleted.map((e) => e.details.id), [`${role.id}__group__${groupId}`]);
      });

      test('deleting a custom role takes it from the groups that held it', async () => {
        const holdings = await scope.holdings();
        const groupId = await holdings.newGroup();
        const role = await holdings.createRole(`Doomed ${++count}`);
        await holdings.assign(groupId, role.id);
        await holdings.deleteRole(role.id);
        assert.ok(!(await holdings.list(groupId)).data.some((r) => r.id === role.id));
      });

      test('a role of another scope is a 400 on role_id; an unknown group is a 404', async () => {
        const holdings = await scope.holdings();
        const groupId = await holdings.newGroup();
        const other = holdings.noun === 'organization' ? 'role-api-project-member' : 'role-api-organization-owner';
        await assertApiError(holdings.assign(groupId, other), OpenAI.BadRequestError, { param: 'role_id' });
        await assertApiError(holdings.assign('group_missing', holdings.predefinedId(holdings.predefined[0]!)), OpenAI.NotFoundError, { param: 'group_id' });
        await assertApiError(holdings.list('group_missing'), OpenAI.NotFoundError, { param: 'group_id' });
      });

      test('auto-pagination goes past one page of assignments, in both orders', async () => {
        const holdings = await scope.holdings();
        const groupId = await holdings.newGroup();
        for (let i = 0; i < 4; i++) await holdings.assign(groupId, (await holdings.createRole(`Paged ${++count}`)).id);
        const all = (await holdings.list(groupId)).data.map((r) => r.id);
        assert.equal(all.length, holdings.noun === 'project' ? 5 : 4);
        await assertPagesInBothOrders((query) => holdings.list(groupId, query) as never, all, 2);
      });
    });
  }

  test('in a project a group keeps at least one role; one not seated there is a 404', async () => {
    const holdings = await projectHoldings();
    const groupId = await holdings.newGroup();
    const viewer = holdings.predefinedId('viewer');
    await assertApiError(holdings.unassign(groupId, viewer), OpenAI.BadRequestError, { param: 'role_id', code: 'last_project_role' });
    await holdings.assign(groupId, holdings.predefinedId('member'));
    await holdings.unassign(groupId, viewer);
    assert.deepEqual((await holdings.list(groupId)).data.map((r) => r.name), ['member']);

    const unseated = await group();
    await assertApiError(holdings.assign(unseated, viewer), OpenAI.NotFoundError, { param: 'group_id' });
    await assertApiError(holdings.list(unseated), OpenAI.NotFoundError, { param: 'group_id' });
  });
});
