import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * Keys looked up in the last half second, by their clear value, so most requests neither
 * hash the key nor run the join that loads it (profiled: the largest share of a retrieve's CPU
 * time after Fastify itself).
 *
 * What keeps it from ever serving a key that is gone or a stale role:
 * - an entry lives at most TTL_MS (< 1 s), so a key deleted through another instance that shares
 *   the store stops working here within that time;
 * - changes made through this instance that can retire a key or change what it stands for (a key
 *   deleted, a member removed or given another role) call `forgetCachedKeys`, which drops every
 *   entry at once, and a lookup that was already running when that happened does not store its
 *   now possibly stale answer;
 * - expiry is checked by the caller on every request, cached or not.
 * Unknown keys are remembered too, so a client retrying a wrong key costs one query per half
 * second. That can never refuse a key created later: key values are random, made at creation.
 */
const TTL_MS = 500;
/** Past this many entries (a flood of made-up keys) the cache starts over, keeping memory bounded. */
const MAX_ENTRIES = 10_000;

export class KeyCache {
  private readonly entries = new Map<string, { row: unknown; at: number }>();
  private generation = 0;
  /** Lookups answered from the cache and from the store, for metrics. */
  hits = 0;
  misses = 0;

  /** The row for this key value: cached, or from `load` (which must always load the same query). */
  async lookup<Row>(token: string, load: () => Promise<Row | undefined>): Promise<Row | undefined> {
    const now = Date.now();
    const cached = this.entries.get(token);
    if (cached !== undefined && now - cached.at < TTL_MS) {
      this.hits++;
      return cached.row as Row | undefined;
    }
    this.misses++;

    const generation = this.generation;
    const row = await load();
    if (generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(token, { row, at: now });
    }
    return row;
  }

  forget(): void {
    this.entries.clear();
    this.generation++;
  }
}

/**
 * Three caches per store (per root Kysely instance): the credentials that call roster (admin keys,
 * and the operator's and gateways' credentials), the project keys the key check resolves
 * (src/extensions/key-check), and the project policies it answers with, by project and model. All
 * follow the rules above; a policy is only ever stale by the TTL, since settings changes do not
 * drop it.
 */
const caches = new WeakMap<Kysely<Database>, { credentials: KeyCache; projectKeys: KeyCache; policies: KeyCache }>();

function cachesOf(db: Kysely<Database>) {
  let all = caches.get(db);
  if (all === undefined) {
    all = { credentials: new KeyCache(), projectKeys: new KeyCache(), policies: new KeyCache() };
    caches.set(db, all);
  }
  return all;
}

export function cachedKeys(db: Kysely<Database>): KeyCache {
  return cachesOf(db).credentials;
}

export function cachedProjectKeys(db: Kysely<Database>): KeyCache {
  return cachesOf(db).projectKeys;
}

export function cachedPolicies(db: Kysely<Database>): KeyCache {
  return cachesOf(db).policies;
}

/**
 * Call with the root `db` once a change that retires a key or changes its owner's membership has
 * committed (forgetting earlier would let a concurrent lookup cache what the change replaces).
 * Both caches are dropped: a member's removal retires their admin keys and their project keys alike.
 */
export function forgetCachedKeys(db: Kysely<Database>): void {
  if (db.isTransaction) throw new Error('forgetCachedKeys takes the root db, after the transaction has committed');
  const { credentials, projectKeys } = cachesOf(db);
  credentials.forget();
  projectKeys.forget();
}
