import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { TestRoster, people } from '../../support/roster.ts';
import { assertRefused } from '../projects/refusals.ts';

describe('project users', () => {
  let roster: TestRoster;
  let client: OpenAI;
  /** Organization member ids by email. */
  const idOf = new Map<string, string>();

  before(async () => {
    roster = await TestRoster.start();
    client = roster.client();
    await roster.addMembers(people(60));
    for await (const user of client.admin.organization.users.list({ limit: 100 })) idOf.set(user.email!, user.id);
  });
  after(() => roster.close());

  const member = (n: number) => idOf.get(`person-${String(n).padStart(3, '0')}@example.com`)!;
  const newProject = async (name = 'Project') => (await client.admin.organization.projects.create({ name })).id;
  const projectUsers = () => client.admin.organization.projects.users;

  describe('POST /v1/organization/projects/{project_id}/users', () => {
    test('adds an organization member by user_id, answering 200 with the project user', async () => {
      const projectId = await newProject();
      const added = await projectUsers().create(projectId, { user_id: member(1), role: 'owner' });
      assert.equal(added.object, 'organization.project.user');
      assert.equal(added.id, member(1));
      assert.equal(added.email, 'person-001@example.com');
      assert.equal(added.name, 'Person 1');
      assert.equal(added.role, 'owner');
      assert.equal(typeof added.added_at, 'number');
      assert.deepEqual(await projectUsers().retrieve(member(1), { project_id: projectId }), added);
    });

    test('adds an organization member by email, whatever its case', async () => {
      const projectId = await newProject();
      const added = await projectUsers().create(projectId, { email: 'PERSON-002@example.com', role: 'member' });
      assert.equal(added.id, member(2));
      assert.equal(added.role, 'member');
    });

    test('is audited as user.added with the role, scoped to the project', async () => {
      const projectId = await newProject('Audited project');
      await projectUsers().create(projectId, { user_id: member(3), role: 'member' });
      const events = (await roster.auditEvents('user.added')).filter((e) => e.project_id === projectId);
      assert.equal(events.length, 1);
      assert.deepEqual(events[0]!.details, { id: member(3), data: { role: 'member' } });
      assert.equal(events[0]!.project_name, 'Audited project');
    });

    test('adding someone already in the project is a 400 that says so', async () => {
      const projectId = await newProject();
      await projectUsers().create(projectId, { user_id: member(4), role: 'member' });
      await assertRefused(projectUsers().create(projectId, { email: 'person-004@example.com', role: 'owner' }), {
        status: 400,
        message: /already exists in project/,
      });
      assert.equal((await projectUsers().retrieve(member(4), { project_id: projectId })).role, 'member');
    });

    test('concurrent adds of the same person seat them once; the others get the same 400', async () => {
      const projectId = await newProject();
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => projectUsers().create(projectId, { user_id: member(5), role: 'member' })),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const result of results.filter((r) => r.status === 'rejected')) {
        const error = (result as PromiseRejectedResult).reason;
        assert.ok(error instanceof OpenAI.BadRequestError);
        assert.match(error.message, /already exists in project/);
      }
      assert.equal((await roster.auditEvents('user.added')).filter((e) => e.project_id === projectId).length, 1);
    });

    test('someone who is not an organization member is refused, naming the field', async () => {
      const projectId = await newProject();
      await assertRefused(projectUsers().create(projectId, { user_id: 'user-stranger', role: 'member' }), {
        status: 400,
        param: 'user_id',
        code: 'user_not_in_organization',
        message: /not a member of the organization/,
      });
      await assertRefused(projectUsers().create(projectId, { email: 'stranger@example.com', role: 'member' }), {
        status: 400,
        param: 'email',
        code: 'user_not_in_organization',
      });
      // A member of another organization is still a stranger here.
      const other = await roster.createOrganization('elsewhere@example.com');
      await assertRefused(projectUsers().create(projectId, { user_id: other.ownerId, role: 'member' }), { status: 400, param: 'user_id' });
    });

    test('user_id or email is required, and when both are sent they must name the same person', async () => {
      const projectId = await newProject();
      await assertRefused(projectUsers().create(projectId, { role: 'member' }), { status: 400, param: 'user_id', code: 'missing_required_parameter' });
      await assertRefused(projectUsers().create(projectId, { user_id: member(6), email: 'person-007@example.com', role: 'member' }), {
        status: 400,
        param: 'email',
      });
      const both = await projectUsers().create(projectId, { user_id: member(6), email: 'person-006@example.com', role: 'member' });
      assert.equal(both.id, member(6));
    });

    test('the role must be owner or member', async () => {
      const projectId = await newProject();
      await assertRefused(projectUsers().create(projectId, { user_id: member(8), role: 'admin' }), {
        status: 400,
        param: 'role',
        code: 'invalid_value',
        message: /'owner' and 'member'/,
      });
      await assertRefused(projectUsers().create(projectId, { user_id: member(8) } as never), { status: 400, param: 'role' });
    });

    test('an unknown project is a 404', async () => {
      await assertRefused(projectUsers().create('proj_missing', { user_id: member(9), role: 'member' }), { status: 404, param: 'project_id' });
    });
  });

  describe('POST /v1/organization/projects/{project_id}/users/{user_id}', () => {
    test("changes the member's role and audits user.updated; a no-op writes nothing", async () => {
      const projectId = await newProject();
      await projectUsers().create(projectId, { user_id: member(10), role: 'member' });
      const promoted = await projectUsers().update(member(10), { project_id: projectId, role: 'owner' });
      assert.equal(promoted.role, 'owner');
      assert.equal((await projectUsers().retrieve(member(10), { project_id: projectId })).role, 'owner');
      await projectUsers().update(member(10), { project_id: projectId, role: 'owner' });
      const events = (await roster.auditEvents('user.updated')).filter((e) => e.project_id === projectId);
      assert.equal(events.length, 1);
      assert.deepEqual(events[0]!.details, { id: member(10), changes_requested: { role: 'owner' } });
    });

    test('someone not in the project is a 404; a bad role is a 400', async () => {
      const projectId = await newProject();
      await assertRefused(projectUsers().update(member(11), { project_id: projectId, role: 'owner' }), { status: 404, param: 'user_id' });
      await projectUsers().create(projectId, { user_id: member(11), role: 'member' });
      await assertRefused(projectUsers().update(member(11), { project_id: projectId, role: 'viewer!' }), { status: 400, param: 'role' });
    });
  });

  describe('DELETE /v1/organization/projects/{project_id}/users/{user_id}', () => {
    test('removes the member from the project only, and audits user.deleted', async () => {
      const projectId = await newProject();
      await projectUsers().create(projectId, { user_id: member(12), role: 'member' });
      const deleted = await projectUsers().delete(member(12), { project_id: projectId });
      assert.deepEqual(deleted, { object: 'organization.project.user.deleted', id: member(12), deleted: true });
      await assertRefused(projectUsers().retrieve(member(12), { project_id: projectId }), { status: 404 });
      await assertRefused(projectUsers().delete(member(12), { project_id: projectId }), { status: 404 });
      assert.equal((await client.admin.organization.users.retrieve(member(12))).id, member(12));
      const events = (await roster.auditEvents('user.deleted')).filter((e) => e.project_id === projectId);
      assert.deepEqual(events.map((e) => e.details), [{ id: member(12) }]);
    });
  });

  describe('leaving the organization', () => {
    test('removing a member from the organization removes them from every project, in the same step', async () => {
      const first = await newProject();
      const second = await newProject();
      await projectUsers().create(first, { user_id: member(13), role: 'owner' });
      await projectUsers().create(second, { user_id: member(13), role: 'member' });
      await client.admin.organization.users.delete(member(13));
      await assertRefused(projectUsers().retrieve(member(13), { project_id: first }), { status: 404 });
      await assertRefused(projectUsers().retrieve(member(13), { project_id: second }), { status: 404 });
      const seats = await roster.db.selectFrom('project_users').select('project_id').where('user_id', '=', member(13)).execute();
      assert.deepEqual(seats, []);
    });
  });

  describe('archived projects', () => {
    let archivedId: string;

    before(async () => {
      archivedId = await newProject('To be archived');
      await projectUsers().create(archivedId, { user_id: member(14), role: 'member' });
      await client.admin.organization.projects.archive(archivedId);
    });

    const refusedAsArchived = (call: Promise<unknown>) =>
      assertRefused(call, { status: 400, code: 'project_archived', param: 'project_id', message: new RegExp(`${archivedId}' is archived`) });

    test('listing their users is refused', async () => {
      await refusedAsArchived(projectUsers().list(archivedId));
    });

    test('retrieving one of their users is refused', async () => {
      await refusedAsArchived(projectUsers().retrieve(member(14), { project_id: archivedId }));
    });

    test('adding a user is refused and seats no one', async () => {
      await refusedAsArchived(projectUsers().create(archivedId, { user_id: member(15), role: 'member' }));
      const seat = await roster.db.selectFrom('project_users').selectAll().where('project_id', '=', archivedId).where('user_id', '=', member(15)).execute();
      assert.deepEqual(seat, []);
    });

    test("changing a user's role is refused", async () => {
      await refusedAsArchived(projectUsers().update(member(14), { project_id: archivedId, role: 'owner' }));
      const seat = await roster.db.selectFrom('project_users').select('role').where('project_id', '=', archivedId).executeTakeFirstOrThrow();
      assert.equal(seat.role, 'member');
    });

    test('removing a user is refused', async () => {
      await refusedAsArchived(projectUsers().delete(member(14), { project_id: archivedId }));
      assert.equal((await roster.auditEvents('user.deleted')).filter((e) => e.project_id === archivedId).length, 0);
    });
  });

  describe('GET /v1/organization/projects/{project_id}/users', () => {
    test('auto-pagination visits every member of the project once, in id order, with an exact has_more', async () => {
      const projectId = await newProject('Crowded');
      for (let n = 20; n < 55; n++) await projectUsers().create(projectId, { user_id: member(n), role: n % 2 ? 'owner' : 'member' });
      const ids: string[] = [];
      for await (const user of projectUsers().list(projectId, { limit: 10 })) ids.push(user.id);
      assert.equal(ids.length, 35);
      assert.equal(new Set(ids).size, 35);
      assert.deepEqual(ids, [...ids].sort());

      const firstPage = await projectUsers().list(projectId);
      assert.equal(firstPage.data.length, 20);
      assert.equal(firstPage.has_more, true);
      assert.equal(firstPage.last_id, firstPage.data[19]!.id);
      const lastPage = await projectUsers().list(projectId, { after: ids[14] });
      assert.equal(lastPage.data.length, 20);
      assert.equal(lastPage.has_more, false);
    });

    test('a new project has no users', async () => {
      const page = await projectUsers().list(await newProject());
      assert.deepEqual(page.data, []);
      assert.equal(page.has_more, false);
    });
  });

  describe('isolation between organizations', () => {
    test("another organization's key gets 404 for this organization's project users", async () => {
      const projectId = await newProject();
      await projectUsers().create(projectId, { user_id: member(16), role: 'member' });
      const other = await roster.createOrganization('nosy@example.com');
      const outsider = roster.client(other.adminKeyValue).admin.organization.projects.users;
      await assertRefused(outsider.list(projectId), { status: 404 });
      await assertRefused(outsider.retrieve(member(16), { project_id: projectId }), { status: 404 });
      await assertRefused(outsider.create(projectId, { user_id: other.ownerId, role: 'owner' }), { status: 404 });
      await assertRefused(outsider.update(member(16), { project_id: projectId, role: 'owner' }), { status: 404 });
      await assertRefused(outsider.delete(member(16), { project_id: projectId }), { status: 404 });
      assert.equal((await projectUsers().retrieve(member(16), { project_id: projectId })).role, 'member');
    });
  });
});
