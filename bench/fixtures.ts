import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { sql } from 'kysely';
import { migrateToLatest, openStore, type StoreConfig } from '../src/db/connect.ts';
import { createOrganization } from '../src/api/organizations/service.ts';
import { newId } from '../src/lib/ids.ts';
import { findDefaultProject } from '../src/api/projects/repository.ts';
import { createServiceAccount } from '../src/api/service-accounts/service.ts';
import { ROOT, runNode } from './processes.ts';

/** Admin keys of the bench's organizations: fixed, in the shape of real ones (133 characters). */
const benchKey = (label: string) => `sk-admin-${label.padEnd(124, '0')}`;
export const KEYS = { small: benchKey('benchSmall'), large: benchKey('benchLarge'), groups: benchKey('benchGroups'), wrong: benchKey('benchWrong') };
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

/** Where a bench store lives: `ROSTER_DB` or `DATABASE_URL`, exactly as roster's processes are told. */
export type StoreEnv = { ROSTER_DB: string; DATABASE_URL: '' } | { DATABASE_URL: string };

function storeConfig(env: StoreEnv): StoreConfig {
  return 'ROSTER_DB' in env ? { sqlitePath: env.ROSTER_DB, databaseUrl: undefined } : { sqlitePath: '', databaseUrl: env.DATABASE_URL };
}

/**
 * A store with the bench's organizations: `counts.small` members, `counts.large` (none when 0) and,
 * on the embedded store, the groups organization; each filled by `roster import`, plus a service
 * account whose key the key-check scenario asks about. The organizations themselves are made the
 * way `roster serve` makes its first one, but with the bench's fixed keys.
 */
export async function prepareStore(workDir: string, env: StoreEnv, counts: { small: number; large: number; groups?: GroupsShape }) {
  const store = openStore(storeConfig(env));
  await migrateToLatest(store);
  const small = await createOrganization(store.db, { name: 'Bench small', owner: { email: 'owner@small.example', name: null }, adminKeyValue: KEYS.small });
  const large =
    counts.large > 0
      ? await createOrganization(store.db, { name: 'Bench large', owner: { email: 'owner@large.example', name: null }, adminKeyValue: KEYS.large })
      : undefined;
  const grouped = counts.groups
    ? await createOrganization(store.db, { name: 'Bench groups', owner: { email: 'owner@groups.example', name: null }, adminKeyValue: KEYS.groups })
    : undefined;
  // A service account of the small organization's default project, whose key the gateway checks.
  const principal = { organizationId: small.organizationId, keyId: small.adminKeyId, userId: small.ownerId, userEmail: 'owner@small.example', ipAddress: '127.0.0.1', userAgent: null };
  const defaultProject = (await findDefaultProject(store.db, small.organizationId))!;
  const account = await createServiceAccount(store.db, principal, defaultProject.id, { name: 'Bench model client' });

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
  /** The groups organization: members by import, then its groups straight into the SQLite file. */
  async function fillGroupsOrganization(organizationId: string, shape: GroupsShape) {
    if (!('ROSTER_DB' in env)) throw new Error('the groups organization is only built on the embedded store');
    const organization = await fill(organizationId, KEYS.groups, shape.members, 'groups');
    return { ...organization, heavyUserIds: fillGroups(env.ROSTER_DB, organization, shape) };
  }

  try {
    const filled = {
      small: await fill(small.organizationId, KEYS.small, counts.small, 'small'),
      large: large && (await fill(large.organizationId, KEYS.large, counts.large, 'large')),
      groups: grouped && counts.groups && (await fillGroupsOrganization(grouped.organizationId, counts.groups)),
      projectKey: account.api_key!.value,
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

/** The organization of the groups scenario: how many members, groups and so on. */
export interface GroupsShape {
  members: number;
  groups: number;
  /** Custom organization roles, dealt to the groups `rolesPerGroup` at a time. */
  roles: number;
  rolesPerGroup: number;
  /** Members who belong to `groupsPerHeavyUser` groups each; every other member is in one. */
  heavyUsers: number;
  groupsPerHeavyUser: number;
}

/**
 * Groups for the effective-roles scenario, written straight to the store: every member in one
 * group, a few heavy users in many, every group holding several custom roles. Returns the heavy
 * users' ids, whose role lists the scenario reads.
 */
function fillGroups(sqlitePath: string, organization: Organization, shape: GroupsShape): string[] {
  const database = new DatabaseSync(sqlitePath);
  const now = Math.floor(Date.now() / 1000);
  const owner = organization.userIds[0]!;
  try {
    database.exec('begin');
    const insertRole = database.prepare(
      "insert into roles (id, organization_id, project_id, name, description, permissions, created_at, updated_at, created_by) values (?, ?, null, ?, null, '[\"api.groups.read\"]', ?, ?, ?)",
    );
    const roleIds = Array.from({ length: shape.roles }, (_, i) => {
      const id = newId('role_');
      insertRole.run(id, organization.id, `Bench role ${i}`, now, now, owner);
      return id;
    });
    const insertGroup = database.prepare('insert into groups (id, organization_id, name, name_key, created_at) values (?, ?, ?, ?, ?)');
    const insertHolding = database.prepare(
      'insert into group_role_assignments (group_id, role_id, custom_role_id, organization_id, project_id, created_at, created_by) values (?, ?, ?, ?, null, ?, ?)',
    );
    const groupIds = Array.from({ length: shape.groups }, (_, g) => {
      const id = newId('group_');
      insertGroup.run(id, organization.id, `Bench group ${g}`, `bench group ${g}`, now);
      for (let k = 0; k < shape.rolesPerGroup; k++) {
        const roleId = roleIds[(g * shape.rolesPerGroup + k) % roleIds.length]!;
        insertHolding.run(id, roleId, roleId, organization.id, now, owner);
      }
      return id;
    });
    const insertMember = database.prepare('insert into group_users (group_id, organization_id, user_id, added_at) values (?, ?, ?, ?)');
    const heavy = organization.userIds.slice(1, 1 + shape.heavyUsers);
    organization.userIds.forEach((userId, index) => {
      const isHeavy = index >= 1 && index <= shape.heavyUsers;
      const count = isHeavy ? shape.groupsPerHeavyUser : 1;
      // Consecutive groups from a spread start: a heavy user's groups hold distinct roles.
      for (let j = 0; j < count; j++) insertMember.run(groupIds[(index * 7 + j) % groupIds.length]!, organization.id, userId, now);
    });
    database.exec('commit');
    return heavy;
  } finally {
    database.close();
  }
}
