import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { assertApiError } from '../../support/errors.ts';
import { assertPagesInBothOrders } from '../../support/pagination.ts';
import { TestRoster, people } from '../../support/roster.ts';

describe('group users', () => {
  let roster: TestRoster;
  let sdk: OpenAI;
  let groups = 0;
  let persons = 0;

  before(async () => {
    roster = await TestRoster.start();
    sdk = roster.client();
  });
  after(() => roster.close());

  const newGroup = async () => (await sdk.admin.organization.groups.create({ name: `Group ${++groups}` })).id;

  /** New organization members, in creation (and so id) order. */
  async function newMembers(count: number): Promise<string[]> {
    const prefix = `member${++persons}`;
    const added = people(count, prefix);
    await roster.addMembers(added);
    const page = await sdk.admin.organization.users.list({ emails: added.map((p) => p.email), limit: 100 });
    return page.data.map((user) => user.id);
  }

  test('an organization member added to a group is listed and retrieved there, and the change is audited', async () => {
    const groupId = await newGroup();
    const [userId] = await newMembers(1);
    assert.deepEqual(await sdk.admin.organization.groups.users.create(groupId, { user_id: userId! }), {
      object: 'group.user',
      user_id: userId,
      group_id: groupId,
    });
    const member = await sdk.admin.organization.groups.users.retrieve(userId!, { group_id: groupId });
    assert.deepEqual(member, { id: userId, name: 'Person 0', email: `member${persons}-000@example.com`, picture: null, is_service_account: false, user_type: 'user' });
    const page = await sdk.admin.organization.groups.users.list(groupId);
    assert.deepEqual(page.data, [{ id: userId, name: 'Person 0', email: `member${persons}-000@example.com` }]);
    assert.deepEqual([page.has_more, page.next], [false, null]);

    const [event] = (await roster.auditEvents('tenant.group.member.added')).filter((e) => e.resource_id === groupId);
    assert.deepEqual(event!.details, { id: groupId, user_id: userId });
    // Listed by the audit log among the tenant-scoped events.
    const listed = await sdk.admin.organization.auditLogs.list({ event_types: ['tenant.group.member.added'], tenant_only: true });
    assert.ok(listed.data.some((e) => e.id === event!.id));
  });

  test('adding someone already in the group is a 400 that changes nothing', async () => {
    const groupId = await newGroup();
    const [userId] = await newMembers(1);
    await sdk.admin.organization.groups.users.create(groupId, { user_id: userId! });
    await assertApiError(sdk.admin.organization.groups.users.create(groupId, { user_id: userId! }), OpenAI.BadRequestError, {
      param: 'user_id',
      code: 'user_already_in_group',
    });
    assert.equal((await roster.auditEvents('tenant.group.member.added')).filter((e) => e.resource_id === groupId).length, 1);
  });

  test('only organization members can join; unknown groups are 404s', async () => {
    const groupId = await newGroup();
    const outsider = await roster.createOrganization(`outsider-${groups}@example.com`);
    await assertApiError(sdk.admin.organization.groups.users.create(groupId, { user_id: outsider.ownerId }), OpenAI.BadRequestError, {
      param: 'user_id',
      code: 'user_not_in_organization',
    });
    const [userId] = await newMembers(1);
    await assertApiError(sdk.admin.organization.groups.users.create('group_missing', { user_id: userId! }), OpenAI.NotFoundError, { param: 'group_id' });
    await assertApiError(sdk.admin.organization.groups.users.list('group_missing'), OpenAI.NotFoundError);
    await assertApiError(sdk.admin.organization.groups.users.retrieve(userId!, { group_id: groupId }), OpenAI.NotFoundError, { param: 'user_id' });
  });

  test('removing a member takes them out of the group once, and is audited', async () => {
    const groupId = await newGroup();
    const [userId] = await newMembers(1);
    await sdk.admin.organization.groups.users.create(groupId, { user_id: userId! });
    assert.deepEqual(await sdk.admin.organization.groups.users.delete(userId!, { group_id: groupId }), { object: 'group.user.deleted', deleted: true });
    assert.deepEqual((await sdk.admin.organization.groups.users.list(groupId)).data, []);
    await assertApiError(sdk.admin.organization.groups.users.delete(userId!, { group_id: groupId }), OpenAI.NotFoundError);
    const events = (await roster.auditEvents('tenant.group.member.removed')).filter((e) => e.resource_id === groupId);
    assert.deepEqual(events.map((e) => e.details), [{ id: groupId, user_id: userId }]);
  });

  test('leaving the organization leaves every group', async () => {
    const [first, second] = [await newGroup(), await newGroup()];
    const [userId, stays] = await newMembers(2);
    for (const groupId of [first, second]) {
      await sdk.admin.organization.groups.users.create(groupId!, { user_id: userId! });
      await sdk.admin.organization.groups.users.create(groupId!, { user_id: stays! });
    }
    await sdk.admin.organization.users.delete(userId!);
    for (const groupId of [first, second]) {
      assert.deepEqual((await sdk.admin.organization.groups.users.list(groupId!)).data.map((u) => u.id), [stays]);
    }
  });

  test('members are listed newest first by default, and auto-pagination goes past one page in both orders', async () => {
    const groupId = await newGroup();
    const ids = await newMembers(7);
    // Added in a scrambled order: the list follows the users, not the order they joined in.
    for (const userId of [ids[3], ids[0], ids[6], ids[1], ids[5], ids[2], ids[4]]) {
      await sdk.admin.organization.groups.users.create(groupId, { user_id: userId! });
    }
    const page = await sdk.admin.organization.groups.users.list(groupId);
    assert.deepEqual(page.data.map((u) => u.id), [...ids].reverse());
    await assertPagesInBothOrders((query) => sdk.admin.organization.groups.users.list(groupId, query), ids, 3);
  });
});
