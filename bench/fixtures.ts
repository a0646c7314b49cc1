import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { sql } from 'kysely';
import { migrateToLatest, openStore, type StoreConfig } from '../src/db/connect.ts';
import { createOrganization } from '../src/api/organizations/service.ts';
import { ROOT, runNode } from './processes.ts';

/** Admin keys of the bench's organizations: fixed, in the shape of real ones (133 characters). */
const benchKey = (label: string) => `sk-admin-${label.padEnd(124, '0')}`;
export const KEYS = { small: benchKey('benchSmall'), large: benchKey('benchLarge'), wrong: benchKey('benchWrong') };

export interface Organization {
  id: string;
  key: string;
  /** Member ids in list order (ascending). */
  userIds: string[];
  importSeconds: number;
}

/** `count` people as the import command reads them, written in large chunks. */
async function writePeople(file: string, count: number, label: string): Promise<void> {
  const out = createWriteStream(file);
  const chunk = 10_000;
  for (let start = 0; start < count; start += chunk) {
    let text = '';
    for (let i = start; i < Math.min(count, start + chunk); i++) {
      text += `{"email":"${label}-${String(i).padStart(7, '0')}@${label}.example","name":"${label} person ${i}"}\n`;
    }
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Where a bench store lives: `ROSTER_DB` or `DATABASE_URL`, exactly as roster's processes are told. */
export type StoreEnv = { ROSTER_DB: string; DATABASE_URL: '' } | { DATABASE_URL: string };

function storeConfig(env: StoreEnv): StoreConfig {
  return 'ROSTER_DB' in env ? { sqlitePath: env.ROSTER_DB, databaseUrl: undefined } : { sqlitePath: '', databaseUrl: env.DATABASE_URL };
}

/**
 * A store with two organizations, one of `smallCount` members and one of `largeCount` (none when
 * 0), each filled by `roster import`. The organizations themselves are made the way
 * `roster serve` makes its first one, but with the bench's fixed keys.
 */
export async function prepareStore(workDir: string, env: StoreEnv, smallCount: number, largeCount: number) {
  const store = openStore(storeConfig(env));
  await migrateToLatest(store);
  const small = await createOrganization(store.db, { name: 'Bench small', owner: { email: 'owner@small.example', name: null }, adminKeyValue: KEYS.small });
  const large =
    largeCount > 0
      ? await createOrganization(store.db, { name: 'Bench large', owner: { email: 'owner@large.example', name: null }, adminKeyValue: KEYS.large })
      : undefined;

  async function fill(organizationId: string, key: string, count: number, label: string): Promise<Organization> {
    const file = join(workDir, `${label}.jsonl`);
    await writePeople(file, count, label);
    const output = await runNode([join(ROOT, 'src/cli.ts'), 'import', file, '--org', organizationId], env);
    const importSeconds = Number(/ in ([\d.]+) s/.exec(output)?.[1]);
    // In the store's own order, which is the order lists follow.
    const members = await store.db
      .selectFrom('organization_users')
      .select('user_id')
      .where('organization_id', '=', organizationId)
      .orderBy('user_id')
      .execute();
    return { id: organizationId, key, userIds: members.map((row) => row.user_id), importSeconds };
  }
  try {
    const filled = {
      small: await fill(small.organizationId, KEYS.small, smallCount, 'small'),
      large: large && (await fill(large.organizationId, KEYS.large, largeCount, 'large')),
    };
    // PostgreSQL's autovacuum would gather statistics on the new rows within a minute or so; the
    // bench starts at once, and without them the planner misjudges a page of members (measured:
    // a sort of every later member, ~3 ms, instead of an index walk of 101 rows, ~0.2 ms).
    if (store.dialect === 'postgres') await sql`analyze`.execute(store.db);
    return filled;
  } finally {
    await store.db.destroy();
  }
}
