import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import type { Role, RoleCreateParams, RoleUpdateParams } from 'openai/resources/admin/organization/roles';
import { assertApiError } from '../../support/errors.ts';
import { createProject } from '../../support/fixtures.ts';
import { assertPagesInBothOrders } from '../../support/pagination.ts';
import { referenceOperations } from '../../support/reference.ts';
import { TestRoster } from '../../support/roster.ts';

/** One role catalogue (an organization's or a project's) driven through the SDK. */
interface Catalogue {
  organizationId: string;
  resourceId: string;
  list(query?: { limit?: number; order?: 'asc' | 'desc'; after?: string }): ReturnType<OpenAI['admin']['organization']['roles']['list']>;
  create(body: RoleCreateParams): Promise<Role>;
  retrieve(roleId: string): Promise<Role>;
  update(roleId: string, body: RoleUpdateParams): Promise<Role>;
  delete(roleId: string): Promise<{ object: string; id: string; deleted: boolean }>;
}

interface Kind {
  noun: 'organization' | 'project';
  resourceType: string;
  predefined: string[];
  /** A catalogue with no custom roles yet. */
  fresh(): Promise<Catalogue>;
}

describe('role catalogues', () => {
  let roster: TestRoster;
  let client: OpenAI;
  let organizations = 0;

  before(async () => {
    roster = await TestRoster.start();
    client = roster.client();
  });
  after(() => roster.close());

  function organizationCatalogue(sdk: OpenAI, organizationId: string): Catalogue {
    const roles = sdk.admin.organization.roles;
    return {
      organizationId,
      resourceId: organizationId,
      list: (query) => roles.list(query),
      create: (body) => roles.create(body),
      retrieve: (roleId) => roles.retrieve(roleId),
      update: (roleId, body) => roles.update(roleId, body),
      delete: (roleId) => roles.delete(roleId),
    };
  }

  function projectCatalogue(sdk: OpenAI, organizationId: string, projectId: string): Catalogue {
    const roles = sdk.admin.organization.projects.roles;
    return {
      organizationId,
      resourceId: projectId,
      list: (query) => roles.list(projectId, query),
      create: (body) => roles.create(projectId, body),
      retrieve: (roleId) => roles.retrieve(roleId, { project_id: projectId }),
      update: (roleId, body) => roles.update(roleId, { project_id: projectId, ...body }),
      delete: (roleId) => roles.delete(roleId, { project_id: projectId }),
    };
  }

  const kinds: Kind[] = [
    {
      noun: 'organization',
      resourceType: 'api.organization',
      predefined: ['owner', 'reader'],
      async fresh() {
        const org = await roster.createOrganization(`catalogue-${++organizations}@example.com`);
        return organizationCatalogue(roster.client(org.adminKeyValue), org.organizationId);
      },
    },
    {
      noun: 'project',
      resourceType: 'api.project',
      predefined: ['member', 'owner', 'viewer'],
      async fresh() {
        const projectId = await createProject(client, 'Catalogue project');
        return projectCatalogue(client, roster.org.organizationId, projectId);
      },
    },
  ];

  for (const kind of kinds) {
    const scoped = (name: string, resourceId: string) => {
      const slug = kind.resourceType.replace('.', '-');
      return `role-${slug}-${name}__${slug}__${resourceId}`;
    };
    // A project's events are attributed to it; an organization catalogue has its own organization.
    const events = async (catalogue: Catalogue, type: string) =>
      (await roster.auditEvents(type, catalogue.organizationId)).filter(
        (event) => catalogue.resourceId === catalogue.organizationId || event.project_id === catalogue.resourceId,
      );

    describe(`${kind.noun} roles`, () => {
      test('every catalogue starts with the predefined roles, scoped ids first in id order', async () => {
        const catalogue = await kind.fresh();
        const page = await catalogue.list();
        assert.deepEqual(
          page.data.map((role) => role.id),
          kind.predefined.map((name) => scoped(name, catalogue.resourceId)),
        );
        for (const role of page.data) {
          assert.equal(role.object, 'role');
          assert.equal(role.predefined_role, true);
          assert.equal(role.resource_type, kind.resourceType);
          assert.ok(role.permissions.length > 0);
          assert.equal(typeof role.description, 'string');
        }
        assert.equal(page.has_more, false);
        assert.equal(page.next, null);
      });

      test('a predefined role is found by its scoped id and by its short alias, and answers with the scoped id', async () => {
        const catalogue = await kind.fresh();
        const slug = kind.resourceType.replace('.', '-');
        for (const name of kind.predefined) {
          const byAlias = await catalogue.retrieve(`role-${slug}-${name}`);
          const byId = await catalogue.retrieve(scoped(name, catalogue.resourceId));
          assert.deepEqual(byAlias, byId);
          assert.equal(byId.id, scoped(name, catalogue.resourceId));
          assert.equal(byId.name, name);
        }
      });

      test('a custom role is created, listed after the predefined roles, retrievable, and audited', async () => {
        const catalogue = await kind.fresh();
        const created = await catalogue.create({
          role_name: 'Key Manager',
          permissions: ['api.organization.projects.api_keys.read', 'api.organization.projects.api_keys.write'],
          description: 'Looks after API keys',
        });
        assert.match(created.id, /^role_[0-9A-Za-z]{24}$/);
        assert.deepEqual(created, {
          object: 'role',
          id: created.id,
          name: 'Key Manager',
          description: 'Looks after API keys',
          permissions: ['api.organization.projects.api_keys.read', 'api.organization.projects.api_keys.write'],
          resource_type: kind.resourceType,
          predefined_role: false,
        });
        assert.deepEqual(await catalogue.retrieve(created.id), created);
        const listed = (await catalogue.list()).data;
        assert.equal(listed.length, kind.predefined.length + 1);
        assert.deepEqual(listed.at(-1), created);

        const [event] = (await events(catalogue, 'role.created')).filter((e) => e.resource_id === created.id);
        assert.deepEqual(event!.details, {
          id: created.id,
          role_name: 'Key Manager',
          permissions: created.permissions,
          resource_type: kind.resourceType,
          resource_id: catalogue.resourceId,
        });
        assert.equal(event!.project_id, kind.noun === 'project' ? catalogue.resourceId : null, 'project roles are attributed to their project');
      });

      test('a custom role may grant nothing, and a permission sent twice is kept once', async () => {
        const catalogue = await kind.fresh();
        const empty = await catalogue.create({ role_name: 'Nothing', permissions: [] });
        assert.deepEqual(empty.permissions, []);
        assert.equal(empty.description, null);
        const twice = await catalogue.create({ role_name: 'Twice', permissions: ['api.groups.read', 'api.groups.write', 'api.groups.read'] });
        assert.deepEqual(twice.permissions, ['api.groups.read', 'api.groups.write']);
      });

      test('an unknown permission is refused with param naming its position, and nothing is stored', async () => {
        const catalogue = await kind.fresh();
        await assertApiError(
          catalogue.create({ role_name: 'Typo', permissions: ['api.groups.read', 'api.groups.red'] }),
          OpenAI.BadRequestError,
          { param: 'permissions[1]', code: 'invalid_value', message: /api\.groups\.red/ },
        );
        assert.equal((await catalogue.list()).data.length, kind.predefined.length);
        assert.deepEqual(await events(catalogue, 'role.created'), []);
      });

      test('missing or mistyped fields are refused with the field as param', async () => {
        const catalogue = await kind.fresh();
        await assertApiError(catalogue.create({ permissions: [] } as never), OpenAI.BadRequestError, {
          param: 'role_name',
          code: 'missing_required_parameter',
        });
        await assertApiError(catalogue.create({ role_name: 'No permissions' } as never), OpenAI.BadRequestError, { param: 'permissions' });
        await assertApiError(catalogue.create({ role_name: '', permissions: [] }), OpenAI.BadRequestError, { param: 'role_name' });
        await assertApiError(catalogue.create({ role_name: 'Bad', permissions: [7] } as never), OpenAI.BadRequestError, {
          param: 'permissions[0]',
          code: 'invalid_type',
        });
      });

      test('names are unique in their catalogue, predefined names included', async () => {
        const catalogue = await kind.fresh();
        await catalogue.create({ role_name: 'Auditor', permissions: ['api.audit_logs.read'] });
        for (const name of ['Auditor', kind.predefined[0]!]) {
          await assertApiError(catalogue.create({ role_name: name, permissions: [] }), OpenAI.BadRequestError, {
            param: 'role_name',
            code: 'role_name_taken',
          });
        }
        assert.equal((await catalogue.list()).data.length, kind.predefined.length + 1);
        assert.equal((await events(catalogue, 'role.created')).length, 1, 'a refused creation writes no event');
      });

      test('concurrent creations of one name: exactly one succeeds, the others are refused', async () => {
        const catalogue = await kind.fresh();
        const results = await Promise.allSettled(
          Array.from({ length: 5 }, () => catalogue.create({ role_name: 'Racer', permissions: [] })),
        );
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        for (const result of results.filter((r) => r.status === 'rejected')) {
          assert.ok(result.reason instanceof OpenAI.BadRequestError);
          assert.equal(result.reason.param, 'role_name');
        }
      });

      test('an update changes name, permissions and description, and audits what changed', async () => {
        const catalogue = await kind.fresh();
        const role = await catalogue.create({ role_name: 'Groups', permissions: ['api.groups.read', 'api.usage.read'], description: 'v1' });
        const updated = await catalogue.update(role.id, {
          role_name: 'Group Admin',
          permissions: ['api.groups.read', 'api.groups.write'],
          description: 'v2',
        });
        assert.deepEqual(updated, { ...role, name: 'Group Admin', permissions: ['api.groups.read', 'api.groups.write'], description: 'v2' });
        assert.deepEqual(await catalogue.retrieve(role.id), updated);

        const [event] = await events(catalogue, 'role.updated');
        assert.deepEqual(event!.details, {
          id: role.id,
          changes_requested: {
            role_name: 'Group Admin',
            permissions_added: ['api.groups.write'],
            permissions_removed: ['api.usage.read'],
            description: 'v2',
            resource_id: catalogue.resourceId,
            resource_type: kind.resourceType,
          },
        });
      });

      test('null leaves name and permissions as they are, null clears the description, and a no-op is not audited', async () => {
        const catalogue = await kind.fresh();
        const role = await catalogue.create({ role_name: 'Steady', permissions: ['api.usage.read'], description: 'kept?' });
        assert.deepEqual(await catalogue.update(role.id, { role_name: null, permissions: null }), role);
        assert.deepEqual(await catalogue.update(role.id, { role_name: 'Steady', permissions: ['api.usage.read'] }), role);
        assert.deepEqual(await catalogue.update(role.id, {}), role);
        assert.deepEqual(await events(catalogue, 'role.updated'), []);

        const cleared = await catalogue.update(role.id, { description: null });
        assert.equal(cleared.description, null);
        assert.equal(cleared.name, 'Steady');
        assert.deepEqual((await events(catalogue, 'role.updated'))[0]!.details.changes_requested.description, '');
      });

      test('an update is checked like a creation: known permissions, a free name', async () => {
        const catalogue = await kind.fresh();
        await catalogue.create({ role_name: 'Taken', permissions: [] });
        const role = await catalogue.create({ role_name: 'Mine', permissions: [] });
        await assertApiError(catalogue.update(role.id, { role_name: 'Taken' }), OpenAI.BadRequestError, { param: 'role_name', code: 'role_name_taken' });
        await assertApiError(catalogue.update(role.id, { permissions: ['api.nope'] }), OpenAI.BadRequestError, { param: 'permissions[0]' });
        assert.deepEqual(await catalogue.retrieve(role.id), role);
      });

      test('predefined roles can be neither changed nor deleted', async () => {
        const catalogue = await kind.fresh();
        const slug = kind.resourceType.replace('.', '-');
        for (const roleId of [scoped(kind.predefined[0]!, catalogue.resourceId), `role-${slug}-${kind.predefined[1]}`]) {
          await assertApiError(catalogue.update(roleId, { description: 'mine now' }), OpenAI.BadRequestError, {
            param: 'role_id',
            code: 'predefined_role',
          });
          await assertApiError(catalogue.delete(roleId), OpenAI.BadRequestError, { param: 'role_id', code: 'predefined_role' });
        }
        assert.equal((await catalogue.list()).data.length, kind.predefined.length);
      });

      test('a deleted role is gone, and its deletion is audited', async () => {
        const catalogue = await kind.fresh();
        const role = await catalogue.create({ role_name: 'Short-lived', permissions: [] });
        assert.deepEqual(await catalogue.delete(role.id), { object: 'role.deleted', id: role.id, deleted: true });
        await assertApiError(catalogue.retrieve(role.id), OpenAI.NotFoundError, { param: 'role_id' });
        await assertApiError(catalogue.delete(role.id), OpenAI.NotFoundError);
        assert.deepEqual((await events(catalogue, 'role.deleted')).map((e) => e.details), [{ id: role.id }]);
        // The name is free again.
        await catalogue.create({ role_name: 'Short-lived', permissions: [] });
      });

      test('an unknown role id is a 404 on every route', async () => {
        const catalogue = await kind.fresh();
        await assertApiError(catalogue.retrieve('role_unknown'), OpenAI.NotFoundError, { param: 'role_id', code: 'not_found' });
        await assertApiError(catalogue.update('role_unknown', { role_name: 'x' }), OpenAI.NotFoundError);
        await assertApiError(catalogue.delete('role_unknown'), OpenAI.NotFoundError);
      });

      test('pages follow next in both orders over several pages', async () => {
        const catalogue = await kind.fresh();
        for (let i = 0; i < 6; i++) await catalogue.create({ role_name: `Role ${i}`, permissions: [] });
        const all = (await catalogue.list()).data.map((role) => role.id);
        assert.equal(all.length, kind.predefined.length + 6);
        assert.deepEqual(all, [...all].sort());
        await assertPagesInBothOrders((query) => catalogue.list(query), all, 3);
      });

      test('after is exclusive in either order, and limit ranges from 0 to 1000', async () => {
        const catalogue = await kind.fresh();
        const custom = await catalogue.create({ role_name: 'Only', permissions: [] });
        const firstPredefined = scoped(kind.predefined[0]!, catalogue.resourceId);
        assert.deepEqual((await catalogue.list({ after: firstPredefined, order: 'desc' })).data, []);
        assert.deepEqual((await catalogue.list({ after: custom.id })).data, []);
        assert.equal((await catalogue.list({ after: firstPredefined })).data.length, kind.predefined.length);

        const none = await catalogue.list({ limit: 0 });
        assert.deepEqual([none.data, none.next], [[], null]);
        await assertApiError(catalogue.list({ limit: 1001 }), OpenAI.BadRequestError, { param: 'limit', code: 'integer_above_max_value' });
        await assertApiError(catalogue.list({ order: 'sideways' as never }), OpenAI.BadRequestError, { param: 'order', code: 'invalid_value' });
      });
    });
  }

  test("the served OpenAPI document has every role and role-assignment route of the reference, under the reference's operationId", async () => {
    const served = (await roster.request('GET', '/v1/openapi.json', { key: null })).body.paths;
    const expected = ['/organization/roles', '/organization/users/{user_id}/roles', '/projects/{project_id}/roles', '/projects/{project_id}/users']
      .flatMap((prefix) => referenceOperations(prefix))
      .filter((op) => op.path.endsWith('/roles') || op.path.endsWith('/roles/{role_id}'));
    assert.equal(expected.length, 18);
    for (const op of expected) {
      assert.equal(served[`/v1${op.path}`]?.[op.method.toLowerCase()]?.operationId, op.operationId, `${op.method} ${op.path}`);
    }
  });

  describe('scopes', () => {
    test('a custom role lives in one catalogue only: organization, or a single project', async () => {
      const projectA = await createProject(client, 'A');
      const projectB = await createProject(client, 'B');
      const organization = organizationCatalogue(client, roster.org.organizationId);
      const a = projectCatalogue(client, roster.org.organizationId, projectA);
      const b = projectCatalogue(client, roster.org.organizationId, projectB);

      // One name in each catalogue: names are unique per scope, not across scopes.
      const orgRole = await organization.create({ role_name: 'Shared name', permissions: [] });
      const aRole = await a.create({ role_name: 'Shared name', permissions: [] });
      const bRole = await b.create({ role_name: 'Shared name', permissions: [] });

      await assertApiError(a.retrieve(orgRole.id), OpenAI.NotFoundError);
      await assertApiError(organization.retrieve(aRole.id), OpenAI.NotFoundError);
      await assertApiError(b.retrieve(aRole.id), OpenAI.NotFoundError);
      await assertApiError(b.delete(aRole.id), OpenAI.NotFoundError);
      await assertApiError(a.retrieve(`role-api-project-owner__api-project__${projectB}`), OpenAI.NotFoundError);
      await assertApiError(a.retrieve('role-api-organization-owner'), OpenAI.NotFoundError);
      assert.ok(!(await organization.list()).data.some((role) => role.id === aRole.id));
      assert.deepEqual((await b.list()).data.filter((role) => !role.predefined_role), [bRole]);
    });

    test('an unknown project is a 404 naming project_id', async () => {
      const unknown = projectCatalogue(client, roster.org.organizationId, 'proj_unknown');
      await assertApiError(unknown.list(), OpenAI.NotFoundError, { param: 'project_id' });
      await assertApiError(unknown.create({ role_name: 'x', permissions: [] }), OpenAI.NotFoundError, { param: 'project_id' });
      await assertApiError(unknown.retrieve('role-api-project-owner'), OpenAI.NotFoundError, { param: 'project_id' });
    });

    test('the roles of an archived project can be read but not changed', async () => {
      const archived = await createProject(client, 'Old', { archived: true });
      const catalogue = projectCatalogue(client, roster.org.organizationId, archived);
      assert.equal((await catalogue.list()).data.length, 3);
      assert.equal((await catalogue.retrieve('role-api-project-member')).name, 'member');
      await assertApiError(catalogue.create({ role_name: 'Late', permissions: [] }), OpenAI.BadRequestError, { code: 'project_archived' });
    });

    test("another organization's key gets 404 for this organization's roles and projects", async () => {
      const projectId = await createProject(client, 'Private');
      const orgRole = await organizationCatalogue(client, roster.org.organizationId).create({ role_name: 'Private org role', permissions: [] });
      const projectRole = await projectCatalogue(client, roster.org.organizationId, projectId).create({ role_name: 'Private role', permissions: [] });

      const other = await roster.createOrganization('roles-outsider@example.com');
      const outsider = roster.client(other.adminKeyValue);
      const theirOrg = organizationCatalogue(outsider, other.organizationId);
      await assertApiError(theirOrg.retrieve(orgRole.id), OpenAI.NotFoundError);
      await assertApiError(theirOrg.update(orgRole.id, { role_name: 'Hijacked' }), OpenAI.NotFoundError);
      await assertApiError(theirOrg.delete(orgRole.id), OpenAI.NotFoundError);
      await assertApiError(theirOrg.retrieve(`role-api-organization-owner__api-organization__${roster.org.organizationId}`), OpenAI.NotFoundError);
      assert.deepEqual((await theirOrg.list()).data.map((role) => role.name), ['owner', 'reader']);

      const theirView = projectCatalogue(outsider, other.organizationId, projectId);
      await assertApiError(theirView.list(), OpenAI.NotFoundError, { param: 'project_id' });
      await assertApiError(theirView.retrieve(projectRole.id), OpenAI.NotFoundError);
      await assertApiError(theirView.delete(projectRole.id), OpenAI.NotFoundError);
      assert.equal((await client.admin.organization.roles.retrieve(orgRole.id)).name, 'Private org role');
    });
  });
});
