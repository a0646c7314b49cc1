import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { TestRoster } from '../../support/roster.ts';
import { assertRefused } from '../projects/refusals.ts';

/**
 * A person's whole stay, as an administrator drives it through the official SDK: invited, joins
 * (through roster's acceptance extension), is given a project, changes role, leaves the project,
 * then leaves the organization. The audit trail tells the same story.
 */
let roster: TestRoster;
let client: OpenAI;

before(async () => {
  roster = await TestRoster.start();
  client = roster.client();
});
after(() => roster.close());

test('invite, accept, join a project, change role, leave the project, leave the organization', async () => {
  const organization = client.admin.organization;
  const project = await organization.projects.create({ name: 'Journey' });

  const invite = await organization.invites.create({ email: 'traveller@example.com', role: 'reader', projects: [] });
  assert.equal(invite.status, 'pending');

  const accepted = await roster.request('POST', `/roster/v1/invites/${invite.id}/accept`, { body: { name: 'Tess Traveller' } });
  assert.equal(accepted.status, 200);
  const userId: string = accepted.body.id;
  assert.equal((await organization.users.retrieve(userId)).name, 'Tess Traveller');
  assert.equal((await organization.invites.retrieve(invite.id)).status, 'accepted');

  const seated = await organization.projects.users.create(project.id, { user_id: userId, role: 'member' });
  assert.equal(seated.role, 'member');
  const promoted = await organization.projects.users.update(userId, { project_id: project.id, role: 'owner' });
  assert.equal(promoted.role, 'owner');
  const members = [];
  for await (const member of organization.projects.users.list(project.id)) members.push(member);
  assert.deepEqual(members, [promoted]);

  await organization.projects.users.delete(userId, { project_id: project.id });
  assert.deepEqual((await organization.projects.users.list(project.id)).data, []);
  assert.equal((await organization.users.retrieve(userId)).role, 'reader', 'leaving a project keeps the organization membership');

  await organization.users.delete(userId);
  await assertRefused(organization.users.retrieve(userId), { status: 404 });

  const story = (await roster.auditEvents())
    .filter((e) => e.resource_id === userId || e.resource_id === invite.id)
    .map((e) => [e.type, e.project_id]);
  assert.deepEqual(story, [
    ['invite.sent', null],
    ['invite.accepted', null],
    ['user.added', null],
    ['user.added', project.id],
    ['user.updated', project.id],
    ['user.deleted', project.id],
    ['user.deleted', null],
  ]);
});
