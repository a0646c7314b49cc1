import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import OpenAI from 'openai';
import type { Dialect } from '../../src/db/migrations/column-types.ts';
import type { TestRoster } from './roster.ts';

/**
 * Makes every audit insert fail while armed: a trigger in the database refuses the row. The insert
 * runs after the change it records, inside the same transaction, so this is a failure between the
 * change and the commit, whichever way the application builds its queries.
 */
async function armAuditFailure(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') {
    await sql`create trigger fail_audit_insert before insert on audit_logs
      begin select raise(abort, 'injected failure: the audit event could not be written'); end`.execute(db);
    return;
  }
  await sql`create function fail_audit_insert() returns trigger language plpgsql as $$
      begin raise exception 'injected failure: the audit event could not be written'; end $$`.execute(db);
  await sql`create trigger fail_audit_insert before insert on audit_logs for each row execute function fail_audit_insert()`.execute(db);
}

async function disarmAuditFailure(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') {
    await sql`drop trigger fail_audit_insert`.execute(db);
    return;
  }
  await sql`drop trigger fail_audit_insert on audit_logs`.execute(db);
  await sql`drop function fail_audit_insert()`.execute(db);
}

/** Runs `change` with the audit insert failing: it must be a 500 that leaves no event behind. */
export async function assertFailsWithoutTrace(roster: TestRoster, change: () => Promise<unknown>): Promise<void> {
  const eventsBefore = await roster.auditEvents();
  const { db, dialect } = roster.testStore.store;
  await armAuditFailure(db, dialect);
  try {
    await assert.rejects(change(), OpenAI.InternalServerError);
  } finally {
    await disarmAuditFailure(db, dialect);
  }
  assert.deepEqual(await roster.auditEvents(), eventsBefore);
}
