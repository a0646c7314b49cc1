import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import pg from 'pg';
import { compiledWrite, type Arg } from '../../src/db/compiled-query.ts';
import { constraintViolation } from '../../src/db/constraint-violation.ts';
import { migrateToLatest } from '../../src/db/connect.ts';
import type { Db } from '../../src/db/schema.ts';
import { createOrganization, type CreatedOrganization } from '../../src/api/organizations/service.ts';
import { TestRoster } from '../support/roster.ts';
import { openTestStore, resolvePostgresTarget, selectedStoreKind, type TestStore } from '../support/store.ts';

interface Sent {
  text: string;
  /** Sent as a named prepared statement. */
  named: boolean;
  /** Nothing else was waiting for an answer on its connection: this statement starts a round trip. */
  roundTrip: boolean;
}

/**
 * Records every statement roster's pg clients send, in order, and whether it had to wait for a
 * round trip of its own. Key lookups are left out: the key cache decides when they happen.
 */
function recordStatements(t: TestContext): Sent[] {
  const sent: Sent[] = [];
  const unanswered = new WeakMap<object, number>();
  const original = pg.Client.prototype.query;
  t.mock.method(pg.Client.prototype, 'query', function (this: pg.Client, config: any, values?: any, callback?: any) {
    const text: string = typeof config === 'string' ? config : config.text;
    const waiting = unanswered.get(this) ?? 0;
    if (!text.includes('admin_api_keys')) sent.push({ text, named: typeof config === 'object' && Boolean(config.name), roundTrip: waiting === 0 });
    unanswered.set(this, waiting + 1);
    const answered = () => unanswered.set(this, unanswered.get(this)! - 1);
    const result = (original as any).call(this, config, values, callback);
    result.then(answered, answered);
    return result;
  });
  return sent;
}

const roundTrips = (sent: Sent[]) => sent.filter((s) => s.roundTrip).length;

const target = selectedStoreKind() === 'postgres' ? await resolvePostgresTarget() : undefined;
const skip =
  target === undefined ? 'counts what roster sends to a PostgreSQL server: runs in the PostgreSQL pass' : target.kind === 'pglite' ? `needs a PostgreSQL server (${target.reason})` : false;

describe('what each request sends to PostgreSQL', { skip }, () => {
  let roster: TestRoster;

  before(async () => {
    roster = await TestRoster.start();
    // The first use of a key is recorded on the key and its owner, once a minute: not counted here.
    await roster.request('GET', `/v1/organization/users/${roster.org.ownerId}`);
  });
  after(() => roster.close());

  test('retrieving a user is one prepared statement in one round trip', async (t) => {
    const sent = recordStatements(t);
    assert.equal((await roster.request('GET', `/v1/organization/users/${roster.org.ownerId}`)).status, 200);
    assert.deepEqual(sent.map((s) => s.named), [true]);
    assert.equal(roundTrips(sent), 1);
  });

  test('listing users is one prepared statement in one round trip', async (t) => {
    const sent = recordStatements(t);
    assert.equal((await roster.request('GET', '/v1/organization/users?limit=100')).status, 200);
    assert.deepEqual(sent.map((s) => s.named), [true]);
    assert.equal(roundTrips(sent), 1);
  });

  test('modifying a user is six statements in two round trips: begin goes with the lookup; the update, the audit record and its webhook deliveries with the commit', async (t) => {
    const sent = recordStatements(t);
    const response = await roster.request('POST', `/v1/organization/users/${roster.org.ownerId}`, { body: { technical_level: 'measured' } });
    assert.equal(response.status, 200);
    assert.deepEqual(
      sent.map((s) => `${s.roundTrip ? 'new round trip' : 'rides along'}: ${s.text.split(' ').slice(0, 3).join(' ')}${s.named ? ' (prepared)' : ''}`),
      [
        'new round trip: begin',
        'rides along: select "m"."user_id" as (prepared)',
        'new round trip: update "organization_users" set (prepared)',
        'rides along: insert into "audit_logs" (prepared)',
        'rides along: insert into "webhook_deliveries" (prepared)',
        'rides along: commit',
      ],
    );
    assert.equal(roundTrips(sent), 2);
    assert.equal((await roster.auditEvents('user.updated')).length, 1);
  });
});

/** On PostgreSQL the write is answered after the caller has moved on; on SQLite at once. Same outcome. */
describe(`a write compiled to go without waiting for its answer (${selectedStoreKind()})`, () => {
  let testStore: TestStore;
  let org: CreatedOrganization;
  const insertOrganization = compiledWrite((db, arg: Arg<{ id: string }>) => db.insertInto('organizations').values({ id: arg('id'), name: 'copy', created_at: 1 }));

  before(async () => {
    testStore = await openTestStore();
    await migrateToLatest(testStore.store);
    org = await createOrganization(testStore.store.db, { name: 'Original', owner: { email: 'owner@example.com', name: null } });
  });
  after(() => testStore.close());

  const storedName = async () =>
    (await testStore.store.db.selectFrom('organizations').select('name').where('id', '=', org.organizationId).executeTakeFirstOrThrow()).name;

  /** Renames the organization, then inserts it again (its primary key is taken), then runs `after`. */
  async function failingTransaction(after: (trx: Db) => Promise<unknown>): Promise<unknown> {
    return testStore.store.db
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('organizations').set({ name: 'Renamed' }).where('id', '=', org.organizationId).execute();
        await insertOrganization(trx, { id: org.organizationId });
        await after(trx);
      })
      .then(() => assert.fail('expected the transaction to fail'), (error: unknown) => error);
  }

  test('when it fails and more statements follow, the transaction fails with its error and keeps none of its changes', async () => {
    const error = await failingTransaction((trx) => trx.selectFrom('organizations').select('id').execute());
    assert.equal(constraintViolation(error), 'unique', String(error));
    assert.equal(await storedName(), 'Original');
  });

  test('when it is the last statement, the commit reports its failure and nothing is kept', async () => {
    const error = await failingTransaction(async () => {});
    assert.equal(constraintViolation(error), 'unique', String(error));
    assert.equal(await storedName(), 'Original');
  });

  test('when it succeeds, it is kept with the rest of the transaction', async () => {
    const db = testStore.store.db;
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('organizations').set({ name: 'Renamed' }).where('id', '=', org.organizationId).execute();
      await insertOrganization(trx, { id: 'org-copy' });
    });
    assert.equal(await storedName(), 'Renamed');
    assert.ok(await db.selectFrom('organizations').select('id').where('id', '=', 'org-copy').executeTakeFirst());
  });
});
