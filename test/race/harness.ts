import type { Kysely } from 'kysely';
import OpenAI from 'openai';
import type { Database } from '../../src/db/schema.ts';
import { createOrganization, findOrCreateUser, insertAdminKey } from '../../src/api/organizations/service.ts';
import { randomToken } from '../../src/lib/ids.ts';
import { nowSeconds } from '../../src/lib/time.ts';

/** What one request came back with: 200 and nothing else, or the error's status and code. */
export interface Outcome {
  status: number;
  code: string | null;
}

/** The official SDK talking to one roster instance, authenticated with `key`. */
export type Api = (key: string) => OpenAI;

/**
 * One kind of conflict, played for many rounds. Each round starts from state of its own (a new
 * organization), fires conflicting requests at both instances at the same moment, then checks the
 * answers and what the store holds: the rules held, and every acknowledged write is there.
 */
export interface Scenario<Context = any> {
  name: string;
  /** Writes this round's starting state straight to the store. */
  prepare(db: Kysely<Database>): Promise<Context>;
  /** Sends the requests; `first` and `second` are the two instances, swapped every other round. */
  act(context: Context, first: Api, second: Api): Promise<Outcome[]>;
  /** Every way the outcomes or the stored state break a rule; empty when all held. */
  check(db: Kysely<Database>, context: Context, outcomes: Outcome[]): Promise<string[]>;
}

export async function attempt(call: Promise<unknown>): Promise<Outcome> {
  try {
    await call;
    return { status: 200, code: null };
  } catch (error) {
    if (error instanceof OpenAI.APIError && error.status !== undefined) return { status: error.status, code: error.code ?? null };
    throw error;
  }
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

/** Members of an organization as `id → role`. */
export async function storedRoles(db: Kysely<Database>, organizationId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('organization_users').select(['user_id', 'role']).where('organization_id', '=', organizationId).execute();
  return new Map(rows.map((row) => [row.user_id, row.role]));
}

/** The organization's audit trail as `type resource_id` lines, oldest first. */
export async function auditTrail(db: Kysely<Database>, organizationId: string): Promise<string[]> {
  const rows = await db.selectFrom('audit_logs').select(['type', 'resource_id']).where('organization_id', '=', organizationId).orderBy('id').execute();
  return rows.map((row) => `${row.type} ${row.resource_id}`);
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

/** Requests fired, writes acknowledged, requests refused, and broken rules, for the report. */
export class Tally {
  requests = 0;
  acknowledged = 0;
  refused = 0;
  violations = 0;

  add(outcomes: Outcome[], violations: number): void {
    this.requests += outcomes.length;
    this.acknowledged += outcomes.filter((o) => o.status === 200).length;
    this.refused += outcomes.filter((o) => o.status !== 200).length;
    this.violations += violations;
  }

  absorb(other: Tally): void {
    this.requests += other.requests;
    this.acknowledged += other.acknowledged;
    this.refused += other.refused;
    this.violations += other.violations;
  }

  toString(): string {
    return `${this.requests} requests fired, ${this.acknowledged} acknowledged, ${this.refused} refused as conflicts, ${this.violations} invariant violations`;
  }
}
