import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { conformanceCheckingFetch } from '../support/reference.ts';
import { startRosterProcess, stopRosterProcess, type RosterProcess } from '../support/roster-process.ts';
import { openTestStore, type TestStore } from '../support/store.ts';
import { revocationTests, scenarioTests, Tally, type Api } from './harness.ts';
import { policyRevocations, revocations, scenarios } from './scenarios.ts';

/**
 * One `roster serve` on the embedded store, sent the conflicting requests of two-instances.test.ts
 * by two clients at once. Requests that arrive together share one SQLite commit there (group
 * commit), so this is where a batch holding conflicting transactions is proven to keep every rule
 * and every acknowledged write.
 */
const ROUNDS_PER_SCENARIO = 40;
const TIME_PER_SCENARIO_MS = 20_000;
const BOOTSTRAP_KEY = 'sk-admin-race-embedded-bootstrap-key';
const REVOCATION_ROUNDS = 10;

describe('one roster instance on the embedded store, raced by two clients', () => {
  let testStore: TestStore;
  let instance: RosterProcess | undefined;
  const violations: string[] = [];
  const tally = new Tally();
  let apis: [Api, Api];

  before(async () => {
    testStore = await openTestStore('sqlite');
    instance = await startRosterProcess({ ...testStore.processEnv!, ROSTER_BOOTSTRAP_ADMIN_KEY: BOOTSTRAP_KEY });
    const client: Api = (key) => new OpenAI({ adminAPIKey: key, baseURL: `${instance!.origin}/v1`, maxRetries: 0, fetch: conformanceCheckingFetch(violations) });
    apis = [client, client];
  });

  after(async () => {
    const code = instance && (await stopRosterProcess(instance));
    if (tally.violations > 0 && instance) process.stderr.write(instance.output());
    await testStore?.close();
    process.stdout.write(`embedded race test totals: ${tally}\n`);
    assert.equal(code, 0, 'the instance stops cleanly');
    assert.deepEqual([...new Set(violations)], [], 'responses match the OpenAI reference');
  });

  const race = () => ({ db: testStore.store.db, apis });
  scenarioTests(scenarios, race, tally, { rounds: ROUNDS_PER_SCENARIO, timeMs: TIME_PER_SCENARIO_MS });
  // On the instance that revoked it, the key is refused by the very next request.
  revocationTests(revocations, 'by the next request', race, tally, { rounds: REVOCATION_ROUNDS, limitMs: 0 });
  revocationTests(policyRevocations, 'within a second', race, tally, { rounds: REVOCATION_ROUNDS, limitMs: 1000 });
});
