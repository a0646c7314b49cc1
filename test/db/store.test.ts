import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { migrateToLatest, openStore } from '../../src/db/connect.ts';
import { constraintViolation } from '../../src/db/constraint-violation.ts';
import { parseInt8 } from '../../src/db/postgres.ts';
import { createOrganization, type CreatedOrganization } from '../../src/api/organizations/service.ts';
import { openTestStore, type TestStore } from '../support/store.ts';

/** What the rest of roster relies on from whichever store is selected. */
describe(`the store (${process.env.ROSTER_TEST_STORE || 'sqlite'})`, () => {
  let testStore: TestStore;
  let org: CreatedOrganization;

  before(async () => {
    testStore = await openTestStore();
    await migrateToLatest(testStore.store);
    org = await createOrganization(testStore.store.db, { name: 'Store test', owner: { email: 'owner@example.com', name: null } });
  });
  after(() => testStore.close());

  const failure = (promise: Promise<unknown>) => promise.then(() => assert.fail('expected the store to refuse'), (error: unknown) => error);

  test('a repeated unique value or primary key is a unique violation, a missing parent a foreign-key one', async () => {
    const db = testStore.store.db;
    const email = await failure(db.insertInto('users').values({ id: 'user-dup-email', email: 'owner@example.com', name: null, created_at: 1 }).execute());
    assert.equal(constraintViolation(email), 'unique', String(email));
    const primaryKey = await failure(db.insertInto('organizations').values({ id: org.organizationId, name: 'again', created_at: 1 }).execute());
    assert.equal(constraintViolation(primaryKey), 'unique', String(primaryKey));
    const foreignKey = await failure(
      db.insertInto('organization_users').values({ organization_id: 'org-missing', user_id: org.ownerId, role: 'reader', added_at: 1 }).execute(),
    );
    assert.equal(constraintViolation(foreignKey), 'foreign_key', String(foreignKey));
    assert.equal(constraintViolation(new Error('duplicate')), undefined);
    assert.equal(constraintViolation(undefined), undefined);
  });

  test('bigint columns and counts read back as numbers', async () => {
    const db = testStore.store.db;
    const farFuture = 32_503_680_000; // year 3000, beyond 32-bit seconds
    await db.insertInto('organizations').values({ id: 'org-far-future', name: 'Later', created_at: farFuture }).execute();
    const row = await db.selectFrom('organizations').select('created_at').where('id', '=', 'org-far-future').executeTakeFirstOrThrow();
    assert.equal(row.created_at, farFuture);
    const counted = await db.selectFrom('organizations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    assert.equal(typeof counted.n, 'number');
  });
});

describe('store selection', () => {
  test('a DATABASE_URL that is not PostgreSQL is refused with the expected form', () => {
    assert.throws(() => openStore({ sqlitePath: ':memory:', databaseUrl: 'mysql://localhost/roster' }), /DATABASE_URL must be a PostgreSQL URL/);
  });

  test('int8 values beyond the safe integer range are refused rather than rounded', () => {
    assert.equal(parseInt8('1700000000'), 1_700_000_000);
    assert.throws(() => parseInt8('9007199254740993'), RangeError);
  });
});
