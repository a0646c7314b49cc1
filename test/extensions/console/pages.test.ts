import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import type { Page } from 'playwright-core';
import type { TestRoster } from '../../support/roster.ts';
import { assertAccessible, assertFitsWidth, openBrowser, openSection, screenshot, signIn, startSignedIn } from './browser.ts';

/** Each page of the console: its main action, its refusal path, and the audit log showing the change. */
describe('web console pages', () => {
  let session: Awaited<ReturnType<typeof startSignedIn>>;
  let roster: TestRoster;
  let client: OpenAI;
  let page: Page;
  let notice: (text: string) => Promise<void>;
  let alert: (text: string) => Promise<void>;

  before(async () => {
    session = await startSignedIn(12);
    ({ roster, page, notice, alert } = session);
    client = roster.client();
  });
  after(() => session?.close());

  test('projects: create, rename, and archive after a confirmation', async () => {
    await openSection(page, 'Projects');
    await page.getByLabel('New project name').fill('Apollo');
    await page.getByRole('button', { name: 'Create project' }).click();
    await notice('Project Apollo was created.');
    await page.getByRole('link', { name: 'Apollo' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Project Apollo' }).waitFor();

    await page.getByLabel('Name', { exact: true }).fill('Apollo 11');
    await page.getByRole('button', { name: 'Rename' }).click();
    await notice('The project is now called Apollo 11.');
    await assertAccessible(page, 'the project page');
    await screenshot(page, 'project');

    await page.getByRole('button', { name: 'Archive project' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    const project = (await client.admin.organization.projects.list()).data.find((p) => p.name === 'Apollo 11')!;
    assert.equal(project.status, 'active');
    await page.getByRole('button', { name: 'Archive project' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Archive', exact: true }).click();
    await notice('The project was archived.');
    assert.equal((await client.admin.organization.projects.retrieve(project.id)).status, 'archived');
    assert.equal(await page.getByRole('button', { name: 'Rename' }).isDisabled(), true);
  });

  test('project members: add with a role, refuse a duplicate while keeping the input, change role, remove', async () => {
    const project = await client.admin.organization.projects.create({ name: 'Gemini' });
    await page.goto(`${roster.origin}/#/projects/${project.id}`);
    await page.getByRole('heading', { level: 1, name: 'Project Gemini' }).waitFor();
    await page.getByLabel('E-mail of a member').fill('person-003@example.com');
    // The project page has a role picker per section (members, groups): this one is the members'.
    await page.getByRole('region', { name: 'Members' }).getByLabel('Role', { exact: true }).selectOption('member');
    await page.getByRole('button', { name: 'Add to project' }).click();
    await notice('person-003@example.com was added to the project as member.');

    await page.getByLabel('E-mail of a member').fill('person-003@example.com');
    await page.getByRole('button', { name: 'Add to project' }).click();
    await alert('already exists in project');
    assert.equal(await page.getByLabel('E-mail of a member').inputValue(), 'person-003@example.com');

    await page.getByLabel('Project role of person-003@example.com').selectOption('owner');
    await notice('person-003@example.com is now owner in the project.');
    const [member] = (await client.admin.organization.projects.users.list(project.id)).data.filter((u) => u.email === 'person-003@example.com');
    assert.equal(member?.role, 'owner');

    await page.getByRole('button', { name: 'Remove person-003@example.com from the project' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove from project' }).click();
    await notice('person-003@example.com was removed from the project.');
    await page.getByText('Nobody is in this project yet.').waitFor();
  });

  test('invites: send with a project, refuse an existing member, revoke', async () => {
    const project = await client.admin.organization.projects.create({ name: 'Mercury' });
    await openSection(page, 'Invites');
    await page.getByLabel('E-mail').fill('person-001@example.com');
    await page.getByRole('button', { name: 'Send invite' }).click();
    await alert('already a member of the organization');
    assert.equal(await page.getByLabel('E-mail').inputValue(), 'person-001@example.com');

    await page.getByLabel('E-mail').fill('newcomer@example.com');
    await page.getByRole('button', { name: 'Add a project' }).click();
    await page.getByLabel('Project', { exact: true }).selectOption({ label: 'Mercury' });
    await page.getByLabel('Role', { exact: true }).selectOption('owner');
    await page.getByRole('button', { name: 'Send invite' }).click();
    await notice('An invite was sent to newcomer@example.com.');
    const row = page.getByRole('row').filter({ hasText: 'newcomer@example.com' });
    await row.getByText('pending').waitFor();
    await row.getByText('Mercury (owner)').waitFor();
    const [invite] = (await client.admin.organization.invites.list()).data;
    assert.deepEqual(invite?.projects, [{ id: project.id, role: 'owner' }]);
    await assertAccessible(page, 'the invites page');
    await screenshot(page, 'invites');

    await page.getByRole('button', { name: 'Revoke the invite to newcomer@example.com' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke invite' }).click();
    await notice('The invite to newcomer@example.com was revoked.');
    assert.equal((await client.admin.organization.invites.list()).data.length, 0);
  });

  test('roles: create a custom role with the permission picker, refuse a taken name, edit, delete', async () => {
    await openSection(page, 'Roles');
    await page.getByRole('cell', { name: 'predefined' }).first().waitFor();
    await page.getByLabel('Role name').fill('Auditor');
    await page.getByLabel('api.audit_logs.read').check();
    await page.getByLabel('api.usage.read').check();
    await page.getByRole('button', { name: 'Create role' }).click();
    await notice('The role Auditor was created.');
    const created = (await client.admin.organization.roles.list()).data.find((role) => role.name === 'Auditor');
    assert.deepEqual(created?.permissions.sort(), ['api.audit_logs.read', 'api.usage.read']);
    await assertAccessible(page, 'the roles page');
    await screenshot(page, 'roles');

    await page.getByLabel('Role name').fill('Auditor');
    await page.getByLabel('api.usage.read').check();
    await page.getByRole('button', { name: 'Create role' }).click();
    await alert("A role named 'Auditor' already exists");
    assert.equal(await page.getByLabel('Role name').inputValue(), 'Auditor');
    assert.equal(await page.getByLabel('api.usage.read').isChecked(), true);

    await page.getByRole('button', { name: 'Edit Auditor' }).click();
    await page.getByLabel('api.usage.read').uncheck();
    await page.getByRole('button', { name: 'Save role' }).click();
    await notice('The role Auditor was updated.');
    assert.deepEqual((await client.admin.organization.roles.retrieve(created!.id)).permissions, ['api.audit_logs.read']);

    await page.getByRole('button', { name: 'Delete Auditor' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete role' }).click();
    await notice('The role Auditor was deleted.');
  });

  test('admin keys: a new key is shown once with a copy button; a too-long lifetime is refused', async () => {
    await openSection(page, 'Admin keys');
    await page.getByLabel('Key name').fill('ci');
    await page.getByLabel('Expires after').fill('400');
    await page.getByRole('button', { name: 'Create key' }).click();
    await alert('expires_in_seconds');
    assert.equal(await page.getByLabel('Key name').inputValue(), 'ci');

    await page.getByLabel('Expires after').fill('30');
    await page.getByRole('button', { name: 'Create key' }).click();
    await notice('The key ci was created.');
    const shown = await page.getByRole('textbox', { name: 'The new admin key ci' }).inputValue();
    assert.match(shown, /^sk-admin-/);
    await page.getByRole('button', { name: 'Copy' }).click();
    await notice('Copied to the clipboard.');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shown);
    // The value is a working key.
    const mine = await roster.client(shown).admin.organization.adminAPIKeys.list();
    assert.ok(mine.data.some((key) => key.name === 'ci'));
    await assertAccessible(page, 'the admin keys page');

    await page.getByRole('button', { name: 'Done' }).click();
    assert.equal(await page.getByText(shown).count(), 0);
    await page.reload();
    await page.getByRole('cell', { name: 'ci', exact: true }).waitFor();
    assert.equal(await page.locator(`input[value="${shown}"]`).count(), 0);
    await screenshot(page, 'admin-keys');

    await page.getByRole('button', { name: 'Delete key ci' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete key' }).click();
    await notice('The key ci was deleted.');
  });

  test('audit log: newest first, shows the change just made, filters, full JSON on click', async () => {
    await openSection(page, 'Projects');
    await page.getByLabel('New project name').fill('Just made');
    await page.getByRole('button', { name: 'Create project' }).click();
    await notice('Project Just made was created.');
    await openSection(page, 'Audit log');
    const events = page.getByRole('list', { name: 'Events, newest first' }).getByRole('listitem');
    await events.first().getByText('project.created').waitFor();
    await events.first().getByText('by owner@example.com in Just made').waitFor();

    await page.getByLabel('Event type').selectOption('api_key.deleted');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForFunction(() => [...document.querySelectorAll('.events strong')].every((e) => e.textContent === 'api_key.deleted'));
    await events.first().waitFor();
    assert.equal(await events.count(), 1);

    await events.first().getByRole('button').click();
    const parsed = JSON.parse((await page.locator('pre.json').textContent())!);
    assert.equal(parsed.type, 'api_key.deleted');
    assert.equal(parsed.actor.api_key.user.email, 'owner@example.com');
    assert.equal(await events.first().getByRole('button').getAttribute('aria-expanded'), 'true');
    await assertAccessible(page, 'the audit log');
    await screenshot(page, 'audit-log');

    await page.getByLabel('Actor e-mail').fill('nobody@example.com');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No events match.').waitFor();
  });

  test('audit log: scrolling to the end loads older events through the cursor', async () => {
    for (let i = 0; i < 30; i++) await client.admin.organization.projects.create({ name: `Bulk ${i}` });
    const total = (await roster.auditEvents()).length;
    assert.ok(total > 25, `${total} events: fewer than two pages`);
    await page.goto(`${roster.origin}/#/members`);
    await openSection(page, 'Audit log');
    const events = page.locator('.events > li');
    await events.nth(24).waitFor();
    // Keep scrolling until the oldest event is reached: every event appears once, newest first.
    while ((await page.getByText('That is the oldest event.').count()) === 0) {
      await page.locator('.events > li').last().scrollIntoViewIfNeeded();
      await page.waitForTimeout(50);
    }
    const types = await page.locator('.events strong').allTextContents();
    assert.equal(types.length, total);
    assert.equal(types[0], 'project.created');
    assert.equal(types.at(-1), 'project.created'); // the oldest: an early project created above
  });

  test('pages whose endpoints this server lacks say so instead of failing', async () => {
    const missing = (path: string) => ({
      status: 404,
      contentType: 'application/json',
      body: JSON.stringify({ error: { message: `Invalid URL (GET ${path})`, type: 'invalid_request_error', param: null, code: null } }),
    });
    await page.route('**/v1/organization/groups**', (route) => route.fulfill(missing('/v1/organization/groups')));
    await page.route('**/v1/organization/projects/*/groups**', (route) => route.fulfill(missing('/v1/organization/projects/x/groups')));
    await page.route('**/service_accounts**', (route) => route.fulfill(missing('/v1/organization/projects/x/service_accounts')));
    await page.route('**/api_keys**', (route) => route.fulfill(missing('/v1/organization/projects/x/api_keys')));
    try {
      await openSection(page, 'Groups');
      await page.getByText('Groups are not available on this server').waitFor();
      await assertAccessible(page, 'the groups page');
      const project = await client.admin.organization.projects.create({ name: 'Vostok' });
      await page.goto(`${roster.origin}/#/projects/${project.id}`);
      await page.getByText('Groups are not available on this server').waitFor();
      await page.getByText('Service accounts are not available on this server').waitFor();
      await page.getByText('Project API keys are not available on this server').waitFor();
    } finally {
      await page.unrouteAll();
    }
  });

  test('every page fits a 390 px screen and passes axe there', async () => {
    const phone = await openBrowser(390, 844);
    try {
      await signIn(phone.page, roster.origin, roster.org.adminKeyValue);
      for (const section of ['Projects', 'Invites', 'Roles', 'Admin keys', 'Audit log']) {
        await openSection(phone.page, section);
        await phone.page.waitForLoadState('networkidle');
        await assertFitsWidth(phone.page, `the ${section} page`);
        await assertAccessible(phone.page, `the ${section} page at 390 px`);
      }
    } finally {
      await phone.close();
    }
  });
});
