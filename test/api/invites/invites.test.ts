import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { TestRoster } from '../../support/roster.ts';
import { assertRefused } from '../projects/refusals.ts';

const SEVEN_DAYS = 604800;

describe('invites', () => {
  let roster: TestRoster;
  let client: OpenAI;
  let defaultProjectId: string;

  before(async () => {
    roster = await TestRoster.start();
    client = roster.client();
    defaultProjectId = (await client.admin.organization.projects.list()).data[0]!.id;
  });
  after(() => roster.close());

  const invites = () => client.admin.organization.invites;
  const accept = (inviteId: string, body?: object, key?: string | null) => roster.request('POST', `/roster/v1/invites/${inviteId}/accept`, { body, key });

  /** Makes a pending invite lapse by moving its expiry into the past. */
  async function lapse(inviteId: string): Promise<void> {
    await roster.db.updateTable('invites').set({ expires_at: Math.floor(Date.now() / 1000) - 1 }).where('id', '=', inviteId).execute();
  }

  describe('POST /v1/organization/invites', () => {
    test('creates a pending invite that lapses seven days later, answering 200', async () => {
      const response = await roster.request('POST', '/v1/organization/invites', { body: { email: 'first@example.com', role: 'reader' } });
      assert.equal(response.status, 200);
      const invite = response.body;
      assert.equal(invite.object, 'organization.invite');
      assert.match(invite.id, /^invite-[0-9A-Za-z]{24}$/);
      assert.equal(invite.email, 'first@example.com');
      assert.equal(invite.role, 'reader');
      assert.equal(invite.status, 'pending');
      assert.equal(invite.accepted_at, null);
      assert.equal(invite.expires_at - invite.created_at, SEVEN_DAYS);
      assert.deepEqual(await invites().retrieve(invite.id), invite);
    });

    test('without projects, the invite grants the default project as a member', async () => {
      const invite = await invites().create({ email: 'defaulted@example.com', role: 'reader' });
      assert.deepEqual(invite.projects, [{ id: defaultProjectId, role: 'member' }]);
    });

    test('an empty projects list grants no project at all', async () => {
      const invite = await invites().create({ email: 'nowhere@example.com', role: 'reader', projects: [] });
      assert.deepEqual(invite.projects, []);
    });

    test('grants the listed projects with their roles', async () => {
      const project = await client.admin.organization.projects.create({ name: 'Granted' });
      const invite = await invites().create({
        email: 'granted@example.com',
        role: 'owner',
        projects: [
          { id: project.id, role: 'owner' },
          { id: defaultProjectId, role: 'member' },
        ],
      });
      assert.equal(invite.role, 'owner');
      const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
      assert.deepEqual(
        [...invite.projects].sort(byId),
        [
          { id: defaultProjectId, role: 'member' },
          { id: project.id, role: 'owner' },
        ].sort(byId),
      );
    });

    test('stores the email lower-cased and audits invite.sent with email and role', async () => {
      const invite = await invites().create({ email: 'Mixed.Case@Example.com', role: 'reader', projects: [] });
      assert.equal(invite.email, 'mixed.case@example.com');
      const events = (await roster.auditEvents('invite.sent')).filter((e) => e.resource_id === invite.id);
      assert.equal(events.length, 1);
      assert.deepEqual(events[0]!.details, { id: invite.id, data: { email: 'mixed.case@example.com', role: 'reader' } });
    });

    test('inviting an existing member is refused with param email', async () => {
      await assertRefused(invites().create({ email: 'OWNER@example.com', role: 'reader' }), {
        status: 400,
        param: 'email',
        code: 'user_already_member',
        message: /already a member/,
      });
    });

    test('a second pending invite for the same email is refused with param email', async () => {
      await invites().create({ email: 'twice@example.com', role: 'reader' });
      const sent = (await roster.auditEvents('invite.sent')).length;
      await assertRefused(invites().create({ email: 'TWICE@example.com', role: 'owner' }), {
        status: 400,
        param: 'email',
        code: 'invite_already_pending',
      });
      assert.equal((await roster.auditEvents('invite.sent')).length, sent, 'a refused invite writes nothing');
    });

    test('concurrent invites for one email leave exactly one pending invite', async () => {
      const results = await Promise.allSettled(Array.from({ length: 4 }, () => invites().create({ email: 'race@example.com', role: 'reader' })));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const result of results) {
        if (result.status === 'rejected') assert.equal((result.reason as InstanceType<typeof OpenAI.APIError>).param, 'email');
      }
    });

    test('a lapsed invite does not block a new one, and is kept as expired', async () => {
      const old = await invites().create({ email: 'again@example.com', role: 'reader' });
      await lapse(old.id);
      const fresh = await invites().create({ email: 'again@example.com', role: 'owner' });
      assert.equal(fresh.status, 'pending');
      assert.equal((await invites().retrieve(old.id)).status, 'expired');
    });

    test('an unknown project is refused naming its position', async () => {
      await assertRefused(
        invites().create({ email: 'lost@example.com', role: 'reader', projects: [{ id: defaultProjectId, role: 'member' }, { id: 'proj_nope', role: 'member' }] }),
        { status: 400, param: 'projects[1].id', message: /proj_nope/ },
      );
    });

    test('an archived project is refused naming its position', async () => {
      const project = await client.admin.organization.projects.create({ name: 'Gone' });
      await client.admin.organization.projects.archive(project.id);
      await assertRefused(invites().create({ email: 'late@example.com', role: 'reader', projects: [{ id: project.id, role: 'owner' }] }), {
        status: 400,
        param: 'projects[0].id',
        code: 'project_archived',
      });
    });

    test("another organization's project is as unknown as a made-up one", async () => {
      const other = await roster.createOrganization('foreign-projects@example.com');
      const [foreign] = (await roster.client(other.adminKeyValue).admin.organization.projects.list()).data;
      await assertRefused(invites().create({ email: 'cross@example.com', role: 'reader', projects: [{ id: foreign!.id, role: 'member' }] }), {
        status: 400,
        param: 'projects[0].id',
      });
    });

    test('the same project twice is refused', async () => {
      await assertRefused(
        invites().create({ email: 'dup@example.com', role: 'reader', projects: [{ id: defaultProjectId, role: 'member' }, { id: defaultProjectId, role: 'owner' }] }),
        { status: 400, param: 'projects[1].id' },
      );
    });

    test('a malformed email, a bad role or a bad project role is refused naming the field', async () => {
      await assertRefused(invites().create({ email: 'not-an-email', role: 'reader' }), { status: 400, param: 'email' });
      await assertRefused(invites().create({ email: 'x@example.com', role: 'member' as never }), { status: 400, param: 'role', code: 'invalid_value' });
      await assertRefused(invites().create({ email: 'x@example.com', role: 'reader', projects: [{ id: defaultProjectId, role: 'viewer' as never }] }), {
        status: 400,
        param: 'projects[0].role',
      });
    });
  });

  describe('GET /v1/organization/invites', () => {
    test('auto-pagination visits every invite once, in id order, with an exact has_more', async () => {
      const other = await roster.createOrganization('inviter@example.com');
      const inviter = roster.client(other.adminKeyValue).admin.organization.invites;
      for (let i = 0; i < 25; i++) await inviter.create({ email: `guest-${i}@example.com`, role: 'reader', projects: [] });
      const ids: string[] = [];
      for await (const invite of inviter.list({ limit: 10 })) ids.push(invite.id);
      assert.equal(ids.length, 25);
      assert.deepEqual(ids, [...ids].sort());
      const firstPage = await inviter.list();
      assert.equal(firstPage.data.length, 20);
      assert.equal(firstPage.has_more, true);
      assert.equal((await inviter.list({ after: ids[4] })).has_more, false);
    });
  });

  describe('DELETE /v1/organization/invites/{invite_id}', () => {
    test('withdraws a pending invite and audits invite.deleted', async () => {
      const invite = await invites().create({ email: 'withdrawn@example.com', role: 'reader' });
      assert.deepEqual(await invites().delete(invite.id), { object: 'organization.invite.deleted', id: invite.id, deleted: true });
      await assertRefused(invites().retrieve(invite.id), { status: 404 });
      await assertRefused(invites().delete(invite.id), { status: 404, param: 'invite_id' });
      assert.deepEqual((await roster.auditEvents('invite.deleted')).filter((e) => e.resource_id === invite.id).map((e) => e.details), [{ id: invite.id }]);
      // With the invite gone, the email can be invited again.
      assert.equal((await invites().create({ email: 'withdrawn@example.com', role: 'reader' })).status, 'pending');
    });

    test('an expired invite can be deleted', async () => {
      const invite = await invites().create({ email: 'stale@example.com', role: 'reader' });
      await lapse(invite.id);
      assert.equal((await invites().delete(invite.id)).deleted, true);
    });

    test('an accepted invite cannot be deleted', async () => {
      const invite = await invites().create({ email: 'kept@example.com', role: 'reader' });
      assert.equal((await accept(invite.id)).status, 200);
      await assertRefused(invites().delete(invite.id), { status: 400, code: 'invite_already_accepted', message: /already accepted/ });
      assert.equal((await invites().retrieve(invite.id)).status, 'accepted');
    });
  });

  describe('POST /roster/v1/invites/{invite_id}/accept', () => {
    test('turns the invite into an organization user with its project memberships, and audits it all', async () => {
      const project = await client.admin.organization.projects.create({ name: 'Welcome' });
      const invite = await invites().create({
        email: 'newcomer@example.com',
        role: 'owner',
        projects: [{ id: project.id, role: 'owner' }, { id: defaultProjectId, role: 'member' }],
      });
      const response = await accept(invite.id, { name: 'New Comer' });
      assert.equal(response.status, 200);
      const user = response.body;
      assert.equal(user.object, 'organization.user');
      assert.equal(user.email, 'newcomer@example.com');
      assert.equal(user.name, 'New Comer');
      assert.equal(user.role, 'owner');
      assert.deepEqual(await client.admin.organization.users.retrieve(user.id), user);
      assert.equal((await client.admin.organization.projects.users.retrieve(user.id, { project_id: project.id })).role, 'owner');
      assert.equal((await client.admin.organization.projects.users.retrieve(user.id, { project_id: defaultProjectId })).role, 'member');

      const accepted = await invites().retrieve(invite.id);
      assert.equal(accepted.status, 'accepted');
      assert.equal(typeof accepted.accepted_at, 'number');

      assert.deepEqual((await roster.auditEvents('invite.accepted')).filter((e) => e.resource_id === invite.id).map((e) => e.details), [{ id: invite.id }]);
      const added = (await roster.auditEvents('user.added')).filter((e) => e.resource_id === user.id);
      assert.deepEqual(
        added.map((e) => [e.project_id, e.details.data.role]).sort(),
        [[null, 'owner'], [defaultProjectId, 'member'], [project.id, 'owner']].sort(),
      );
    });

    test('works without a body, leaving the name unknown', async () => {
      const invite = await invites().create({ email: 'nameless@example.com', role: 'reader', projects: [] });
      const response = await accept(invite.id);
      assert.equal(response.status, 200);
      assert.equal(response.body.name, null);
      assert.equal(response.body.role, 'reader');
      assert.deepEqual((await client.admin.organization.projects.users.list(defaultProjectId)).data.filter((u) => u.id === response.body.id), []);
    });

    test('someone roster already knows from another organization keeps their user id', async () => {
      const other = await roster.createOrganization('known-elsewhere@example.com');
      const invite = await invites().create({ email: 'known-elsewhere@example.com', role: 'reader' });
      const response = await accept(invite.id, { name: 'Ignored' });
      assert.equal(response.body.id, other.ownerId);
    });

    test('accepting twice is refused and changes nothing', async () => {
      const invite = await invites().create({ email: 'once@example.com', role: 'reader' });
      assert.equal((await accept(invite.id)).status, 200);
      const again = await accept(invite.id);
      assert.equal(again.status, 400);
      assert.equal(again.body.error.code, 'invite_already_accepted');
      assert.match(again.body.error.message, /already accepted/);
      assert.equal((await roster.auditEvents('invite.accepted')).filter((e) => e.resource_id === invite.id).length, 1);
    });

    test('an expired invite cannot be accepted', async () => {
      const invite = await invites().create({ email: 'too-late@example.com', role: 'reader' });
      await lapse(invite.id);
      assert.equal((await invites().retrieve(invite.id)).status, 'expired');
      const response = await accept(invite.id);
      assert.equal(response.status, 400);
      assert.equal(response.body.error.code, 'invite_expired');
      assert.equal((await client.admin.organization.users.list({ emails: ['too-late@example.com'] })).data.length, 0);
    });

    test('if a granted project was archived since, acceptance is refused as a whole', async () => {
      const project = await client.admin.organization.projects.create({ name: 'Archived later' });
      const invite = await invites().create({ email: 'unlucky@example.com', role: 'reader', projects: [{ id: project.id, role: 'member' }] });
      await client.admin.organization.projects.archive(project.id);
      const response = await accept(invite.id);
      assert.equal(response.status, 400);
      assert.equal(response.body.error.code, 'project_archived');
      assert.match(response.body.error.message, new RegExp(project.id));
      assert.equal((await invites().retrieve(invite.id)).status, 'pending');
      assert.equal((await client.admin.organization.users.list({ emails: ['unlucky@example.com'] })).data.length, 0);
      const known = await roster.db.selectFrom('users').select('id').where('email', '=', 'unlucky@example.com').execute();
      assert.deepEqual(known, [], 'no person is created by a refused acceptance');
    });

    test('someone who joined by another way since the invite was sent is refused', async () => {
      const invite = await invites().create({ email: 'imported@example.com', role: 'owner' });
      await roster.addMembers([{ email: 'imported@example.com' }]);
      const response = await accept(invite.id);
      assert.equal(response.status, 400);
      assert.equal(response.body.error.code, 'user_already_member');
      assert.equal((await invites().retrieve(invite.id)).status, 'pending');
    });

    test('needs an admin key, and a key of another organization gets 404', async () => {
      const invite = await invites().create({ email: 'guarded@example.com', role: 'reader' });
      assert.equal((await accept(invite.id, undefined, null)).status, 401);
      const other = await roster.createOrganization('intruder@example.com');
      const response = await accept(invite.id, undefined, other.adminKeyValue);
      assert.equal(response.status, 404);
      assert.equal(response.body.error.param, 'invite_id');
      assert.equal((await invites().retrieve(invite.id)).status, 'pending');
    });

    test('an unknown invite is a 404 and a bad name a 400', async () => {
      assert.equal((await accept('invite-missing')).status, 404);
      const invite = await invites().create({ email: 'badname@example.com', role: 'reader' });
      const response = await accept(invite.id, { name: 42 });
      assert.equal(response.status, 400);
      assert.equal(response.body.error.param, 'name');
    });
  });

  describe('isolation between organizations', () => {
    test("another organization's key gets 404 for these invites and does not list them", async () => {
      const invite = await invites().create({ email: 'secret@example.com', role: 'reader' });
      const other = await roster.createOrganization('peeker@example.com');
      const outsider = roster.client(other.adminKeyValue).admin.organization.invites;
      await assertRefused(outsider.retrieve(invite.id), { status: 404 });
      await assertRefused(outsider.delete(invite.id), { status: 404 });
      assert.deepEqual((await outsider.list()).data, []);
      // Each organization has its own pending slot per email.
      assert.equal((await outsider.create({ email: 'secret@example.com', role: 'reader' })).status, 'pending');
      assert.equal((await invites().retrieve(invite.id)).status, 'pending');
    });
  });
});
