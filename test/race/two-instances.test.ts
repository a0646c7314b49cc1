import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import OpenAI from 'openai';
import { findOrCreateUser } from '../../src/api/organizations/service.ts';
import { migrationProvider } from '../../src/db/migrations/index.ts';
import { conformanceCheckingFetch } from '../support/reference.ts';
import { startRosterProcess, stopRosterProcess, type RosterProcess } from '../support/roster-process.ts';
import { openTestStore, resolvePostgresTarget, type TestStore } from '../support/store.ts';
import { revocationTests, scenarioTests, Tally, type Api } from './harness.ts';
import { policyRevocations, revocations, scenarios } from './scenarios.ts';

/**
 * Two `roster serve` processes on one PostgreSQL schema, as behind a load balancer. Conflicting
 * requests are sent to both at the same moment (one to each), round after round; after each round the rules must
 * hold and every acknowledged write must be in the store. The numbers are printed at the end.
 */
const ROUNDS_PER_SCENARIO = 40;
const TIME_PER_SCENARIO_MS = 20_000;
const BOOTSTRAP_KEY = 'sk-admin-race-bootstrap-key';
const REVOCATION_ROUNDS = 10;
/** How soon after a revocation is acknowledged on one instance the other must refuse the key. */
const REFUSAL_LIMIT_MS = 1000;

const target = await resolvePostgresTarget();
const skip =
  target.kind === 'server'
    ? false
    : `two roster processes need a PostgreSQL server to share (${target.reason}); set ROSTER_TEST_DATABASE_URL to run the race test`;

describe('two roster instances on one PostgreSQL', { skip }, () => {
  let testStore: TestStore;
  let instances: RosterProcess[] = [];
  const violations: string[] = [];
  const tally = new Tally();
  const apis: Api[] = [];

  before(async () => {
    testStore = await openTestStore('postgres');
    // Both start at the same moment on the empty schema: migrating and bootstrapping race too.
    const env = { ...testStore.processEnv!, ROSTER_BOOTSTRAP_ADMIN_KEY: BOOTSTRAP_KEY };
    const started = await Promise.allSettled([startRosterProcess(env), startRosterProcess(env)]);
    instances = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    for (const instance of instances) {
      apis.push((key) => new OpenAI({ adminAPIKey: key, baseURL: `${instance.origin}/v1`, maxRetries: 0, fetch: conformanceCheckingFetch(violations) }));
    }
  });

  after(async () => {
    const codes = await Promise.all(instances.map(stopRosterProcess));
    // The instances' own logs say what went wrong behind a 500 or a broken rule.
    if (tally.violations > 0) for (const instance of instances) process.stderr.write(instance.output());
    await testStore?.close();
    process.stdout.write(`race test totals: ${tally}\n`);
    assert.deepEqual(codes, instances.map(() => 0), 'both instances stop cleanly');
    assert.deepEqual([...new Set(violations)], [], 'responses match the OpenAI reference');
  });

  test('started together on an empty store, they migrate it and create its first organization once', async () => {
    const db = testStore.store.db;
    const migrations = await db.selectFrom('kysely_migration' as never).select(sql<string>`name`.as('name')).execute();
    assert.equal(migrations.length, Object.keys(await migrationProvider('postgres').getMigrations()).length);
    const organizations = await db.selectFrom('organizations').select('id').execute();
    assert.equal(organizations.length, 1);
    for (const api of apis) assert.equal((await api(BOOTSTRAP_KEY).admin.organization.users.list()).data.length, 1);
  });

  const race = () => ({ db: testStore.store.db, apis: [apis[0]!, apis[1]!] as [Api, Api] });
  scenarioTests(scenarios, race, tally, { rounds: ROUNDS_PER_SCENARIO, timeMs: TIME_PER_SCENARIO_MS });
  revocationTests([...revocations, ...policyRevocations], 'by the other instance within a second', race, tally, { rounds: REVOCATION_ROUNDS, limitMs: REFUSAL_LIMIT_MS });

  test('transactions adding the same new person at once all get the one user', async () => {
    const db = testStore.store.db;
    const parallel = 4;
    // Each transaction holds its own connection; all of them reach the insert together.
    let arrived = 0;
    let release!: () => void;
    const allArrived = new Promise<void>((resolve) => (release = resolve));
    const ids = await Promise.all(
      Array.from({ length: parallel }, () =>
        db.transaction().execute(async (trx) => {
          await sql`select 1`.execute(trx);
          if (++arrived === parallel) release();
          await allArrived;
          return findOrCreateUser(trx, 'Same.Person@Example.com', null, 1);
        }),
      ),
    );
    assert.equal(new Set(ids).size, 1);
    const rows = await db.selectFrom('users').select('id').where('email', '=', 'same.person@example.com').execute();
    assert.deepEqual(rows.map((row) => row.id), [ids[0]]);
  });
});
