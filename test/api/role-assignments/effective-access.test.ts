import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { effectiveRoles } from '../../../src/api/role-assignments/effective.ts';
import { organizationScope } from '../../../src/api/roles/scope.ts';
import { assertApiError } from '../../support/errors.ts';
import { createProject } from '../../support/fixtures.ts';
import { assertPagesInBothOrders } from '../../support/pagination.ts';
import { TestRoster } from '../../support/roster.ts';

describe('effective access through groups', () => {
  let roster: TestRoster;
  let sdk: OpenAI;
  let count = 0;

  before(async () => {
    roster = await TestRoster.start();
    sdk = roster.client();
  });
  after(() => roster.close());

  async function newMember(): Promise<string> {
    const email = `effective-${++count}@example.com`;
    await roster.addMembers([{ email, name: `Effective ${count}` }]);
    return (await sdk.admin.organization.users.list({ emails: [email] })).data[0]!.id;
  }

  async function groupWith(userId: string): Promise<{ id: string; name: string }> {
    const created = await sdk.admin.organization.groups.create({ name: `Team ${++count}` });
    await sdk.admin.organization.groups.users.create(created.id, { user_id: userId });
    return created;
  }

  const orgRole = async () => sdk.admin.organization.roles.create({ role_name: `Granted ${++count}`, permissions: ['api.usage.read'] });
  const readerId = () => `role-api-organization-reader__api-organization__${roster.org.organizationId}`;

  test("a role a user's group holds is in the user's list, naming the group as its source", async () => {
    const userId = await newMember();
    const team = await groupWith(userId);
    const role = await orgRole();
    await sdk.admin.organization.groups.roles.create(team.id, { role_id: role.id });

    const held = (await sdk.admin.organization.users.roles.list(userId)).data;
    assert.deepEqual(held.map((r) => r.id), [readerId(), role.id]);
    assert.equal(held[0]!.assignment_sources, null, 'a role held only directly names no source');
    assert.deepEqual(held[1]!.assignment_sources, [{ principal_id: team.id, principal_type: 'group' }]);
    assert.deepEqual(await sdk.admin.organization.users.roles.retrieve(role.id, { user_id: userId }), held[1]);

    // Leaving the group takes the role away.
    await sdk.admin.organization.groups.users.delete(userId, { group_id: team.id });
    assert.deepEqual((await sdk.admin.organization.users.roles.list(userId)).data.map((r) => r.id), [readerId()]);
  });

  test('a role held directly and through two groups is listed once, with every source', async () => {
    const userId = await newMember();
    const [first, second] = [await groupWith(userId), await groupWith(userId)];
    const role = await orgRole();
    for (const team of [first, second]) await sdk.admin.organization.groups.roles.create(team.id, { role_id: role.id });
    await sdk.admin.organization.users.roles.create(userId, { role_id: role.id });
    // A predefined role the user holds anyway, also given by a group.
    await sdk.admin.organization.groups.roles.create(first.id, { role_id: 'role-api-organization-reader' });

    const held = (await sdk.admin.organization.users.roles.list(userId)).data;
    assert.deepEqual(held.map((r) => r.id), [readerId(), role.id]);
    const self = { principal_id: userId, principal_type: 'user' };
    assert.deepEqual(held[0]!.assignment_sources, [self, { principal_id: first.id, principal_type: 'group' }]);
    const groupsBySortedId = [first.id, second.id].sort().map((id) => ({ principal_id: id, principal_type: 'group' }));
    assert.deepEqual(held[1]!.assignment_sources, [self, ...groupsBySortedId]);

    // Unassigning the user's own assignment leaves what the groups give.
    await sdk.admin.organization.users.roles.delete(role.id, { user_id: userId });
    const after = (await sdk.admin.organization.users.roles.retrieve(role.id, { user_id: userId })).assignment_sources;
    assert.deepEqual(after, groupsBySortedId);
  });

  test('a role held only through a group cannot be unassigned from the user: the 400 names the group', async () => {
    const userId = await newMember();
    const team = await groupWith(userId);
    const role = await orgRole();
    await sdk.admin.organization.groups.roles.create(team.id, { role_id: role.id });
    await sdk.admin.organization.groups.roles.create(team.id, { role_id: 'role-api-organization-owner' });
    for (const roleId of [role.id, 'role-api-organization-owner']) {
      await assertApiError(sdk.admin.organization.users.roles.delete(roleId, { user_id: userId }), OpenAI.BadRequestError, {
        param: 'role_id',
        code: 'role_held_through_group',
        message: new RegExp(`'${team.name}' \\(${team.id}\\)`),
      });
    }
    assert.equal((await sdk.admin.organization.users.roles.list(userId)).data.length, 3);
    assert.deepEqual((await roster.auditEvents('role.assignment.deleted')).filter((e) => e.details.principal_id === userId), []);
    // The user's legacy role is still their own.
    assert.equal((await sdk.admin.organization.users.retrieve(userId)).role, 'reader');
  });

  test('auto-pagination goes past one page of a user\'s effective roles', async () => {
    const userId = await newMember();
    const team = await groupWith(userId);
    const ids = [readerId()];
    for (let i = 0; i < 3; i++) {
      const role = await orgRole();
      await sdk.admin.organization.groups.roles.create(team.id, { role_id: role.id });
      ids.push(role.id);
    }
    const direct = await orgRole();
    await sdk.admin.organization.users.roles.create(userId, { role_id: direct.id });
    ids.push(direct.id);
    await assertPagesInBothOrders((query) => sdk.admin.organization.users.roles.list(userId, query), ids.sort(), 2);
  });

  test('effectiveRoles gives each role with its sources, for any caller that needs what a user may do', async () => {
    const userId = await newMember();
    const team = await groupWith(userId);
    const role = await orgRole();
    await sdk.admin.organization.groups.roles.create(team.id, { role_id: role.id });
    const roles = await effectiveRoles(roster.db, organizationScope(roster.org.organizationId), userId);
    assert.deepEqual(
      roles.map((entry) => [entry.found.role.id, entry.found.role.permissions, entry.sources]),
      [
        [readerId(), roles[0]!.found.role.permissions, [{ principal_type: 'user', principal_id: userId }]],
        [role.id, ['api.usage.read'], [{ principal_type: 'group', principal_id: team.id }]],
      ],
    );
    assert.deepEqual(await effectiveRoles(roster.db, organizationScope(roster.org.organizationId), 'user-nobody'), []);
  });

  describe('in projects', () => {
    test('a user who reaches a project only through a group holds its roles there, but gets none of their own', async () => {
      const projectId = await createProject(sdk, `Reached ${++count}`);
      const userId = await newMember();
      const team = await groupWith(userId);
      await sdk.admin.organization.projects.groups.create(projectId, { group_id: team.id, role: 'role-api-project-member' });
      const roles = sdk.admin.organization.projects.users.roles;

      const held = (await roles.list(userId, { project_id: projectId })).data;
      const memberId = `role-api-project-member__api-project__${projectId}`;
      assert.deepEqual(held.map((r) => [r.id, r.assignment_sources]), [[memberId, [{ principal_id: team.id, principal_type: 'group' }]]]);
      assert.deepEqual(await roles.retrieve('role-api-project-member', { project_id: projectId, user_id: userId }), held[0]);

      const custom = await sdk.admin.organization.projects.roles.create(projectId, { role_name: 'Own', permissions: [] });
      await assertApiError(roles.create(userId, { project_id: projectId, role_id: custom.id }), OpenAI.BadRequestError, {
        param: 'user_id',
        code: 'user_not_in_project',
        message: new RegExp(team.id),
      });
      await assertApiError(roles.delete(memberId, { project_id: projectId, user_id: userId }), OpenAI.BadRequestError, { code: 'role_held_through_group' });
      // The project's user list shows seats of their own only.
      assert.deepEqual((await sdk.admin.organization.projects.users.list(projectId)).data.map((u) => u.id).includes(userId), false);
    });

    test('removing a user from a project they reach only through a group is refused, naming the group', async () => {
      const projectId = await createProject(sdk, `Through ${++count}`);
      const userId = await newMember();
      const team = await groupWith(userId);
      await sdk.admin.organization.projects.groups.create(projectId, { group_id: team.id, role: 'role-api-project-viewer' });
      await assertApiError(sdk.admin.organization.projects.users.delete(userId, { project_id: projectId }), OpenAI.BadRequestError, {
        param: 'user_id',
        code: 'user_in_project_through_group',
        message: new RegExp(`'${team.name}' \\(${team.id}\\)`),
      });
      assert.equal((await sdk.admin.organization.projects.users.roles.list(userId, { project_id: projectId })).data.length, 1);
    });

    test('removing a user with a seat of their own ends the seat and keeps what their group gives', async () => {
      const projectId = await createProject(sdk, `Both ${++count}`);
      const userId = await newMember();
      const team = await groupWith(userId);
      await sdk.admin.organization.projects.users.create(projectId, { user_id: userId, role: 'owner' });
      await sdk.admin.organization.projects.groups.create(projectId, { group_id: team.id, role: 'role-api-project-viewer' });
      const roles = () => sdk.admin.organization.projects.users.roles.list(userId, { project_id: projectId });
      assert.deepEqual((await roles()).data.map((r) => r.name), ['owner', 'viewer']);

      await sdk.admin.organization.projects.users.delete(userId, { project_id: projectId });
      assert.deepEqual((await roles()).data.map((r) => r.name), ['viewer']);
      // Leaving the organization ends the rest.
      await sdk.admin.organization.users.delete(userId);
      await assertApiError(roles(), OpenAI.NotFoundError, { param: 'user_id' });
      assert.deepEqual((await sdk.admin.organization.groups.users.list(team.id)).data, []);
    });
  });
});
