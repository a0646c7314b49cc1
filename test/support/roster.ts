import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import type { Kysely, KyselyPlugin } from 'kysely';
import { buildApp, type App } from '../../src/app.ts';
import { migrateToLatest, openStore } from '../../src/db/connect.ts';
import type { Database } from '../../src/db/schema.ts';
import { createOrganization, insertAdminKey, type CreatedOrganization } from '../../src/api/organizations/service.ts';
import { newAdminKeyValue } from '../../src/lib/secrets.ts';
import { nowSeconds } from '../../src/lib/time.ts';
import { importUsers } from '../../src/commands/import-users.ts';
import { referenceViolations } from './reference.ts';

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
 * A roster listening on a loopback port with a fresh store and one organization. Every response
 * that reaches the tests, through the SDK or raw, is checked against the OpenAI reference; `close`
 * fails the test file if any was not conformant.
 */
export class TestRoster {
  readonly violations: string[] = [];
  readonly app: App;
  readonly db: Kysely<Database>;
  readonly origin: string;
  readonly org: CreatedOrganization;
  private readonly workDir: string;

  private constructor(app: App, db: Kysely<Database>, origin: string, org: CreatedOrganization, workDir: string) {
    this.app = app;
    this.db = db;
    this.origin = origin;
    this.org = org;
    this.workDir = workDir;
  }

  /** `plugins` apply to the application's queries only (e.g. to inject failures), not to `db`. */
  static async start(options: { plugins?: KyselyPlugin[] } = {}): Promise<TestRoster> {
    const workDir = mkdtempSync(join(tmpdir(), 'roster-test-'));
    const store = openStore({ sqlitePath: join(workDir, 'roster.db'), databaseUrl: undefined });
    await migrateToLatest(store);
    const appDb = (options.plugins ?? []).reduce((db, plugin) => db.withPlugin(plugin), store.db);
    const app = await buildApp({ db: appDb });
    app.addHook('onClose', () => store.db.destroy());
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const org = await createOrganization(store.db, { name: 'Test organization', owner: { email: 'owner@example.com', name: 'Olive Owner' } });
    return new TestRoster(app, store.db, `http://127.0.0.1:${port}`, org, workDir);
  }

  get baseURL(): string {
    return `${this.origin}/v1`;
  }

  /** fetch that records every response the reference describes but the body does not match. */
  readonly checkedFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const response = await fetch(request);
    const text = await response.clone().text();
    if (text && response.headers.get('content-type')?.includes('application/json')) {
      const problems = referenceViolations(request.method, new URL(request.url).pathname, response.status, JSON.parse(text));
      if (problems) this.violations.push(...problems);
    }
    return response;
  };

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

  /** Adds members through the import command's code path. */
  async addMembers(people: Person[], organizationId: string = this.org.organizationId): Promise<void> {
    const file = join(this.workDir, `people-${Date.now()}-${Math.random()}.jsonl`);
    writeFileSync(file, people.map((p) => JSON.stringify(p)).join('\n'));
    await importUsers(this.db, organizationId, file, { progress: false });
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
    rmSync(this.workDir, { recursive: true, force: true });
    if (this.violations.length > 0) {
      throw new Error(`responses did not match the OpenAI reference:\n${[...new Set(this.violations)].join('\n')}`);
    }
  }
}

/** `count` people named person-000@example.com onwards. */
export function people(count: number, prefix = 'person'): Person[] {
  return Array.from({ length: count }, (_, i) => ({ email: `${prefix}-${String(i).padStart(3, '0')}@example.com`, name: `Person ${i}` }));
}
