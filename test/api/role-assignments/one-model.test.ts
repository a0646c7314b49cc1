import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { assertApiError } from '../../support/errors.ts';
import { organizationHoldings, projectHoldings, type Holdings } from '../../support/role-holdings.ts';
import { TestRoster } from '../../support/roster.ts';

// The legacy `role` of a membership and the role assignments are one truth, read and written
// from either side.
describe('legacy roles and role assignments', () => {
  let roster: TestRoster;
  let client: OpenAI;

  before(async () => {
    roster = await TestRoster.start();
    client = roster.client();
  });
  after(() => roster.close());

  const heldIds = async (holdings: Holdings, userId: string) => (await holdings.list(userId)).data.map((role) => role.id);

  const scopes: { noun: string; holdings: () => Promise<Holdings> }[] = [
    { noun: 'organization', holdings: async () => organizationHoldings(roster) },
    { noun: 'project', holdings: () => projectHoldings(roster) },
  ];

  for (const scope of scopes) {
    describe(`${scope.noun} members`, () => {
      test('changing the legacy role changes the predefined role assignment', async () => {
        const holdings = await scope.holdings();
        const userId = await holdings.newMember();
        const custom = await holdings.createRole('Alongside');
        await holdings.assign(userId, custom.id);
        for (const name of [...holdings.legacyOthers, holdings.baseline]) {
          await holdings.setLegacyRole(userId, name);
          assert.deepEqual(await heldIds(holdings, userId), [holdings.predefinedId(name), custom.id]);
          assert.equal((await holdings.retrieve(userId, holdings.predefinedId(name))).name, name);
        }
        await assertApiError(holdings.retrieve(userId, holdings.predefinedId(holdings.others[0]!)), OpenAI.NotFoundError);
      });

      test('assigning a predefined role changes the legacy role, replacing the one held', async () => {
        const holdings = await scope.holdings();
        const userId = await holdings.newMember();
        const custom = await holdings.createRole('Stays');
        await holdings.assign(userId, custom.id);
        for (const name of [...holdings.others, holdings.baseline]) {
          const assigned = await holdings.assign(userId, `role-api-${holdings.noun}-${name}`);
          assert.equal(assigned.role.id, holdings.predefinedId(name));
          assert.equal(await holdings.legacyRole(userId), name);
          assert.deepEqual(await heldIds(holdings, userId), [holdings.predefinedId(name), custom.id]);
        }
      });

      test('replacing the predefined role is audited as one assignment ending and another starting', async () => {
        const holdings = await scope.holdings();
        const userId = await holdings.newMember();
        const target = holdings.others[0]!;
        await holdings.assign(userId, holdings.predefinedId(target));
        const events = (await roster.auditEvents())
          .filter((e) => e.type.startsWith('role.assignment.') && e.details.principal_id === userId)
          .map((e) => [e.type, e.details.id]);
        assert.deepEqual(events, [
          ['role.assignment.deleted', `${holdings.predefinedId(holdings.baseline)}__user__${userId}`],
          ['role.assignment.created', `${holdings.predefinedId(target)}__user__${userId}`],
        ]);
      });
    });
  }

  test("a project member given the viewer role shows 'viewer' as their legacy project role", async () => {
    const project = await projectHoldings(roster);
    const userId = await project.newMember();
    const assigned = await project.assign(userId, 'role-api-project-viewer');
    assert.equal(assigned.role.name, 'viewer');
    assert.equal(await project.legacyRole(userId), 'viewer');
    assert.equal(assigned.user.role, 'reader', 'the user object carries the organization role');
  });

  describe('the last owner', () => {
    test('cannot be demoted through the assignment routes', async () => {
      const org = await roster.createOrganization('assignment-solo@example.com');
      const solo = roster.client(org.adminKeyValue);
      for (const roleId of ['role-api-organization-reader', `role-api-organization-reader__api-organization__${org.organizationId}`]) {
        await assertApiError(solo.admin.organization.users.roles.create(org.ownerId, { role_id: roleId }), OpenAI.BadRequestError, {
          param: 'user_id',
          code: 'last_owner',
        });
      }
      await assertApiError(
        solo.admin.organization.users.roles.delete('role-api-organization-owner', { user_id: org.ownerId }),
        OpenAI.BadRequestError,
        { code: 'predefined_role_required' },
      );
      assert.equal((await solo.admin.organization.users.retrieve(org.ownerId)).role, 'owner');
      assert.deepEqual(await roster.auditEvents(undefined, org.organizationId), [], 'refusals write nothing');
    });

    test('holds whichever route demotes: of two owners one can go, then the other stays', async () => {
      for (const [first, second] of [['assignment', 'legacy'], ['legacy', 'assignment']] as const) {
        const org = await roster.createOrganization(`two-owners-${first}@example.com`);
        await roster.addMembers([{ email: `second-owner-${first}@example.com`, role: 'owner' }], org.organizationId);
        const sdk = roster.client(org.adminKeyValue);
        const other = (await sdk.admin.organization.users.list({ emails: [`second-owner-${first}@example.com`] })).data[0]!;
        const demote = (how: 'assignment' | 'legacy', userId: string) =>
          how === 'assignment'
            ? sdk.admin.organization.users.roles.create(userId, { role_id: 'role-api-organization-reader' })
            : sdk.admin.organization.users.update(userId, { role: 'reader' });
        await demote(first, other.id);
        await assertApiError(demote(second, org.ownerId), OpenAI.BadRequestError, { code: 'last_owner' });
        assert.equal((await sdk.admin.organization.users.retrieve(org.ownerId)).role, 'owner');
      }
    });

    test('concurrent demotions of the only two owners, one through each route, leave one owner', async () => {
      const org = await roster.createOrganization('racing-owners@example.com');
      await roster.addMembers([{ email: 'racing-second@example.com', role: 'owner' }], org.organizationId);
      const sdk = roster.client(org.adminKeyValue);
      const other = (await sdk.admin.organization.users.list({ emails: ['racing-second@example.com'] })).data[0]!;
      const results = await Promise.allSettled([
        sdk.admin.organization.users.roles.create(org.ownerId, { role_id: 'role-api-organization-reader' }),
        sdk.admin.organization.users.update(other.id, { role: 'reader' }),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const roles = (await sdk.admin.organization.users.list()).data.map((user) => user.role);
      assert.deepEqual(roles.filter((role) => role === 'owner'), ['owner']);
    });
  });

  describe('role_id on POST /v1/organization/users/{user_id}', () => {
    test('a custom organization role is assigned, once, and audited as an assignment', async () => {
      const holdings = organizationHoldings(roster);
      const userId = await holdings.newMember();
      const custom = await holdings.createRole('Via modify');
      const user = await client.admin.organization.users.update(userId, { role_id: custom.id });
      assert.equal(user.role, 'reader', 'a custom role leaves the predefined one alone');
      await client.admin.organization.users.update(userId, { role_id: custom.id });
      assert.deepEqual(await heldIds(holdings, userId), [holdings.predefinedId('reader'), custom.id]);
      const events = (await roster.auditEvents('role.assignment.created')).filter((e) => e.details.principal_id === userId);
      assert.equal(events.length, 1);
      assert.deepEqual((await roster.auditEvents('user.updated')).filter((e) => e.resource_id === userId), []);
    });

    test('role and a custom role_id together set the predefined role and add the custom one', async () => {
      const holdings = organizationHoldings(roster);
      const userId = await holdings.newMember();
      const custom = await holdings.createRole('Together');
      const user = await client.admin.organization.users.update(userId, { role: 'owner', role_id: custom.id });
      assert.equal(user.role, 'owner');
      assert.deepEqual(await heldIds(holdings, userId), [holdings.predefinedId('owner'), custom.id]);
      await client.admin.organization.users.update(userId, { role: 'reader' });
    });

    test('a project role is refused with param role_id, and nothing changes', async () => {
      const holdings = organizationHoldings(roster);
      const userId = await holdings.newMember();
      const project = await projectHoldings(roster);
      const projectRole = await project.createRole('Project only');
      for (const roleId of [projectRole.id, 'role-api-project-owner']) {
        await assertApiError(client.admin.organization.users.update(userId, { role_id: roleId, technical_level: 'x' }), OpenAI.BadRequestError, {
          param: 'role_id',
          message: /not an organization role/,
        });
      }
      const user = await client.admin.organization.users.retrieve(userId);
      assert.deepEqual([user.role, user.technical_level], ['reader', null]);
      assert.deepEqual(await heldIds(holdings, userId), [holdings.predefinedId('reader')]);
    });
  });
});
