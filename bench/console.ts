import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYS, prepareStore } from './fixtures.ts';
import { ROOT, startServer } from './processes.ts';
import { openBrowser } from '../test/extensions/console/browser.ts';

/**
 * `npm run bench:console`: how long the web console takes, in Chromium, from opening roster's URL
 * to an interactive members page (first 20 rows drawn, their role controls enabled, the
 * last-owner check answered) for an
 * organization of 1,000,000 members filled by `roster import`. Each round uses a fresh browser
 * profile, so nothing is cached. Two figures per round:
 *
 * - signed in: the key is already in the tab's session storage (a reload, or a new page of the
 *   same tab), so the first load goes straight to the members page;
 * - with sign-in: the sign-in form, the key typed in, and then the members page.
 *
 *   BENCH_CONSOLE_MEMBERS=1000000 BENCH_CONSOLE_ROUNDS=5 npm run bench:console
 */
const members = Number(process.env.BENCH_CONSOLE_MEMBERS ?? 1_000_000);
const rounds = Number(process.env.BENCH_CONSOLE_ROUNDS ?? 5);
const TARGET_MS = 1500;

const workDir = mkdtempSync(join(tmpdir(), 'roster-bench-console-'));
const sqlitePath = join(workDir, 'roster.db');
process.stdout.write(`filling a store with an organization of ${members.toLocaleString('en')} members…\n`);
const { large } = await prepareStore(workDir, { ROSTER_DB: sqlitePath, DATABASE_URL: '' }, { small: 10, large: members });
if (!large) throw new Error('BENCH_CONSOLE_MEMBERS must be at least 1');
process.stdout.write(`imported in ${large.importSeconds} s\n`);
const server = await startServer([join(ROOT, 'src/cli.ts'), 'serve'], { ROSTER_DB: sqlitePath, DATABASE_URL: '', ROSTER_LOG_LEVEL: 'warn' }, join(workDir, 'roster.log'), '/roster/v1/health');

/**
 * True once the members table shows a full first page with its role controls usable, and the
 * owner check (which disables the last owner's controls) has answered.
 */
const MEMBERS_INTERACTIVE = () => {
  const selects = document.querySelectorAll('tbody select');
  const ownersChecked = performance.getEntriesByType('resource').some((entry) => entry.name.includes('roles%5B%5D=owner'));
  return ownersChecked && selects.length === 20 && [...selects].filter((s) => !(s as HTMLSelectElement).disabled).length >= 19;
};

/** The API calls of the last load, slowest first, to show where the time went. */
let lastCalls: string[] = [];

async function measure(signedIn: boolean): Promise<number> {
  const browser = await openBrowser();
  try {
    const { page } = browser;
    if (signedIn) await page.addInitScript((key) => sessionStorage.setItem('roster.adminKey', key), KEYS.large);
    const started = performance.now();
    await page.goto(`${server.origin}/`);
    if (!signedIn) {
      await page.getByLabel('Admin key', { exact: true }).fill(KEYS.large);
      await page.getByRole('button', { name: 'Sign in' }).click();
    }
    await page.waitForFunction(MEMBERS_INTERACTIVE, undefined, { polling: 'raf' });
    const elapsed = performance.now() - started;
    lastCalls = await page.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .sort((a, b) => b.duration - a.duration)
        .map((entry) => `${entry.duration.toFixed(0).padStart(5)} ms  ${entry.name.replace(location.origin, '')}`),
    );
    return elapsed;
  } finally {
    await browser.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

try {
  await measure(true); // the server's first requests warm its caches, as on any running instance
  const results = { signedIn: [] as number[], withSignIn: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    results.signedIn.push(await measure(true));
    results.withSignIn.push(await measure(false));
  }
  process.stdout.write(`\nfirst load to an interactive members page, ${members.toLocaleString('en')} members, ${rounds} rounds (ms):\n`);
  for (const [name, values] of Object.entries(results)) {
    const line = values.map((v) => v.toFixed(0)).join(', ');
    process.stdout.write(`  ${name.padEnd(11)} median ${median(values).toFixed(0)}  [${line}]\n`);
  }
  process.stdout.write(`requests of the last load, slowest first:\n${lastCalls.map((line) => `  ${line}\n`).join('')}`);
  const verdict = median(results.signedIn) <= TARGET_MS ? 'within' : 'OVER';
  process.stdout.write(`target ${TARGET_MS} ms (signed in): ${verdict}\n`);
} finally {
  await server.stop();
  rmSync(workDir, { recursive: true, force: true });
}
