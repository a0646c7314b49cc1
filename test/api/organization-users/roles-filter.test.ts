import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TestRoster, people } from '../../support/roster.ts';

// roster extension: `roles[]` narrows the member list to holders of those roles (the console uses
// it to find out whether an owner is the last one).
let roster: TestRoster;
before(async () => {
  roster = await TestRoster.start();
  await roster.addMembers([...people(30), { email: 'second-owner@example.com', role: 'owner' }]);
});
after(() => roster.close());

test('roles[]=owner lists only the owners, paged like the full list', async () => {
  const first = (await roster.request('GET', '/v1/organization/users?roles[]=owner&limit=1')).body;
  assert.equal(first.data.length, 1);
  assert.equal(first.has_more, true);
  const rest = (await roster.request('GET', `/v1/organization/users?roles[]=owner&limit=10&after=${first.last_id}`)).body;
  const emails = [...first.data, ...rest.data].map((user: { email: string }) => user.email).sort();
  assert.deepEqual(emails, ['owner@example.com', 'second-owner@example.com']);
  assert.equal(rest.has_more, false);
});

test('roles[] combines with emails[]', async () => {
  const page = (await roster.request('GET', '/v1/organization/users?roles[]=reader&emails[]=owner@example.com&emails[]=person-001@example.com')).body;
  assert.deepEqual(page.data.map((user: { email: string }) => user.email), ['person-001@example.com']);
});

test('an unknown role is a 400 naming the parameter', async () => {
  const refused = await roster.request('GET', '/v1/organization/users?roles[]=admin');
  assert.equal(refused.status, 400);
  assert.match(refused.body.error.message, /roles/);
});
