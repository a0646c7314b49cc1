import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';
import { describePostgresUrl } from '../src/db/postgres.ts';
import { dropStaleTestSchemas, resolvePostgresTarget, type StoreKind } from './support/store.ts';

/**
 * `npm test`: the whole suite once per store, SQLite first, then PostgreSQL (a server when one
 * answers, else in-process PGlite). Each pass is one `node --test` run with ROSTER_TEST_STORE set,
 * so every test file built on TestRoster or openTestStore runs on both without saying so.
 *
 *   node test/run.ts [sqlite|postgres ...] [test files ...]
 *
 * Files under test/race/ start roster processes on a store they choose themselves, and run in the
 * pass of that store only: embedded-store.test.ts in the SQLite pass, the others (several
 * processes on one server) in the PostgreSQL pass.
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
  if (!path.includes('test/race/')) return undefined;
  return path.endsWith('/embedded-store.test.ts') ? 'sqlite' : 'postgres';
}

function banner(text: string): void {
  process.stdout.write(`\n=== ${text} ===\n\n`);
}

async function postgresEnvironment(): Promise<Record<string, string>> {
  const target = await resolvePostgresTarget();
  if (target.kind === 'pglite') {
    banner(`PostgreSQL pass on in-process PGlite: ${target.reason}. Tests that need a server are skipped`);
    return { ROSTER_TEST_DATABASE_URL: 'pglite' };
  }
  const dropped = await dropStaleTestSchemas(target.url, 6 * 60 * 60 * 1000);
  const note = dropped.length > 0 ? `; dropped ${dropped.length} test schemas left by earlier runs` : '';
  banner(`PostgreSQL pass on the server at ${describePostgresUrl(target.url)}, a fresh schema per test${note}`);
  return { ROSTER_TEST_DATABASE_URL: target.url };
}

for (const store of stores.length > 0 ? stores : STORES) {
  const env: Record<string, string | undefined> = { ...process.env, ROSTER_TEST_STORE: store };
  if (store === 'postgres') Object.assign(env, await postgresEnvironment());
  else banner('SQLite pass');
  const passFiles = files.filter((file) => (onlyPass(file) ?? store) === store);
  if (passFiles.length === 0) continue;
  const { status } = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-force-exit', ...passFiles], {
    stdio: 'inherit',
    env,
  });
  // Stop at the first failing pass, so the output ends with the summary that reports the failure.
  if (status !== 0) process.exit(status ?? 1);
}
