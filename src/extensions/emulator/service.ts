import { timingSafeEqual } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyServerOptions } from 'fastify';
import { sql } from 'kysely';
import { buildApp, type App } from '../../app.ts';
import { migrateToLatest, openStore, type Store } from '../../db/connect.ts';
import { seededIdSequence, useIdSequence } from '../../lib/ids.ts';
import { setClock } from '../../lib/time.ts';
import { EmulatorClock, type ClockStart } from './clock.ts';
import { Faults, OpenAiRateLimits } from './faults.ts';
import type { Fixture } from './fixture-schema.ts';
import { FixtureError, instantSeconds, loadSeed, seedFromObject, type Seed, type SeededKey, type SeededKeys, type SeededProjectKey } from './fixtures.ts';
import { setPlatformCredential } from '../../http/platform-credentials.ts';
import { Journal, SentEmails } from './journal.ts';
import { Snapshots, StateImages, type StateImage } from './snapshots.ts';

/** The admin key and control token of an emulator started without `--seed` / `--token`. */
export const DEFAULT_ADMIN_KEY = 'sk-admin-roster-emulator-key';
export const DEFAULT_EMULATOR_TOKEN = 'roster-emulator-token';

/** What `roster emulate` seeds when given no fixture: one organization, its owner and a fixed key. */
export const DEFAULT_FIXTURE: Fixture = {
  organizations: [
    {
      name: 'Emulated organization',
      members: [{ email: 'owner@example.com', name: 'Olive Owner', role: 'owner' }],
      admin_keys: [{ name: 'Emulator key', owner: 'owner@example.com', value: DEFAULT_ADMIN_KEY }],
    },
  ],
};

export interface EmulatorOptions {
  /** SQLite file that keeps the state; default: memory only. */
  dbFile?: string;
  /** The seed (see fixtures.ts); default: DEFAULT_FIXTURE. */
  seed?: Seed;
  /** Makes generated ids the same in every run. */
  idSeed?: number;
  /** `openai`: the real admin API's observed rate limits (BEHAVIOR.md §2.3). */
  rateLimits?: 'openai';
  /** Bearer token of the control routes; default DEFAULT_EMULATOR_TOKEN. */
  token?: string;
  /**
   * The operator key (as ROSTER_OPERATOR_KEY gives `roster serve` one): it manages organizations
   * and, in emulator mode, also opens the controls. Default: none.
   */
  operatorKey?: string;
}

/**
 * roster as a test double: a store seeded from a fixture, and the controls that reset it, save and
 * restore it, move its clock, inject faults and record what was asked of it. Only `roster emulate`
 * and the test helper (roster/testing) make one; `roster serve` never does, so none of it exists
 * there.
 */
export class Emulator {
  readonly store: Store;
  readonly token: string;
  readonly clock: EmulatorClock;
  readonly faults = new Faults();
  readonly rateLimits: OpenAiRateLimits | undefined;
  readonly journal = new Journal();
  readonly emails = new SentEmails();
  readonly snapshots: Snapshots;
  /** The admin keys the seed declared. */
  readonly keys: SeededKey[];
  /** The project keys the seed declared: people's, and service accounts' first keys. */
  readonly projectKeys: SeededProjectKey[];
  readonly #images: StateImages;
  readonly #seeded: StateImage;

  private constructor(store: Store, options: EmulatorOptions, clock: EmulatorClock, images: StateImages, seeded: StateImage, keys: SeededKeys) {
    this.store = store;
    this.token = options.token ?? DEFAULT_EMULATOR_TOKEN;
    this.clock = clock;
    this.rateLimits = options.rateLimits === 'openai' ? new OpenAiRateLimits() : undefined;
    this.#images = images;
    this.snapshots = new Snapshots(images);
    this.#seeded = seeded;
    this.keys = keys.admin;
    this.projectKeys = keys.project;
  }

  /**
   * Opens the store and seeds it, or refuses with a FixtureError and leaves nothing running. A
   * `dbFile` that already holds state keeps it (and it becomes what reset goes back to).
   */
  static async open(options: EmulatorOptions = {}): Promise<Emulator> {
    const seed = options.seed ?? seedFromObject(DEFAULT_FIXTURE);
    const resumed = options.dbFile !== undefined && existsSync(options.dbFile) && statSync(options.dbFile).size > 0;
    if (resumed && options.seed) throw new FixtureError(`${options.dbFile} already holds a state: remove it to seed anew, or leave --seed out to resume it`);
    const store = openStore({ sqlitePath: options.dbFile ?? ':memory:', databaseUrl: undefined });
    try {
      const clock = new EmulatorClock(clockStart(seed));
      clock.reset();
      useIdSequence(options.idSeed === undefined ? undefined : seededIdSequence(options.idSeed));
      const images = new StateImages(store, options.dbFile);
      // In memory, a seed this process has loaded before is put back as it was then: no migrating
      // and seeding again (a test file starting roster per test pays for its seed once).
      const cacheKey = options.dbFile === undefined ? JSON.stringify([seed.content, options.idSeed, options.operatorKey]) : undefined;
      const cached = cacheKey === undefined ? undefined : seededInThisProcess.get(cacheKey);
      if (cached) {
        await images.restore(cached.image);
        return new Emulator(store, options, clock, images, cached.image, cached.keys);
      }
      await migrateToLatest(store);
      const keys = resumed ? { admin: [], project: [] } : await loadSeed(store.db, seed);
      // Part of the seeded state, so a reset keeps it.
      if (options.operatorKey) await setPlatformCredential(store.db, 'operator', options.operatorKey);
      const image = await images.capture();
      if (cacheKey !== undefined) seededInThisProcess.set(cacheKey, { image, keys });
      return new Emulator(store, options, clock, images, image, keys);
    } catch (error) {
      await store.db.destroy();
      throw error;
    }
  }

  /** Token check for the control routes, in constant time. */
  acceptsToken(presented: string | undefined): boolean {
    if (presented === undefined) return false;
    const given = Buffer.from(presented);
    const expected = Buffer.from(this.token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /**
   * Back to the seeded state: the data, the clock, no fault rules, an empty journal and outbox,
   * rate limits refilled. Named snapshots are kept.
   */
  async reset() {
    await this.#images.restore(this.#seeded);
    this.faults.clear();
    this.rateLimits?.clear();
    this.journal.clear();
    this.emails.clear();
    return { object: 'emulator.reset' as const, reset: true, clock: this.clock.reset() };
  }

  /** Every table's rows, and the clock: a seed (`--seed`) that rebuilds this state. */
  async exportState() {
    const db = this.store.db;
    const tables: Record<string, Record<string, unknown>[]> = {};
    for (const { name } of await db.introspection.getTables()) {
      tables[name] = (await sql<Record<string, unknown>>`select * from ${sql.table(name)} order by rowid`.execute(db)).rows;
    }
    const { now, frozen } = this.clock.read();
    return { roster_export: 1 as const, clock: { now, frozen }, tables };
  }

  async close(): Promise<void> {
    await this.store.db.destroy();
    // The clock and the id sequence are the process's: leave them as roster serve has them.
    setClock({ offsetMs: 0, frozenAtMs: undefined });
    useIdSequence(undefined);
  }
}

/** Seeded in-memory states of this process, by seed and id seed (see Emulator.open). */
const seededInThisProcess = new Map<string, { image: StateImage; keys: SeededKeys }>();

function clockStart(seed: Seed): ClockStart {
  const clock = seed.content.clock;
  return clock ? { atSeconds: instantSeconds(clock.now), frozen: Boolean(clock.frozen) } : { frozen: false };
}

/** An emulator serving HTTP, as `roster emulate` and the test helper start it. */
export interface RunningEmulator {
  emulator: Emulator;
  app: App;
  /** `http://host:port`, without a path. */
  origin: string;
  close(): Promise<void>;
}

export async function startEmulator(
  options: EmulatorOptions & { host?: string; port?: number; logger?: FastifyServerOptions['logger'] },
): Promise<RunningEmulator> {
  const emulator = await Emulator.open(options);
  try {
    const app = await buildApp({ db: emulator.store.db, logger: options.logger, emulator });
    await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
    const { address, port } = app.server.address() as AddressInfo;
    const host = address.includes(':') ? `[${address}]` : address;
    return {
      emulator,
      app,
      origin: `http://${host}:${port}`,
      async close() {
        await app.close();
        await emulator.close();
      },
    };
  } catch (error) {
    await emulator.close();
    throw error;
  }
}
