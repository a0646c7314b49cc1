import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import OpenAI from 'openai';
import { findOrCreateUser } from '../../src/api/organizations/service.ts';
import { migrationProvider } from '../../src/db/migrations/index.ts';
import { conformanceCheckingFetch } from '../support/reference.ts';
import { startRosterProcess, stopRosterProcess, type RosterProcess } from '../support/roster-process.ts';
import { openTestStore, resolvePostgresTarget, type TestStore } from '../support/store.ts';
import { attempt, describeOutcomes, Tally, type Api, type Outcome, type Scenario } from './harness.ts';
import { revocations, scenarios } from './scenarios.ts';

/**
 * Two `roster serve` processes on one PostgreSQL schema, as behind a load balancer. Conflicting
 * requests are sent to both at the same moment, round after round; after each round the rules must
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

  for (const scenario of scenarios as Scenario[]) {
    test(scenario.name, async (t) => {
      const db = testStore.store.db;
      const own = new Tally();
      const problems: string[] = [];
      const deadline = Date.now() + TIME_PER_SCENARIO_MS;
      for (let round = 0; round < ROUNDS_PER_SCENARIO && Date.now() < deadline; round++) {
        const [first, second] = round % 2 === 0 ? [apis[0]!, apis[1]!] : [apis[1]!, apis[0]!];
        const context = await scenario.prepare(db, first);
        const outcomes = await scenario.act(context, first, second);
        const broken = await scenario.check(db, context, outcomes);
        problems.push(...broken.map((problem) => `round ${round}: ${problem}`));
        own.add(outcomes, broken.length);
      }
      tally.absorb(own);
      t.diagnostic(String(own));
      assert.deepEqual(problems, []);
    });
  }

  for (const revocation of revocations) {
    test(revocation.name, async (t) => {
      const db = testStore.store.db;
      const own = new Tally();
      const problems: string[] = [];
      for (let round = 0; round < REVOCATION_ROUNDS; round++) {
        const [here, there] = round % 2 === 0 ? [apis[0]!, apis[1]!] : [apis[1]!, apis[0]!];
        const context = await revocation.prepare(db, here);
        const stillWorks = () => attempt(there(context.key).admin.organization.users.list({ limit: 1 }));
        const before = await stillWorks();
        const revoked = await attempt(revocation.revoke(context, here));
        const revokedAt = performance.now();
        // Polled until refused, for at most the limit: the other instance must not keep honouring the key.
        let after: Outcome;
        let polls = 0;
        do {
          after = await stillWorks();
          polls++;
        } while (after.status === 200 && performance.now() - revokedAt < REFUSAL_LIMIT_MS);
        const waited = performance.now() - revokedAt;
        own.recordRefusal(waited);
        const broken = [
          ...(before.status === 200 ? [] : [`the key did not work before the revocation: ${describeOutcomes([before])}`]),
          ...(revoked.status === 200 ? [] : [`the revocation failed: ${describeOutcomes([revoked])}`]),
          ...(after.status === 401 ? [] : [`the key still got ${describeOutcomes([after])} ${waited.toFixed(0)} ms after the revocation`]),
        ];
        problems.push(...broken.map((problem) => `round ${round}: ${problem}`));
        own.add([revoked, after], broken.length);
        own.addReads(polls); // the check before, and every poll but the last (counted above)
      }
      tally.absorb(own);
      t.diagnostic(String(own));
      assert.deepEqual(problems, []);
      assert.ok(own.slowestRefusalMs! < REFUSAL_LIMIT_MS);
    });
  }

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
