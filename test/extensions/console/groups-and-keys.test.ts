import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { TestRoster } from '../../support/roster.ts';
import { assertAccessible, openSection, screenshot, startSignedIn } from './browser.ts';

/** The console pages built on groups, service accounts and project API keys. */
describe('web console: groups, service accounts and project keys', () => {
  let session: Awaited<ReturnType<typeof startSignedIn>>;
  let roster: TestRoster;
  let page: Page;
  let notice: (text: string) => Promise<void>;
  let alert: (text: string) => Promise<void>;
  let projectId: string;

  before(async () => {
    session = await startSignedIn(5);
    ({ roster, page, notice, alert } = session);
    projectId = (await roster.request('POST', '/v1/organization/projects', { body: { name: 'Skylab' } })).body.id;
  });
  after(() => session?.close());

  test('groups: create, add a member, refuse a non-member while keeping the input, rename, delete', async () => {
    await openSection(page, 'Groups');
    await page.getByLabel('New group name').fill('Engineering');
    await page.getByRole('button', { name: 'Create group' }).click();
    await notice('The group Engineering was created.');
    await page.getByRole('button', { name: 'Engineering' }).click();
    await page.getByLabel('E-mail of a member').fill('person-001@example.com');
    await page.getByRole('button', { name: 'Add to group' }).click();
    await notice('person-001@example.com was added to Engineering.');
    const groups = (await roster.request('GET', '/v1/organization/groups')).body.data;
    const members = (await roster.request('GET', `/v1/organization/groups/${groups[0].id}/users`)).body.data;
    assert.deepEqual(members.map((user: { email: string }) => user.email), ['person-001@example.com']);

    await page.getByLabel('E-mail of a member').fill('stranger@example.com');
    await page.getByRole('button', { name: 'Add to group' }).click();
    await alert('No member of the organization has the e-mail stranger@example.com');
    assert.equal(await page.getByLabel('E-mail of a member').inputValue(), 'stranger@example.com');
    await assertAccessible(page, 'the groups page');
    await screenshot(page, 'groups');

    await page.getByLabel('Name', { exact: true }).fill('Platform');
    await page.getByRole('button', { name: 'Rename' }).click();
    await notice('The group is now called Platform.');
    await page.getByRole('button', { name: 'Remove person-001@example.com from the group' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove from group' }).click();
    await notice('person-001@example.com was taken out of Platform.');
    await page.getByRole('button', { name: 'Delete group' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await notice('The group Platform was deleted.');
    assert.equal((await roster.request('GET', '/v1/organization/groups')).body.data.length, 0);
  });

  test('a group gets access to a project with a role, and loses it', async () => {
    await roster.request('POST', '/v1/organization/groups', { body: { name: 'Operators' } });
    await page.goto(`${roster.origin}/#/projects/${projectId}`);
    await page.getByRole('heading', { level: 1, name: 'Project Skylab' }).waitFor();
    await page.getByLabel('Group', { exact: true }).selectOption({ label: 'Operators' });
    await page.getByRole('button', { name: 'Add group' }).click();
    await notice('The group was given access to the project.');
    assert.equal((await roster.request('GET', `/v1/organization/projects/${projectId}/groups`)).body.data.length, 1);
    await page.getByRole('button', { name: 'Remove group Operators' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove group' }).click();
    await notice('Operators no longer has access to the project.');
  });

  test("service accounts: created with a key shown once, listed under the project, and gone with the account", async () => {
    await page.goto(`${roster.origin}/#/projects/${projectId}`);
    await page.getByLabel('Service account name').fill('deployer');
    await page.getByRole('button', { name: 'Create service account' }).click();
    await notice('Service account deployer was created.');
    const value = await page.getByRole('textbox', { name: "The service account's API key" }).inputValue();
    assert.ok(value.startsWith('sk-svcacct-'));
    await page.getByRole('button', { name: 'Done' }).click();
    await assertAccessible(page, 'the project page with service accounts');
    await screenshot(page, 'project-keys');

    await page.reload();
    const keyRow = page.locator('section[aria-labelledby="project-keys"] li').filter({ hasText: 'service account deployer' });
    await keyRow.getByText('revoked by deleting its service account').waitFor();
    assert.equal(await keyRow.getByRole('button', { name: /^Revoke key / }).count(), 0, "the API refuses to delete a service account's key");

    await page.getByRole('button', { name: 'Delete service account deployer' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete service account' }).click();
    await notice('Service account deployer was deleted.');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Project Skylab' }).waitFor();
    await keyRow.waitFor({ state: 'detached' });
  });

  test("a person's project key is revoked from the project page", async () => {
    const ownerId = roster.org.ownerId;
    await roster.request('POST', `/v1/organization/projects/${projectId}/users`, { body: { user_id: ownerId, role: 'member' } });
    const made = await roster.request('POST', `/roster/v1/projects/${projectId}/api_keys`, { body: { user_id: ownerId, name: 'laptop' } });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    await page.goto(`${roster.origin}/#/projects/${projectId}`);
    await page.reload(); // the page may already be this project's, read before the key existed
    await page.getByRole('button', { name: 'Revoke key laptop' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
    await notice('The key laptop was revoked.');
    const listed = (await roster.request('GET', `/v1/organization/projects/${projectId}/api_keys`)).body.data;
    assert.deepEqual(listed, []);
  });

  test('the audit log shows the group change just made', async () => {
    await openSection(page, 'Audit log');
    await page.getByLabel('Event type').selectOption('group.created');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.locator('.events strong').filter({ hasText: 'group.created' }).first().waitFor();
  });
});
