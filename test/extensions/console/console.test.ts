import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { TestRoster, people } from '../../support/roster.ts';
import { assertAccessible, assertFitsWidth, openBrowser, openSection, screenshot, signIn, type Browser } from './browser.ts';

/** The web console, driven in real Chromium against a real roster. */
describe('web console', () => {
  let roster: TestRoster;
  let browser: Browser;
  let page: Page;

  before(async () => {
    roster = await TestRoster.start();
    await roster.addMembers(people(45));
    browser = await openBrowser();
    page = browser.page;
  });
  after(async () => {
    await browser?.close();
    await roster.close();
  });

  test('GET / serves the console page; other unknown paths keep the API 404', async () => {
    const home = await roster.request('GET', '/', { key: null });
    assert.equal(home.status, 200);
    assert.match(home.headers.get('content-type') ?? '', /text\/html/);
    assert.match(home.body, /roster console/);
    const script = await roster.request('GET', '/app.js', { key: null });
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
    const missing = await roster.request('GET', '/no-such-page', { key: null });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.message, 'Invalid URL (GET /no-such-page)');
  });

  test('a wrong key is refused with a readable message and the key stays in the field', async () => {
    await page.goto(`${roster.origin}/`);
    await assertAccessible(page, 'the sign-in page');
    await page.getByLabel('Admin key', { exact: true }).fill('sk-admin-not-a-real-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Incorrect API key provided' }).waitFor();
    assert.equal(await page.getByLabel('Admin key', { exact: true }).inputValue(), 'sk-admin-not-a-real-key');
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  });

  test('signing in shows the organization and the key owner, and keeps the key in session storage only', async () => {
    await signIn(page, roster.origin, roster.org.adminKeyValue);
    const header = page.getByRole('banner');
    await header.getByText(roster.org.organizationId).waitFor();
    await header.getByText('Signed in as Olive Owner (owner@example.com)').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('roster.adminKey')), roster.org.adminKeyValue);
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    // A reload in the same tab stays signed in.
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  });

  test('members are listed a page at a time, with next and previous pages', async () => {
    await openSection(page, 'Members');
    const rows = page.getByRole('table').locator('tbody tr');
    await rows.nth(19).waitFor();
    assert.equal(await rows.count(), 20);
    await page.getByText('The organization has one owner').waitFor();
    await screenshot(page, 'members');
    const firstPageFirst = await rows.first().locator('td').first().textContent();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2').waitFor();
    await page.waitForFunction((first) => document.querySelector('tbody td')?.textContent !== first, firstPageFirst);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 3').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 6); // 46 members: 20 + 20 + 6
    assert.equal(await page.getByRole('button', { name: 'Next page' }).isDisabled(), true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText('Page 2').waitFor();
    await assertAccessible(page, 'the members page');
  });

  test('the only owner cannot be demoted or removed, and the page says why', async () => {
    await openSection(page, 'Members');
    await search(page, 'owner@example.com');
    const role = page.getByLabel('Role of owner@example.com');
    await page.getByText('The organization has one owner').waitFor();
    assert.equal(await role.isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Remove owner@example.com' }).isDisabled(), true);
    assert.match((await role.getAttribute('aria-describedby')) ?? '', /last-owner-reason/);
  });

  test('search finds a member by e-mail; changing the role and removing go through the API', async () => {
    await openSection(page, 'Members');
    await search(page, 'person-007@example.com');
    await page.getByLabel('Role of person-007@example.com').selectOption('owner');
    await page.getByRole('status').filter({ hasText: 'person-007@example.com is now an owner.' }).waitFor();
    const promoted = await roster.client().admin.organization.users.list({ emails: ['person-007@example.com'] });
    assert.equal(promoted.data[0]?.role, 'owner');
    // With a second owner the first one's controls come back.
    await search(page, 'owner@example.com');
    await page.waitForFunction(() => !(document.querySelector('select') as HTMLSelectElement).disabled);

    await search(page, 'person-008@example.com');
    await page.getByRole('button', { name: 'Remove person-008@example.com' }).click();
    await assertAccessible(page, 'the remove confirmation');
    await page.getByRole('dialog').getByRole('button', { name: 'Remove member' }).click();
    await page.getByRole('status').filter({ hasText: 'person-008@example.com was removed' }).waitFor();
    const removed = await roster.client().admin.organization.users.list({ emails: ['person-008@example.com'] });
    assert.equal(removed.data.length, 0);
    await page.getByText('No member has the e-mail person-008@example.com.').waitFor();
  });

  test('a refused role change shows the server reason and puts the select back', async () => {
    // The owner demotes themselves in another tab, so this page still believes there are two owners.
    const demoted = (await roster.client().admin.organization.users.list({ emails: ['person-007@example.com'] })).data[0]!;
    await openSection(page, 'Members');
    await search(page, 'owner@example.com');
    await page.waitForFunction(() => !(document.querySelector('select') as HTMLSelectElement).disabled);
    await roster.client().admin.organization.users.update(demoted.id, { role: 'reader' });
    await page.getByLabel('Role of owner@example.com').selectOption('reader');
    await page.getByRole('alert').filter({ hasText: 'Cannot demote the last owner' }).waitFor();
    await page.waitForFunction(() => (document.querySelector('select') as HTMLSelectElement).value === 'owner');
  });

  test('the keyboard alone signs in, moves between pages, creates a project and answers a confirmation', async () => {
    const keyboardOnly = await openBrowser();
    const { page: tab } = keyboardOnly;
    /** Presses Tab until the focused element's accessible text is `text`. */
    const tabTo = async (text: string) => {
      for (let presses = 0; presses < 60; presses++) {
        await tab.keyboard.press('Tab');
        const focused = await tab.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '');
        if (focused.trim() === text) return;
      }
      assert.fail(`Tab never reached ${text}`);
    };
    try {
      await tab.goto(`${roster.origin}/`);
      await tab.keyboard.press('Tab');
      await tab.keyboard.type(roster.org.adminKeyValue);
      await tab.keyboard.press('Enter');
      await tab.getByRole('button', { name: 'Sign out' }).waitFor();

      await tabTo('Projects');
      await tab.keyboard.press('Enter');
      await tab.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
      // The page's heading takes the focus once the page has rendered; Tab moves on from there.
      await tab.waitForFunction(() => document.activeElement?.id === 'page-title');
      await tab.keyboard.press('Tab');
      assert.equal(await tab.evaluate(() => document.activeElement?.id), 'project-name');
      await tab.keyboard.type('Typed, not clicked');
      await tab.keyboard.press('Enter');
      await tab.getByRole('status').filter({ hasText: 'Project Typed, not clicked was created.' }).waitFor();

      await tabTo('Members');
      await tab.keyboard.press('Enter');
      await tab.locator('tbody tr').nth(1).waitFor();
      await tabTo('Remove person-000@example.com');
      await tab.keyboard.press('Enter');
      await tab.getByRole('dialog').waitFor();
      assert.equal(await tab.evaluate(() => document.activeElement?.textContent), 'Cancel');
      await tab.keyboard.press('Escape');
      await tab.getByRole('dialog').waitFor({ state: 'hidden' });
      assert.equal((await roster.client().admin.organization.users.list({ emails: ['person-000@example.com'] })).data.length, 1);
    } finally {
      await keyboardOnly.close();
    }
  });

  test('the console fits a 390 px phone screen', async () => {
    const phone = await openBrowser(390, 844);
    try {
      await signIn(phone.page, roster.origin, roster.org.adminKeyValue);
      await phone.page.locator('tbody tr').first().waitFor();
      await assertFitsWidth(phone.page, 'the members page');
      await screenshot(phone.page, 'members-phone');
    } finally {
      await phone.close();
    }
  });

  test('a stored key the server no longer accepts returns to sign-in with the reason', async () => {
    const key = await roster.createAdminKey(roster.org.ownerId);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, roster.origin, key.value);
    await roster.client().admin.organization.adminAPIKeys.delete(key.id);
    await page.reload();
    await page.getByRole('alert').filter({ hasText: 'Signed out: Incorrect API key provided' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    await signIn(page, roster.origin, roster.org.adminKeyValue);
  });

  test('signing out forgets the key', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin key', { exact: true }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    await page.reload();
    await page.getByLabel('Admin key', { exact: true }).waitFor();
  });
});

async function search(page: Page, email: string): Promise<void> {
  await page.getByLabel('Find by e-mail').fill(email);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForFunction(
    (wanted) => {
      const cells = [...document.querySelectorAll('tbody tr td:first-child')].map((cell) => cell.textContent);
      return cells.length === 0 ? document.body.textContent!.includes(`No member has the e-mail ${wanted}`) : cells.every((text) => text === wanted);
    },
    email,
  );
}
