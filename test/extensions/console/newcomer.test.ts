import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startRosterProcess, stopRosterProcess } from '../../support/roster-process.ts';
import { openTestStoreForChildProcesses } from '../../support/store.ts';
import { openBrowser } from './browser.ts';

test('a newcomer opens the URL `roster serve` prints and signs in with the key it prints', async (t) => {
  const store = await openTestStoreForChildProcesses(t);
  if (!store) return;
  const running = await startRosterProcess(store.processEnv!);
  const browser = await openBrowser();
  try {
    const url = /Web console: (http:\/\/\S+)/.exec(running.output())?.[1];
    const key = /Admin key \(shown once, store it now\): (sk-admin-\S+)/.exec(running.output())?.[1];
    assert.ok(url && key, running.output());
    const { page } = browser;
    await page.goto(url);
    await page.getByLabel('Admin key', { exact: true }).fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Members' }).waitFor();
    await page.getByLabel('Role of owner@example.com').waitFor();
  } finally {
    await browser.close();
    assert.equal(await stopRosterProcess(running), 0);
  }
});
