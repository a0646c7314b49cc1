import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { assertApiError } from '../../support/errors.ts';
import { createProject } from '../../support/fixtures.ts';
import { TestRoster } from '../../support/roster.ts';

describe('project groups', () => {
  let roster: TestRoster;
  let sdk: OpenAI;
  let count = 0;

  before(async () => {
    roster = await TestRoster.start();
    sdk = roster.client();
  });
  after(() => roster.close());

  const newGroup = async () => sdk.admin.organization.groups.create({ name: `Seated ${++count}` });
  const newProject = () => createProject(sdk, `Project ${++count}`);
  const projectRoles = (projectId: string, groupId: string) =>
    sdk.admin.organization.projects.groups.roles.list(groupId, { project_id: projectId });

  test('a group added with a predefined role (short form) is seated, holds the role, and the grant is audited', async () => {
    const [group, projectId] = [await newGroup(), await newProject()];
    const seated = await sdk.admin.organization.projects.groups.create(projectId, { group_id: group.id, role: 'role-api-project-member' });
    assert.equal(seated.object, 'project.group');
    assert.deepEqual({ ...seated, created_at: 0 }, { object: 'project.group', project_id: projectId, group_id: group.id, group_name: group.name, group_type: 'group', created_at: 0 });
    assert.deepEqual(await sdk.admin.organization.projects.groups.retrieve(group.id, { project_id: projectId }), seated);
    assert.deepEqual(await sdk.admin.organization.projects.groups.retrieve(group.id, { project_id: projectId, group_type: 'group' }), seated);
    await assertApiError(sdk.admin.organization.projects.groups.retrieve(group.id, { project_id: projectId, group_type: 'tenant_group' }), OpenAI.NotFoundError);
    assert.deepEqual((await sdk.admin.organization.projects.groups.list(projectId)).data, [seated]);

    const memberRoleId = `role-api-project-member__api-project__${projectId}`;
    assert.deepEqual((await projectRoles(projectId, group.id)).data.map((r) => r.id), [memberRoleId]);
    const [event] = (await roster.auditEvents('role.assignment.created')).filter((e) => e.details.principal_id === group.id);
    assert.deepEqual(event!.details, {
      id: `${memberRoleId}__group__${group.id}`,
      principal_id: group.id,
      principal_type: 'group',
      resource_id: projectId,
      resource_type: 'api.project',
    });
    assert.equal(event!.project_id, projectId);
  });

  test('the role may be a scoped predefined id or a custom role of the project, never another scope\'s', async () => {
    const projectId = await newProject();
    const custom = await sdk.admin.organization.projects.roles.create(projectId, { role_name: 'Key keeper', permissions: ['api.organization.projects.api_keys.read'] });
    const [a, b] = [await newGroup(), await newGroup()];
    await sdk.admin.organization.projects.groups.create(projectId, { group_id: a.id, role: custom.id });
    assert.deepEqual((await projectRoles(projectId, a.id)).data.map((r) => r.id), [custom.id]);
    await sdk.admin.organization.projects.groups.create(projectId, { group_id: b.id, role: `role-api-project-owner__api-project__${projectId}` });
    assert.deepEqual((await projectRoles(projectId, b.id)).data.map((r) => r.name), ['owner']);

    const c = await newGroup();
    const orgRole = await sdk.admin.organization.roles.create({ role_name: `Org only ${count}`, permissions: [] });
    for (const role of [orgRole.id, 'role-api-organization-owner', 'role_unknown']) {
      await assertApiError(sdk.admin.organization.projects.groups.create(projectId, { group_id: c.id, role }), OpenAI.BadRequestError, { param: 'role' });
    }
    assert.deepEqual((await sdk.admin.organization.projects.groups.list(projectId)).data.map((g) => g.group_id).includes(c.id), false);
  });

  test('a group already in the project is a 400; unknown groups and projects are 404s', async () => {
    const [group, projectId] = [await newGroup(), await newProject()];
    await sdk.admin.organization.projects.groups.create(projectId, { group_id: group.id, role: 'role-api-project-viewer' });
    await assertApiError(
      sdk.admin.organization.projects.groups.create(projectId, { group_id: group.id, role: 'role-api-project-member' }),
      OpenAI.BadRequestError,
      { param: 'group_id', code: 'group_already_in_project', message: /already exists in project/ },
    );
    assert.deepEqual((await projectRoles(projectId, group.id)).data.map((r) => r.name), ['viewer']);
    await assertApiError(sdk.admin.organization.projects.groups.create(projectId, { group_id: 'group_missing', role: 'role-api-project-viewer' }), OpenAI.NotFoundError, { param: 'group_id' });
    await assertApiError(sdk.admin.organization.projects.groups.list('proj_missing'), OpenAI.NotFoundError, { param: 'project_id' });
    const other = await newGroup();
    await assertApiError(sdk.admin.organization.projects.groups.retrieve(other.id, { project_id: projectId }), OpenAI.NotFoundError, { param: 'group_id' });
  });

  test('removing a group ends the roles it held in the project, each audited', async () => {
    const [group, projectId] = [await newGroup(), await newProject()];
    const custom = await sdk.admin.organization.projects.roles.create(projectId, { role_name: 'Extra', permissions: [] });
    await sdk.admin.organization.projects.groups.create(projectId, { group_id: group.id, role: 'role-api-project-member' });
    await sdk.admin.organization.projects.groups.roles.create(group.id, { project_id: projectId, role_id: custom.id });
    assert.deepEqual(await sdk.admin.organization.projects.groups.delete(group.id, { project_id: projectId }), { object: 'project.group.deleted', deleted: true });
    assert.deepEqual((await sdk.admin.organization.projects.groups.list(projectId)).data, []);
    await assertApiError(projectRoles(projectId, group.id), OpenAI.NotFoundError, { param: 'group_id' });
    await assertApiError(sdk.admin.organization.projects.groups.delete(group.id, { project_id: projectId }), OpenAI.NotFoundError);
    const ended = (await roster.auditEvents('role.assignment.deleted')).filter((e) => e.details.principal_id === group.id);
    assert.deepEqual(ended.map((e) => e.details.id).sort(), [`role-api-project-member__api-project__${projectId}__group__${group.id}`, `${custom.id}__group__${group.id}`].sort());
    // Seated again, it starts from the role it is given then.
    await sdk.admin.organization.projects.groups.create(projectId, { group_id: group.id, role: 'role-api-project-viewer' });
    assert.deepEqual((await projectRoles(projectId, group.id)).data.map((r) => r.name), ['viewer']);
  });

  test('deleting the custom role a group was seated with leaves the group seated with no role', async () => {
    const [group, projectId] = [await newGroup(), await newProject()];
    const custom = await sdk.admin.organization.projects.roles.create(projectId, { role_name: 'Fleeting', permissions: [] });
    await sdk.admin.organization.projects.groups.create(projectId, { group_id: group.id, role: custom.id });
    await sdk.admin.organization.projects.roles.delete(custom.id, { project_id: projectId });
    assert.deepEqual((await projectRoles(projectId, group.id)).data, []);
    assert.equal((await sdk.admin.organization.projects.groups.retrieve(group.id, { project_id: projectId })).group_id, group.id);
    await sdk.admin.organization.projects.groups.roles.create(group.id, { project_id: projectId, role_id: 'role-api-project-viewer' });
    assert.deepEqual((await projectRoles(projectId, group.id)).data.map((r) => r.name), ['viewer']);
  });

  test('an archived project can be read but its groups cannot change', async () => {
    const [group, projectId] = [await newGroup(), await newProject()];
    const seated = await sdk.admin.organization.projects.groups.create(projectId, { group_id: group.id, role: 'role-api-project-member' });
    await sdk.admin.organization.projects.archive(projectId);
    assert.deepEqual((await sdk.admin.organization.projects.groups.list(projectId)).data, [seated]);
    assert.equal((await projectRoles(projectId, group.id)).data.length, 1);
    const other = await newGroup();
    const refusals = [
      () => sdk.admin.organization.projects.groups.create(projectId, { group_id: other.id, role: 'role-api-project-member' }),
      () => sdk.admin.organization.projects.groups.delete(group.id, { project_id: projectId }),
      () => sdk.admin.organization.projects.groups.roles.create(group.id, { project_id: projectId, role_id: 'role-api-project-viewer' }),
      () => sdk.admin.organization.projects.groups.roles.delete('role-api-project-member', { project_id: projectId, group_id: group.id }),
    ];
    for (const refusal of refusals) await assertApiError(refusal(), OpenAI.BadRequestError, { code: 'project_archived' });
    assert.deepEqual((await sdk.admin.organization.projects.groups.list(projectId)).data, [seated]);
  });

  test('the list is by group id, and auto-pagination follows next (the group id) in both orders', async () => {
    const projectId = await newProject();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const group = await newGroup();
      await sdk.admin.organization.projects.groups.create(projectId, { group_id: group.id, role: 'role-api-project-viewer' });
      ids.push(group.id);
    }
    const pages: string[] = [];
    for await (const item of sdk.admin.organization.projects.groups.list(projectId, { limit: 2 })) pages.push(item.group_id);
    assert.deepEqual(pages, ids);
    const descending: string[] = [];
    for await (const item of sdk.admin.organization.projects.groups.list(projectId, { limit: 2, order: 'desc' })) descending.push(item.group_id);
    assert.deepEqual(descending, [...ids].reverse());
    const first = await sdk.admin.organization.projects.groups.list(projectId, { limit: 2 });
    assert.deepEqual([first.has_more, first.next], [true, ids[1]]);
    const tooMany = await roster.request('GET', `/v1/organization/projects/${projectId}/groups?limit=101`);
    assert.equal(tooMany.status, 400);
  });
});
