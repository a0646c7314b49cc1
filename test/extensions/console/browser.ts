/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Functions given to page.evaluate run in the page, so these tests see the DOM types too.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { TestRoster, people } from '../../support/roster.ts';

/**
 * Real Chromium for the console's tests: Debian's package (`apt-get install chromium`, which
 * .ci/run does when it is missing), driven by playwright-core, headless, with a fresh profile that
 * is deleted afterwards.
 */
export const CHROMIUM = process.env.ROSTER_CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  close: () => Promise<void>;
}

export async function openBrowser(width = 1280, height = 900): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'roster-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width, height },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  context.setDefaultTimeout(20_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core on the page as it is now; fails on any serious or critical violation. */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: any) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, [], `${what} has accessibility violations`);
}

/** Nothing sticks out sideways: the page fits the viewport's width (tables scroll in their own box). */
export async function assertFitsWidth(page: Page, what: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  assert.ok(scrollWidth <= innerWidth, `${what} is ${scrollWidth} px wide in a ${innerWidth} px window`);
}

/**
 * Screenshots go to docs/ (for the README) when ROSTER_CONSOLE_SCREENSHOTS=docs, else to a temporary
 * folder, so an ordinary test run leaves the work tree clean.
 */
const screenshotDir = process.env.ROSTER_CONSOLE_SCREENSHOTS === 'docs' ? 'docs' : mkdtempSync(join(tmpdir(), 'roster-shots-'));
mkdirSync(screenshotDir, { recursive: true });

/** The top of the page, at most 640 px of it, which keeps the PNGs small. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const { width, height } = page.viewportSize()!;
  await page.screenshot({ path: join(screenshotDir, `console-${name}.png`), clip: { x: 0, y: 0, width, height: Math.min(height, 640) } });
}

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, origin: string, key: string): Promise<void> {
  await page.goto(`${origin}/`);
  await page.getByLabel('Admin key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Opens a section from the navigation and waits for its heading. */
export async function openSection(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: label }).waitFor();
}

/** A roster with `memberCount` extra members, and Chromium signed in to its console as the owner. */
export async function startSignedIn(memberCount: number) {
  const roster = await TestRoster.start();
  await roster.addMembers(people(memberCount));
  const browser = await openBrowser();
  const { page } = browser;
  await signIn(page, roster.origin, roster.org.adminKeyValue);
  return {
    roster,
    page,
    /** Waits for a success message containing `text`. */
    notice: (text: string) => page.getByRole('status').filter({ hasText: text }).waitFor(),
    /** Waits for an error message containing `text`. */
    alert: (text: string) => page.getByRole('alert').filter({ hasText: text }).waitFor(),
    close: async () => {
      await browser.close();
      await roster.close();
    },
  };
}
