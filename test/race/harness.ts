import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Kysely } from 'kysely';
import OpenAI from 'openai';
import type { Database } from '../../src/db/schema.ts';
import { createOrganization, findOrCreateUser, insertAdminKey } from '../../src/api/organizations/service.ts';
import { randomToken } from '../../src/lib/ids.ts';
import { nowSeconds } from '../../src/lib/time.ts';

/** What one request came back with: 200 and the id its answer names, or the error's status and code. */
export interface Outcome {
  status: number;
  code: string | null;
  /** The `id` of an acknowledged answer (the invite, role, member… it created or changed). */
  id?: string;
}

/** The official SDK talking to one roster instance, authenticated with `key`. */
export type Api = (key: string) => OpenAI;

/**
 * One kind of conflict, played for many rounds. Each round starts from state of its own (a new
 * organization), fires conflicting requests through both clients at the same moment, then checks the
 * answers and what the store holds: the rules held, and every acknowledged write is there.
 */
export interface Scenario<Context = any> {
  name: string;
  /** Writes this round's starting state, straight to the store or through `api` (one of the two clients). */
  prepare(db: Kysely<Database>, api: Api): Promise<Context>;
  /** Sends the requests; `first` and `second` are the two clients (two instances, or two callers of one), swapped every other round. */
  act(context: Context, first: Api, second: Api): Promise<Outcome[]>;
  /** Every way the outcomes or the stored state break a rule; empty when all held. */
  check(db: Kysely<Database>, context: Context, outcomes: Outcome[]): Promise<string[]>;
}

/**
 * A way to stop an admin key from working, done through one client; the other must refuse the key
 * soon after (see playRevocation). `prepare` returns the round's state, including the key `revoke` stops.
 */
export interface Revocation<Context extends { key: string } = any> {
  name: string;
  prepare(db: Kysely<Database>, api: Api): Promise<Context>;
  revoke(context: Context, api: Api): Promise<unknown>;
  /**
   * Whether the key is still honoured through `api`: 200 while it is, 401 once refused. Without
   * it the key is an admin key, tried on an admin route.
   */
  probe?(context: Context, api: Api): Promise<Outcome>;
}

async function attempt(call: Promise<unknown>): Promise<Outcome> {
  try {
    const answer = (await call) as { id?: unknown } | null;
    return { status: 200, code: null, ...(typeof answer?.id === 'string' ? { id: answer.id } : {}) };
  } catch (error) {
    if (error instanceof OpenAI.APIError && error.status !== undefined) return { status: error.status, code: error.code ?? null };
    throw error;
  }
}

/**
 * POSTs to a roster extension under `/roster/v1` (which the SDK has no method for) on the instance
 * the client talks to, with the client's key.
 */
export function postRosterExtension(client: OpenAI, path: string, body?: object): Promise<unknown> {
  // The SDK only adds the admin key to its own admin routes; here it is sent by hand.
  const headers = { Authorization: `Bearer ${client.adminAPIKey}` };
  return client.post(`${client.baseURL.replace(/\/v1$/, '')}/roster/v1${path}`, { body, headers });
}

/** Fires every call at once (they are already in flight when passed) and collects the outcomes. */
export function together(...calls: Promise<unknown>[]): Promise<Outcome[]> {
  return Promise.all(calls.map(attempt));
}

export interface SeededMember {
  id: string;
  role: 'owner' | 'reader';
  /** An admin key of this member's. */
  key: string;
}

/** A new organization whose members have these roles (the first must be an owner), each with a key. */
export async function seedOrganization(
  db: Kysely<Database>,
  roles: ['owner', ...Array<'owner' | 'reader'>],
): Promise<{ organizationId: string; members: SeededMember[] }> {
  const tag = randomToken(10).toLowerCase();
  const first = await createOrganization(db, { name: `Race ${tag}`, owner: { email: `race-${tag}-0@example.com`, name: null } });
  const members: SeededMember[] = [{ id: first.ownerId, role: 'owner', key: first.adminKeyValue }];
  const now = nowSeconds();
  await db.transaction().execute(async (trx) => {
    for (const [index, role] of roles.entries()) {
      if (index === 0) continue;
      const id = await findOrCreateUser(trx, `race-${tag}-${index}@example.com`, null, now);
      await trx.insertInto('organization_users').values({ organization_id: first.organizationId, user_id: id, role, added_at: now }).execute();
      const key = `sk-admin-race-${randomToken(32)}`;
      await insertAdminKey(trx, { organizationId: first.organizationId, ownerId: id, name: 'Race key', value: key, now, expiresAt: null });
      members.push({ id, role, key });
    }
  });
  return { organizationId: first.organizationId, members };
}

/** Who sits in a project, as `user id → project role`. */
export async function storedSeats(db: Kysely<Database>, projectId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('project_users').select(['user_id', 'role']).where('project_id', '=', projectId).execute();
  return new Map(rows.map((row) => [row.user_id, row.role]));
}

/** Members of an organization as `id → role`. */
export async function storedRoles(db: Kysely<Database>, organizationId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('organization_users').select(['user_id', 'role']).where('organization_id', '=', organizationId).execute();
  return new Map(rows.map((row) => [row.user_id, row.role]));
}

/** The organization's audit trail as `type resource_id` lines (`… in project_id` for project events), oldest first. */
export async function auditTrail(db: Kysely<Database>, organizationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_logs')
    .select(['type', 'resource_id', 'project_id'])
    .where('organization_id', '=', organizationId)
    .orderBy('id')
    .execute();
  return rows.map((row) => `${row.type} ${row.resource_id}${row.project_id === null ? '' : ` in ${row.project_id}`}`);
}

/** Collects rule breaks as readable lines. */
export function expect(problems: string[], holds: boolean, problem: string): void {
  if (!holds) problems.push(problem);
}

/** Collects a rule break when `actual` differs from `wanted` (compared as JSON). */
export function expectSame(problems: string[], what: string, actual: unknown, wanted: unknown): void {
  const [got, want] = [JSON.stringify(actual), JSON.stringify(wanted)];
  if (got !== want) problems.push(`${what}: ${got}, wanted ${want}`);
}

export function describeOutcomes(outcomes: Outcome[]): string {
  return outcomes.map((o) => (o.code ? `${o.status} ${o.code}` : String(o.status))).join(', ');
}

/**
 * Requests fired, writes acknowledged, requests refused, and broken rules, for the report; and the
 * longest a revoked key was still accepted.
 */
export class Tally {
  requests = 0;
  acknowledged = 0;
  refused = 0;
  violations = 0;
  slowestRefusalMs: number | undefined;

  add(outcomes: Outcome[], violations: number): void {
    this.requests += outcomes.length;
    this.acknowledged += outcomes.filter((o) => o.status === 200).length;
    this.refused += outcomes.filter((o) => o.status !== 200).length;
    this.violations += violations;
  }

  /** Requests that only looked at the state (e.g. whether a key still works): fired, but neither acknowledged nor refused writes. */
  addReads(count: number): void {
    this.requests += count;
  }

  recordRefusal(afterMs: number): void {
    this.slowestRefusalMs = Math.max(this.slowestRefusalMs ?? 0, afterMs);
  }

  absorb(other: Tally): void {
    this.requests += other.requests;
    this.acknowledged += other.acknowledged;
    this.refused += other.refused;
    this.violations += other.violations;
    if (other.slowestRefusalMs !== undefined) this.recordRefusal(other.slowestRefusalMs);
  }

  toString(): string {
    const counts = `${this.requests} requests fired, ${this.acknowledged} acknowledged, ${this.refused} refused as conflicts, ${this.violations} invariant violations`;
    if (this.slowestRefusalMs === undefined) return counts;
    return `${counts}; revoked keys refused at most ${this.slowestRefusalMs.toFixed(0)} ms after the revocation was acknowledged`;
  }
}

/**
 * Plays `scenario` for up to `rounds` rounds or `timeMs`, whichever ends first, the two apis taking
 * turns at going first. Returns the rule breaks found (as `round N: …` lines) and the tally.
 */
async function playScenario(
  db: Kysely<Database>,
  apis: [Api, Api],
  scenario: Scenario,
  limits: { rounds: number; timeMs: number },
): Promise<{ problems: string[]; tally: Tally }> {
  const tally = new Tally();
  const problems: string[] = [];
  const deadline = Date.now() + limits.timeMs;
  for (let round = 0; round < limits.rounds && Date.now() < deadline; round++) {
    const [first, second] = round % 2 === 0 ? apis : ([apis[1], apis[0]] as const);
    const context = await scenario.prepare(db, first);
    const outcomes = await scenario.act(context, first, second);
    const broken = await scenario.check(db, context, outcomes);
    problems.push(...broken.map((problem) => `round ${round}: ${problem}`));
    tally.add(outcomes, broken.length);
  }
  return { problems, tally };
}

/**
 * Plays `revocation` for `rounds` rounds: the key works through one api, is revoked through it,
 * then the other api is polled until it refuses the key, for at most `limitMs` (0: the first
 * request after the revocation must be refused). Returns the rule breaks found and the tally,
 * which records the slowest refusal.
 */
async function playRevocation(
  db: Kysely<Database>,
  apis: [Api, Api],
  revocation: Revocation,
  limits: { rounds: number; limitMs: number },
): Promise<{ problems: string[]; tally: Tally }> {
  const tally = new Tally();
  const problems: string[] = [];
  for (let round = 0; round < limits.rounds; round++) {
    const [here, there] = round % 2 === 0 ? apis : ([apis[1], apis[0]] as const);
    const context = await revocation.prepare(db, here);
    const stillWorks = () =>
      revocation.probe ? revocation.probe(context, there) : attempt(there(context.key).admin.organization.users.list({ limit: 1 }));
    const before = await stillWorks();
    const revoked = await attempt(revocation.revoke(context, here));
    const revokedAt = performance.now();
    // Polled until refused, for at most the limit: the other api must not keep honouring the key.
    let after: Outcome;
    let polls = 0;
    do {
      after = await stillWorks();
      polls++;
    } while (after.status === 200 && performance.now() - revokedAt < limits.limitMs);
    const waited = performance.now() - revokedAt;
    tally.recordRefusal(waited);
    const broken = [
      ...(before.status === 200 ? [] : [`the key did not work before the revocation: ${describeOutcomes([before])}`]),
      ...(revoked.status === 200 ? [] : [`the revocation failed: ${describeOutcomes([revoked])}`]),
      ...(after.status === 401 ? [] : [`the key still got ${describeOutcomes([after])} ${waited.toFixed(0)} ms after the revocation`]),
      ...(after.status === 401 && limits.limitMs > 0 && waited >= limits.limitMs ? [`the key was refused only ${waited.toFixed(0)} ms after the revocation`] : []),
    ];
    problems.push(...broken.map((problem) => `round ${round}: ${problem}`));
    tally.add([revoked, after], broken.length);
    tally.addReads(polls); // the check before, and every poll but the last (counted above)
  }
  return { problems, tally };
}

/** The store and the two clients a race file plays against, once its `before` has set them up. */
export type Race = () => { db: Kysely<Database>; apis: [Api, Api] };

/** One test per scenario, each played by playScenario; their counts go into `tally`. */
export function scenarioTests(scenarios: Scenario[], race: Race, tally: Tally, limits: { rounds: number; timeMs: number }): void {
  for (const scenario of scenarios) {
    test(scenario.name, async (t) => {
      const { db, apis } = race();
      const { problems, tally: own } = await playScenario(db, apis, scenario, limits);
      tally.absorb(own);
      t.diagnostic(String(own));
      assert.deepEqual(problems, []);
    });
  }
}

/** One test per revocation, titled with `refusedBy`, each played by playRevocation; counts go into `tally`. */
export function revocationTests(
  revocations: Revocation[],
  refusedBy: string,
  race: Race,
  tally: Tally,
  limits: { rounds: number; limitMs: number },
): void {
  for (const revocation of revocations) {
    test(`${revocation.name} ${refusedBy}`, async (t) => {
      const { db, apis } = race();
      const { problems, tally: own } = await playRevocation(db, apis, revocation, limits);
      tally.absorb(own);
      t.diagnostic(String(own));
      assert.deepEqual(problems, []);
    });
  }
}
