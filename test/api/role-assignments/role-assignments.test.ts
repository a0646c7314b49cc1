import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { assertApiError } from '../../support/errors.ts';
import { assertPagesInBothOrders } from '../../support/pagination.ts';
import { organizationHoldings, projectHoldings, type Holdings } from '../../support/role-holdings.ts';
import { TestRoster } from '../../support/roster.ts';

describe('role assignments', () => {
  let roster: TestRoster;

  before(async () => {
    roster = await TestRoster.start();
  });
  after(() => roster.close());

  const scopes: { noun: string; holdings: () => Promise<Holdings> }[] = [
    { noun: 'organization', holdings: async () => organizationHoldings(roster) },
    { noun: 'project', holdings: () => projectHoldings(roster) },
  ];

  for (const scope of scopes) {
    const assignmentEvents = async (holdings: Holdings, userId: string, type: string) =>
      (await roster.auditEvents(type)).filter((e) => e.details.principal_id === userId && e.details.resource_id === holdings.resourceId);

    describe(`${scope.noun} user roles`, () => {
      test('a member holds exactly the predefined role of their membership, with no authoring details', async () => {
        const holdings = await scope.holdings();
        const userId = await holdings.newMember();
        const page = await holdings.list(userId);
        assert.deepEqual(page.data.map((role) => role.id), [holdings.predefinedId(holdings.baseline)]);
        const [held] = page.data;
        assert.equal(held!.name, holdings.baseline);
        assert.equal(held!.predefined_role, true);
        assert.equal(held!.resource_type, holdings.resourceType);
        assert.deepEqual(
          [held!.created_at, held!.updated_at, held!.created_by, held!.created_by_user_obj, held!.metadata, held!.assignment_sources],
          [null, null, null, null, null, null],
        );
        assert.deepEqual([page.has_more, page.next], [false, null]);
        assert.deepEqual(await holdings.retrieve(userId, `role-api-${holdings.noun}-${holdings.baseline}`), held, 'short alias');
      });

      test('assigning a custom role adds it beside the predefined one, and is audited', async () => {
        const holdings = await scope.holdings();
        const userId = await holdings.newMember();
        const role = await holdings.createRole('Custom holder');
        const assigned = await holdings.assign(userId, role.id);
        assert.equal(assigned.object, 'user.role');
        assert.deepEqual(assigned.role, role);
        assert.equal(assigned.user.object, 'organization.user');
        assert.equal(assigned.user.id, userId);

        const held = (await holdings.list(userId)).data;
        assert.deepEqual(held.map((r) => r.id), [holdings.predefinedId(holdings.baseline), role.id]);
        const details = await holdings.retrieve(userId, role.id);
        assert.deepEqual(details, held[1]);
        assert.equal(details.predefined_role, false);
        assert.deepEqual(details.permissions, role.permissions);
        assert.equal(typeof details.created_at, 'number');
        assert.equal(typeof details.updated_at, 'number');
        assert.equal(details.created_by, roster.org.ownerId);
        assert.deepEqual(details.created_by_user_obj, { id: roster.org.ownerId, name: 'Olive Owner', email: 'owner@example.com' });
        assert.deepEqual(details.metadata, {});
        assert.equal(details.assignment_sources, null);

        const [event] = await assignmentEvents(holdings, userId, 'role.assignment.created');
        assert.deepEqual(event!.details, {
          id: `${role.id}__user__${userId}`,
          principal_id: userId,
          principal_type: 'user',
          resource_id: holdings.resourceId,
          resource_type: holdings.resourceType,
        });
      });

      test('assigning a role the member already holds changes nothing and is not audited again', async () => {
        const holdings = await scope.holdings();
        const userId = await holdings.newMember();
        const role = await holdings.createRole('Twice');
        const first = await holdings.assign(userId, role.id);
        const again = await Promise.all([holdings.assign(userId, role.id), holdings.assign(userId, role.id)]);
        for (const response of again) assert.deepEqual(response, first);
        await holdings.assign(userId, holdings.predefinedId(holdings.baseline));
        assert.equal((await holdings.list(userId)).data.length, 2);
        assert.equal((await assignmentEvents(holdings, userId, 'role.assignment.created')).length, 1);
      });

      test('unassigning a custom role removes it, once, and is audited', async () => {
        const holdings = await scope.holdings();
        const userId = await holdings.newMember();
        const role = await holdings.createRole('Temporary');
        await holdings.assign(userId, role.id);
        assert.deepEqual(await holdings.unassign(userId, role.id), { object: 'user.role.deleted', deleted: true });
        assert.deepEqual((await holdings.list(userId)).data.map((r) => r.id), [holdings.predefinedId(holdings.baseline)]);
        await assertApiError(holdings.retrieve(userId, role.id), OpenAI.NotFoundError, { param: 'role_id' });
        await assertApiError(holdings.unassign(userId, role.id), OpenAI.NotFoundError, { param: 'role_id' });
        const [event] = await assignmentEvents(holdings, userId, 'role.assignment.deleted');
        assert.equal(event!.details.id, `${role.id}__user__${userId}`);
        assert.equal(event!.details.resource_type, holdings.resourceType);
      });

      test('a predefined role a member holds cannot be unassigned, only replaced; one they do not hold is a 404', async () => {
        const holdings = await scope.holdings();
        const userId = await holdings.newMember();
        await assertApiError(holdings.unassign(userId, holdings.predefinedId(holdings.baseline)), OpenAI.BadRequestError, {
          param: 'role_id',
          code: 'predefined_role_required',
        });
        await assertApiError(holdings.unassign(userId, holdings.predefinedId(holdings.others[0]!)), OpenAI.NotFoundError);
        await assertApiError(holdings.retrieve(userId, holdings.predefinedId(holdings.others[0]!)), OpenAI.NotFoundError);
        assert.equal(await holdings.legacyRole(userId), holdings.baseline);
        assert.deepEqual(await assignmentEvents(holdings, userId, 'role.assignment.deleted'), []);
      });

      test('deleting a custom role takes it from everyone who held it', async () => {
        const holdings = await scope.holdings();
        const [alice, bob] = [await holdings.newMember(), await holdings.newMember()];
        const doomed = await holdings.createRole('Doomed');
        const kept = await holdings.createRole('Kept');
        for (const userId of [alice, bob]) {
          await holdings.assign(userId, doomed.id);
          await holdings.assign(userId, kept.id);
        }
        await holdings.deleteRole(doomed.id);
        for (const userId of [alice, bob]) {
          assert.deepEqual((await holdings.list(userId)).data.map((r) => r.id), [holdings.predefinedId(holdings.baseline), kept.id]);
          await assertApiError(holdings.retrieve(userId, doomed.id), OpenAI.NotFoundError);
        }
        const rows = await roster.db.selectFrom('user_role_assignments').select('user_id').where('role_id', '=', doomed.id).execute();
        assert.deepEqual(rows, []);
      });

      test('leaving the scope ends every role held there', async () => {
        const holdings = await scope.holdings();
        const userId = await holdings.newMember();
        const role = await holdings.createRole('Leaver');
        await holdings.assign(userId, role.id);
        await holdings.removeMember(userId);
        await assertApiError(holdings.list(userId), OpenAI.NotFoundError, { param: 'user_id' });
        const rows = await roster.db.selectFrom('user_role_assignments').select('role_id').where('user_id', '=', userId).execute();
        assert.deepEqual(rows, []);
      });

      test('pages follow next in both orders over several pages', async () => {
        const holdings = await scope.holdings();
        const userId = await holdings.newMember();
        for (let i = 0; i < 6; i++) await holdings.assign(userId, (await holdings.createRole(`Paged ${i}`)).id);
        const all = (await holdings.list(userId)).data.map((role) => role.id);
        assert.equal(all.length, 7);
        assert.deepEqual(all, [...all].sort());
        await assertPagesInBothOrders((query) => holdings.list(userId, query), all, 3);
        await assertApiError(holdings.list(userId, { limit: 1001 }), OpenAI.BadRequestError, { param: 'limit' });
      });

      test('a user outside the scope is a 404, whatever the route', async () => {
        const holdings = await scope.holdings();
        const role = await holdings.createRole('Unreachable');
        // The owner is an organization member, but a member of no new project.
        const outsiders = holdings.noun === 'project' ? ['user-unknown', roster.org.ownerId] : ['user-unknown'];
        for (const userId of outsiders) {
          await assertApiError(holdings.list(userId), OpenAI.NotFoundError, { param: 'user_id' });
          await assertApiError(holdings.assign(userId, role.id), OpenAI.NotFoundError, { param: 'user_id' });
          await assertApiError(holdings.retrieve(userId, role.id), OpenAI.NotFoundError, { param: 'user_id' });
          await assertApiError(holdings.unassign(userId, role.id), OpenAI.NotFoundError, { param: 'user_id' });
        }
        const rows = await roster.db.selectFrom('user_role_assignments').select('user_id').where('role_id', '=', role.id).execute();
        assert.deepEqual(rows, []);
      });

      test('a role that is not of this scope is refused with param role_id', async () => {
        const holdings = await scope.holdings();
        const userId = await holdings.newMember();
        const elsewhere = holdings.noun === 'organization' ? await projectHoldings(roster) : organizationHoldings(roster);
        const foreign = await elsewhere.createRole(`Foreign to ${holdings.noun}`);
        for (const roleId of [foreign.id, elsewhere.predefinedId(elsewhere.baseline), `role-api-${elsewhere.noun}-owner`]) {
          await assertApiError(holdings.assign(userId, roleId), OpenAI.BadRequestError, {
            param: 'role_id',
            message: new RegExp(`not an? ${holdings.noun} role`),
          });
          await assertApiError(holdings.retrieve(userId, roleId), OpenAI.NotFoundError);
        }
        await assertApiError(holdings.assign(userId, 'role_nothing'), OpenAI.BadRequestError, { param: 'role_id', message: /no such role/ });
        await assertApiError(holdings.assign(userId, '' as string), OpenAI.BadRequestError, { param: 'role_id' });
        assert.deepEqual((await holdings.list(userId)).data.map((r) => r.id), [holdings.predefinedId(holdings.baseline)]);
      });
    });
  }

  describe('isolation between organizations', () => {
    test("another organization's key gets 404 for this organization's users and projects", async () => {
      const ours = organizationHoldings(roster);
      const userId = await ours.newMember();
      const role = await ours.createRole('Ours');
      await ours.assign(userId, role.id);
      const project = await projectHoldings(roster);
      const projectMember = await project.newMember();

      const other = await roster.createOrganization('assignments-outsider@example.com');
      const outsider = roster.client(other.adminKeyValue);
      const users = outsider.admin.organization.users.roles;
      await assertApiError(users.list(userId), OpenAI.NotFoundError, { param: 'user_id' });
      await assertApiError(users.retrieve(role.id, { user_id: userId }), OpenAI.NotFoundError);
      await assertApiError(users.create(userId, { role_id: 'role-api-organization-owner' }), OpenAI.NotFoundError);
      await assertApiError(users.delete(role.id, { user_id: userId }), OpenAI.NotFoundError);
      // Their own owner cannot be given our custom role either.
      await assertApiError(users.create(other.ownerId, { role_id: role.id }), OpenAI.BadRequestError, { param: 'role_id' });

      const projectUsers = outsider.admin.organization.projects.users.roles;
      await assertApiError(projectUsers.list(projectMember, { project_id: project.resourceId }), OpenAI.NotFoundError, { param: 'project_id' });
      await assertApiError(
        projectUsers.create(projectMember, { project_id: project.resourceId, role_id: 'role-api-project-owner' }),
        OpenAI.NotFoundError,
        { param: 'project_id' },
      );
      assert.equal(await project.legacyRole(projectMember), 'member');
      assert.equal((await ours.list(userId)).data.length, 2);
    });
  });
});
