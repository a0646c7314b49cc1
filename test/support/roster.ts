import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import type { Kysely } from 'kysely';
import { buildApp, type App, type AppOptions } from '../../src/app.ts';
import { migrateToLatest } from '../../src/db/connect.ts';
import type { Database } from '../../src/db/schema.ts';
import { createOrganization, insertAdminKey, type CreatedOrganization } from '../../src/api/organizations/service.ts';
import { newAdminKeyValue } from '../../src/lib/secrets.ts';
import { nowSeconds } from '../../src/lib/time.ts';
import { IMPORT_ACTOR_KEY_ID, importUsers } from '../../src/commands/import-users.ts';
import { conformanceCheckingFetch } from './reference.ts';
import { openTestStore, type TestStore } from './store.ts';

export interface RawResponse {
  status: number;
  headers: Headers;
  body: any;
}

export interface Person {
  email: string;
  name?: string;
  role?: 'owner' | 'reader';
}

/**
 * A roster listening on a loopback port with a fresh store and one organization. The store is the
 * one the test run selects (SQLite or PostgreSQL, see ./store.ts), so every test written against
 * TestRoster runs on both. Every response that reaches the tests, through the SDK or raw, is
 * checked against the OpenAI reference; `close` fails the test file if any was not conformant.
 */
export class TestRoster {
  readonly violations: string[] = [];
  readonly app: App;
  readonly testStore: TestStore;
  readonly origin: string;
  readonly org: CreatedOrganization;

  private constructor(app: App, testStore: TestStore, origin: string, org: CreatedOrganization) {
    this.app = app;
    this.testStore = testStore;
    this.origin = origin;
    this.org = org;
  }

  static async start(options: Omit<AppOptions, 'db'> = {}): Promise<TestRoster> {
    const testStore = await openTestStore();
    const { db } = testStore.store;
    await migrateToLatest(testStore.store);
    const app = await buildApp({ ...options, db });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const org = await createOrganization(db, { name: 'Test organization', owner: { email: 'owner@example.com', name: 'Olive Owner' } });
    return new TestRoster(app, testStore, `http://127.0.0.1:${port}`, org);
  }

  get db(): Kysely<Database> {
    return this.testStore.store.db;
  }

  get baseURL(): string {
    return `${this.origin}/v1`;
  }

  /** fetch that records every response the reference describes but the body does not match. */
  readonly checkedFetch = conformanceCheckingFetch(this.violations);

  /** The official SDK, authenticated with `key` (by default the organization's bootstrap key). */
  client(key: string = this.org.adminKeyValue): OpenAI {
    return new OpenAI({ adminAPIKey: key, baseURL: this.baseURL, fetch: this.checkedFetch, maxRetries: 0 });
  }

  /** Raw HTTP, for what the SDK cannot send. `path` starts after the origin, e.g. `/v1/...`. */
  async request(
    method: string,
    path: string,
    options: { key?: string | null; body?: string | object; headers?: Record<string, string> } = {},
  ): Promise<RawResponse> {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? this.org.adminKeyValue : options.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await this.checkedFetch(`${this.origin}${path}`, { method, headers, body });
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.includes('application/json');
    return { status: response.status, headers: response.headers, body: isJson && text ? JSON.parse(text) : text };
  }

  /** Another organization with its own owner and key, for isolation tests. */
  createOrganization(ownerEmail: string): Promise<CreatedOrganization> {
    return createOrganization(this.db, { name: `Organization of ${ownerEmail}`, owner: { email: ownerEmail, name: null } });
  }

  /** An admin key owned by any member: the API only creates keys for the caller's own member. */
  async createAdminKey(ownerId: string, organizationId: string = this.org.organizationId): Promise<{ id: string; value: string }> {
    const value = newAdminKeyValue();
    const id = await insertAdminKey(this.db, { organizationId, ownerId, name: 'Test key', value, now: nowSeconds(), expiresAt: null });
    return { id, value };
  }

  /**
   * Adds members through the import command's code path. They are a test's starting state, so the
   * import's own `user.added` events are dropped: tests then see only the events of what they do
   * (test/commands/import-users.test.ts checks the import's events).
   */
  async addMembers(people: Person[], organizationId: string = this.org.organizationId): Promise<void> {
    const file = join(this.testStore.workDir, `people-${Date.now()}-${Math.random()}.jsonl`);
    writeFileSync(file, people.map((p) => JSON.stringify(p)).join('\n'));
    await importUsers(this.db, organizationId, file, { progress: false });
    await this.db.deleteFrom('audit_logs').where('organization_id', '=', organizationId).where('actor_key_id', '=', IMPORT_ACTOR_KEY_ID).execute();
  }

  /**
   * Audit events recorded for an organization, oldest first, with their JSON decoded. Reads the
   * store directly, so tests of any mutation can check its event.
   */
  async auditEvents(type?: string, organizationId: string = this.org.organizationId) {
    let query = this.db.selectFrom('audit_logs').selectAll().where('organization_id', '=', organizationId);
    if (type !== undefined) query = query.where('type', '=', type);
    const rows = await query.orderBy('id').execute();
    return rows.map((row) => ({ ...row, actor: JSON.parse(row.actor), details: JSON.parse(row.details) }));
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.testStore.close();
    if (this.violations.length > 0) {
      throw new Error(`responses did not match the OpenAI reference:\n${[...new Set(this.violations)].join('\n')}`);
    }
  }
}

/** `count` people named person-000@example.com onwards. */
export function people(count: number, prefix = 'person'): Person[] {
  return Array.from({ length: count }, (_, i) => ({ email: `${prefix}-${String(i).padStart(3, '0')}@example.com`, name: `Person ${i}` }));
}
