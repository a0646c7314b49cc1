import { spawnSync } from 'node:child_process';
import { globSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describePostgresUrl } from '../src/db/postgres.ts';
import { dropStaleTestSchemas, resolvePostgresTarget, type StoreKind } from './support/store.ts';

/**
 * `npm test`: the whole suite once per store, SQLite first, then PostgreSQL (a server when one
 * answers, else in-process PGlite). Each pass is one `node --test` run with ROSTER_TEST_STORE set,
 * so every test file built on TestRoster or openTestStore runs on both without saying so. Both
 * passes run even if the first fails, and the run ends with a summary of each pass: passed,
 * failed, or did not run and why. Under CI (CI=true) a pass that did not run, or a PostgreSQL
 * pass that would fall back to PGlite, fails the run.
 *
 *   node test/run.ts [sqlite|postgres ...] [test files ...]
 *
 * Files under test/race/ start roster processes on a store they choose themselves, and run in the
 * pass of that store only: embedded-store.test.ts in the SQLite pass, the others (several
 * processes on one server) in the PostgreSQL pass. So do files named `*.sqlite.test.ts` and
 * `*.postgres.test.ts` (test/faults/: one store's own faults).
 */
const STORES: StoreKind[] = ['sqlite', 'postgres'];
const args = process.argv.slice(2);
const stores = args.filter((arg): arg is StoreKind => (STORES as string[]).includes(arg));
const named = args.filter((arg) => !(STORES as string[]).includes(arg));
const files = named.length > 0 ? named : globSync('test/**/*.test.ts').sort();
/**
 * The one pass a file runs in, or undefined for the files that run in both: `*.sqlite.test.ts` and
 * `*.postgres.test.ts` name theirs (they test one store's own faults), and so do the race tests.
 */
function onlyPass(file: string): StoreKind | undefined {
  const path = file.replaceAll('\\', '/');
  const named = /\.(sqlite|postgres)\.test\.ts$/.exec(path);
  if (named) return named[1] as StoreKind;
  // The emulator always runs on the embedded store, whichever pass this is.
  if (path.includes('test/extensions/emulator/')) return 'sqlite';
  if (!path.includes('test/race/')) return undefined;
  return path.endsWith('/embedded-store.test.ts') ? 'sqlite' : 'postgres';
}

function banner(text: string): void {
  process.stdout.write(`\n=== ${text} ===\n\n`);
}

/** How one pass went, for the summary that ends every run. */
interface PassReport {
  store: StoreKind;
  outcome: 'passed' | 'failed' | 'did not run';
  detail: string;
  counts?: Record<string, number>;
}

const inCi = process.env.CI === 'true' || process.env.CI === '1';

async function postgresEnvironment(): Promise<{ env: Record<string, string>; note: string }> {
  const target = await resolvePostgresTarget();
  if (target.kind === 'pglite') {
    const note = `on in-process PGlite (${target.reason}); tests that need a server are skipped`;
    banner(`PostgreSQL pass ${note}`);
    return { env: { ROSTER_TEST_DATABASE_URL: 'pglite' }, note };
  }
  const dropped = await dropStaleTestSchemas(target.url, 6 * 60 * 60 * 1000);
  const cleaned = dropped.length > 0 ? `; dropped ${dropped.length} test schemas left by earlier runs` : '';
  banner(`PostgreSQL pass on the server at ${describePostgresUrl(target.url)}, a fresh schema per test${cleaned}`);
  return { env: { ROSTER_TEST_DATABASE_URL: target.url }, note: `on ${describePostgresUrl(target.url)}` };
}

/** Counts from the TAP copy of a pass's results (`# pass 12`, `# skip 1` …). */
function tapCounts(file: string): Record<string, number> {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const counts: Record<string, number> = {};
  for (const [, name, value] of text.matchAll(/^# (tests|pass|fail|cancelled|skipped|todo) (\d+)$/gm)) counts[name!] = Number(value);
  return counts;
}

async function runPass(store: StoreKind): Promise<PassReport> {
  const env: Record<string, string | undefined> = { ...process.env, ROSTER_TEST_STORE: store };
  let where = '';
  if (store === 'postgres') {
    try {
      const postgres = await postgresEnvironment();
      Object.assign(env, postgres.env);
      where = ` ${postgres.note}`;
      if (inCi && postgres.env.ROSTER_TEST_DATABASE_URL === 'pglite') return { store, outcome: 'failed', detail: `CI needs a PostgreSQL server, but the pass would run${where}` };
    } catch (error) {
      return { store, outcome: 'did not run', detail: (error as Error).message };
    }
  } else banner('SQLite pass');
  const passFiles = files.filter((file) => (onlyPass(file) ?? store) === store);
  if (passFiles.length === 0) return { store, outcome: 'did not run', detail: 'none of the files given run on this store' };
  const tap = join(mkdtempSync(join(tmpdir(), 'roster-run-')), 'results.tap');
  const { status } = spawnSync(
    process.execPath,
    ['--test', '--test-concurrency=1', '--test-force-exit', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...passFiles],
    { stdio: 'inherit', env },
  );
  const counts = tapCounts(tap);
  rmSync(dirname(tap), { recursive: true, force: true });
  const skipped = counts.skipped ? `, ${counts.skipped} skipped` : '';
  const detail = `${passFiles.length} file${passFiles.length === 1 ? '' : 's'}, ${counts.pass ?? 0} of ${counts.tests ?? '?'} tests passed${skipped}${where}`;
  return { store, outcome: status === 0 ? 'passed' : 'failed', detail, counts };
}

const reports: PassReport[] = [];
for (const store of stores.length > 0 ? stores : STORES) reports.push(await runPass(store));

// Every run ends by saying what ran: a pass that failed, or never ran, cannot go unnoticed.
const names: Record<StoreKind, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };
banner('Summary');
for (const report of reports) process.stdout.write(`${names[report.store]} pass: ${report.outcome.toUpperCase()} (${report.detail})\n`);
const missing = reports.filter((report) => report.outcome === 'did not run');
const failed = reports.some((report) => report.outcome === 'failed') || (inCi && missing.length > 0);
if (missing.length > 0) process.stdout.write(`\n${inCi ? 'FAILED' : 'WARNING'}: ${missing.map((r) => names[r.store]).join(' and ')} pass did not run.\n`);
// The last line counts both passes together, in the plain form any CI reads.
const total = (name: string) => reports.reduce((sum, report) => sum + (report.counts?.[name] ?? 0), 0);
const skippedInAll = total('skipped');
process.stdout.write(`\n${total('pass')} passed, ${total('fail') + total('cancelled')} failed${skippedInAll ? `, ${skippedInAll} skipped` : ''}\n`);
process.exit(failed ? 1 : 0);
