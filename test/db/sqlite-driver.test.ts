import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { migrateToLatest, openStore } from '../../src/db/connect.ts';
import type { Database } from '../../src/db/schema.ts';

/**
 * The embedded store commits transactions that arrive together as one batch (group commit). Each
 * must still behave as its own transaction: answered only once durable, failing alone, and never
 * seen by a read before its batch commits.
 */
describe('group commit on the embedded store', () => {
  let dir: string;
  let path: string;
  let db: Kysely<Database>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-group-commit-'));
    path = join(dir, 'roster.db');
    const store = openStore({ sqlitePath: path, databaseUrl: undefined });
    await migrateToLatest(store);
    db = store.db;
  });
  after(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const insertOrganization = (trx: Kysely<Database>, id: string) =>
    trx.insertInto('organizations').values({ id, name: id, created_at: 1 }).execute();

  /** What another connection to the file sees: only what is committed. */
  function committedOrganizations(prefix: string): string[] {
    const other = new DatabaseSync(path, { readOnly: true });
    try {
      const rows = other.prepare('select id from organizations where id like ? order by id').all(`${prefix}%`) as { id: string }[];
      return rows.map((row) => row.id);
    } finally {
      other.close();
    }
  }

  test('transactions started together share one commit, and each resolves only once it is committed', async () => {
    const events: string[] = [];
    const seenAtResolution: string[][] = [];
    await Promise.all(
      ['org-together-1', 'org-together-2', 'org-together-3'].map(async (id) => {
        await db.transaction().execute(async (trx) => {
          await insertOrganization(trx, id);
          events.push(`done ${id}`);
        });
        events.push(`resolved ${id}`);
        seenAtResolution.push(committedOrganizations('org-together-'));
      }),
    );
    // All three ran before the first was answered: they were committed together.
    assert.deepEqual(events.slice(0, 3), ['done org-together-1', 'done org-together-2', 'done org-together-3']);
    for (const seen of seenAtResolution) assert.deepEqual(seen, ['org-together-1', 'org-together-2', 'org-together-3']);
  });

  test('a transaction that fails takes nothing else in its batch with it', async () => {
    const results = await Promise.allSettled([
      db.transaction().execute((trx) => insertOrganization(trx, 'org-alone-1')),
      db.transaction().execute(async (trx) => {
        await insertOrganization(trx, 'org-alone-2');
        throw new Error('this one fails');
      }),
      db.transaction().execute((trx) => insertOrganization(trx, 'org-alone-3')),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.deepEqual(committedOrganizations('org-alone-'), ['org-alone-1', 'org-alone-3']);
  });

  test('a read outside any transaction never sees a change whose batch has not committed yet', async () => {
    let readInBetween: unknown[] | undefined;
    await Promise.all([
      db.transaction().execute((trx) => insertOrganization(trx, 'org-unseen')),
      // Queued behind the first: it runs once the first is done but before their batch commits.
      db.transaction().execute(async () => {
        readInBetween = await db.selectFrom('organizations').select('id').where('id', '=', 'org-unseen').execute();
      }),
    ]);
    assert.deepEqual(readInBetween, []);
    assert.deepEqual(await db.selectFrom('organizations').select('id').where('id', '=', 'org-unseen').execute(), [{ id: 'org-unseen' }]);
  });

  test('when a batch cannot commit, every transaction in it fails and none of their changes remain', async () => {
    // A deferred foreign key is checked at COMMIT: the second transaction breaks the whole batch.
    await sql`create table deferred_child (id text primary key, parent_id text references organizations (id) deferrable initially deferred)`.execute(db);
    const results = await Promise.allSettled([
      db.transaction().execute((trx) => insertOrganization(trx, 'org-doomed')),
      db.transaction().execute((trx) => sql`insert into deferred_child (id, parent_id) values ('child', 'org-missing')`.execute(trx)),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.match(String((results[0] as PromiseRejectedResult).reason), /FOREIGN KEY/);
    assert.deepEqual(committedOrganizations('org-doomed'), []);

    // The store goes on: the next transaction commits as usual.
    await db.transaction().execute((trx) => insertOrganization(trx, 'org-after-failure'));
    assert.deepEqual(committedOrganizations('org-after-failure'), ['org-after-failure']);
  });

  test('a transaction on a connection already in use runs on its own and is committed when it resolves', async () => {
    const batched = db.transaction().execute((trx) => insertOrganization(trx, 'org-own-batched'));
    await db.connection().execute(async (connection) => {
      await connection.selectFrom('organizations').select('id').limit(1).execute();
      await connection.transaction().execute((trx) => insertOrganization(trx, 'org-own'));
      // Committed by itself, and the batch open before it with it.
      assert.deepEqual(committedOrganizations('org-own'), ['org-own', 'org-own-batched']);
    });
    await batched;
  });

  test('an in-memory store, which has no second connection, commits the open batch before reading', async () => {
    const memory = openStore({ sqlitePath: ':memory:', databaseUrl: undefined });
    try {
      await migrateToLatest(memory);
      const written = memory.db.transaction().execute((trx) => insertOrganization(trx, 'org-in-memory'));
      const read = memory.db.selectFrom('organizations').select('id').where('id', '=', 'org-in-memory').execute();
      assert.deepEqual(await read, [{ id: 'org-in-memory' }]);
      await written;
    } finally {
      await memory.db.destroy();
    }
  });
});
