import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import { createOrganization, type CreatedOrganization } from '../../src/api/organizations/service.ts';
import { findMember, listMembers } from '../../src/api/organization-users/repository.ts';
import { migrateToLatest, openStore } from '../../src/db/connect.ts';
import type { Database } from '../../src/db/schema.ts';

/**
 * Hot lookups are compiled once and, on the embedded store, read at once instead of queueing
 * behind Kysely's connection lock. They must still never see a transaction's uncommitted work.
 */
describe('compiled queries', () => {
  let dir: string;
  let db: Kysely<Database>;
  let org: CreatedOrganization;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-compiled-'));
    const store = openStore({ sqlitePath: join(dir, 'roster.db'), databaseUrl: undefined });
    await migrateToLatest(store);
    db = store.db;
    org = await createOrganization(db, { name: 'Compiled', owner: { email: 'owner@example.com', name: 'Olive' } });
  });
  after(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test('run with different values, they return the rows for those values', async () => {
    const owner = await findMember(db, org.organizationId, org.ownerId);
    assert.equal(owner?.email, 'owner@example.com');
    assert.equal(await findMember(db, org.organizationId, 'user-unknown'), undefined);
    assert.equal(await findMember(db, 'org-other', org.ownerId), undefined);
    assert.deepEqual((await listMembers(db, org.organizationId, { limit: 5 })).map((m) => m.id), [org.ownerId]);
    assert.deepEqual(await listMembers(db, org.organizationId, { limit: 5, after: org.ownerId }), []);
  });

  test('a lookup made while a transaction is open never sees its uncommitted change', async () => {
    let lookup: Promise<unknown> | undefined;
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set({ name: 'Uncommitted' }).where('id', '=', org.ownerId).execute();
        lookup = findMember(db, org.organizationId, org.ownerId);
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.equal(((await lookup) as { name: string }).name, 'Olive');
  });

  test('inside a transaction they read what it has written', async () => {
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ name: 'Renamed' }).where('id', '=', org.ownerId).execute();
      assert.equal((await findMember(trx, org.organizationId, org.ownerId))?.name, 'Renamed');
    });
  });
});
