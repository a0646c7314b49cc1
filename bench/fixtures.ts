import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { migrateToLatest, openStore } from '../src/db/connect.ts';
import { createOrganization } from '../src/api/organizations/service.ts';
import { findDefaultProject } from '../src/api/projects/repository.ts';
import { createServiceAccount } from '../src/api/service-accounts/service.ts';
import { ROOT, runNode } from './processes.ts';

/** Admin keys of the bench's organizations: fixed, in the shape of real ones (133 characters). */
const benchKey = (label: string) => `sk-admin-${label.padEnd(124, '0')}`;
export const KEYS = { small: benchKey('benchSmall'), large: benchKey('benchLarge'), wrong: benchKey('benchWrong') };
/** The gateway token roster is started with, for the key check scenario. */
export const GATEWAY_TOKEN = 'sk-gateway-bench-token';

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

/**
 * A store with two organizations, one of `smallCount` members and one of `largeCount`, each
 * filled by `roster import`. The organizations themselves are made the way `roster serve` makes
 * its first one, but with the bench's fixed keys.
 */
export async function prepareStore(workDir: string, sqlitePath: string, smallCount: number, largeCount: number) {
  const store = openStore({ sqlitePath, databaseUrl: undefined });
  await migrateToLatest(store);
  const small = await createOrganization(store.db, { name: 'Bench small', owner: { email: 'owner@small.example', name: null }, adminKeyValue: KEYS.small });
  const large = await createOrganization(store.db, { name: 'Bench large', owner: { email: 'owner@large.example', name: null }, adminKeyValue: KEYS.large });
  // A service account of the small organization's default project, whose key the gateway checks.
  const principal = { organizationId: small.organizationId, keyId: small.adminKeyId, userId: small.ownerId, userEmail: 'owner@small.example', ipAddress: '127.0.0.1', userAgent: null };
  const defaultProject = (await findDefaultProject(store.db, small.organizationId))!;
  const account = await createServiceAccount(store.db, principal, defaultProject.id, { name: 'Bench model client' });
  await store.db.destroy();

  async function fill(organizationId: string, key: string, count: number, label: string): Promise<Organization> {
    const file = join(workDir, `${label}.jsonl`);
    await writePeople(file, count, label);
    const output = await runNode([join(ROOT, 'src/cli.ts'), 'import', file, '--org', organizationId], { ROSTER_DB: sqlitePath });
    const importSeconds = Number(/ in ([\d.]+) s/.exec(output)?.[1]);
    return { id: organizationId, key, userIds: memberIds(sqlitePath, organizationId), importSeconds };
  }
  return {
    small: await fill(small.organizationId, KEYS.small, smallCount, 'small'),
    large: await fill(large.organizationId, KEYS.large, largeCount, 'large'),
    projectKey: account.api_key!.value,
  };
}

function memberIds(sqlitePath: string, organizationId: string): string[] {
  const database = new DatabaseSync(sqlitePath, { readOnly: true });
  try {
    const statement = database.prepare('select user_id from organization_users where organization_id = ? order by user_id');
    statement.setReturnArrays(true);
    return (statement.all(organizationId) as unknown as string[][]).map((row) => row[0]!);
  } finally {
    database.close();
  }
}
