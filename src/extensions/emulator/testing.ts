import { readSeedFile, seedFromObject, type SeededKey, type SeededProjectKey } from './fixtures.ts';
import type { FaultRule } from './faults.ts';
import type { JournalEntry, SentEmail } from './journal.ts';
import type { FaultRuleInput, JournalQuery } from './schemas.ts';
import { startEmulator } from './service.ts';
import type { ClockView } from './clock.ts';
import type { SnapshotSummary } from './snapshots.ts';

/**
 * `import { startRoster } from 'roster/testing'`: roster in the test's own process, on a free
 * loopback port, seeded, with every emulator control as a function. The controls act directly on
 * the emulator; over HTTP the same ones live under /roster/v1/emulator/ (see the README).
 */
export interface StartRosterOptions {
  /** A fixture: the path of a YAML or JSON file, or the fixture itself. Default: one organization and DEFAULT_ADMIN_KEY. */
  seed?: string | object;
  /** Makes generated ids the same in every run. */
  idSeed?: number;
  /** `openai`: the real admin API's observed per-endpoint rate limits. */
  rateLimits?: 'openai';
  /** Default: a free port. */
  port?: number;
  /** Token of the HTTP controls; default DEFAULT_EMULATOR_TOKEN. */
  token?: string;
  /** An operator key: manages organizations (/roster/v1/organizations), and opens the HTTP controls too. */
  operatorKey?: string;
}

export interface Roster {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** `http://127.0.0.1:PORT/v1`: the SDK's `baseURL`. */
  baseURL: string;
  /** The first admin key the fixture declared. */
  adminKey: string;
  /** Every admin key the fixture declared. */
  keys: SeededKey[];
  /** Every project key the fixture declared: people's keys, and each service account's first key. */
  projectKeys: SeededProjectKey[];
  /** The clear value of the project key of this name (a service account's first key answers to the account's name too). */
  projectKey(name: string): string;
  /** The emulator token, for the HTTP controls. */
  token: string;

  /** Back to the seeded state: data, clock, faults, journal and e-mails. */
  reset(): Promise<void>;
  snapshot(name: string): Promise<SnapshotSummary>;
  restore(name: string): Promise<SnapshotSummary>;
  deleteSnapshot(name: string): void;
  snapshots(): SnapshotSummary[];
  /** The whole state as one document that `seed` (or `--seed`) accepts back. */
  exportState(): Promise<object>;

  /** Unix seconds on the emulator clock. */
  now(): number;
  advanceClock(seconds: number): ClockView;
  freezeClock(atSeconds?: number): ClockView;
  resumeClock(): ClockView;
  setClock(atSeconds: number, frozen?: boolean): ClockView;

  /** Installs a fault rule (see the README for its fields). */
  addFault(rule: FaultRuleInput): FaultRule;
  /**
   * The next `times` (default 1) requests to `target` fail with `status` (default 500). `target` is
   * an operation id (`retrieve-user`), a path, or a method and path (`POST /v1/organization/invites`).
   */
  failNext(target: string, options?: Omit<FaultRuleInput, 'operation_id' | 'method' | 'path'>): FaultRule;
  faults(): FaultRule[];
  clearFaults(): void;

  /** The requests roster answered, oldest first. */
  requests(filter?: JournalQuery): JournalEntry[];
  clearRequests(): void;
  /** The invite e-mails roster would have sent. */
  sentEmails(to?: string): SentEmail[];

  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

function target(text: string): Pick<FaultRuleInput, 'operation_id' | 'method' | 'path'> {
  const [first, second] = text.trim().split(/\s+/);
  if (second !== undefined) return { method: first!.toUpperCase(), path: second };
  return text.startsWith('/') ? { path: text } : { operation_id: text };
}

export async function startRoster(options: StartRosterOptions = {}): Promise<Roster> {
  const seed = options.seed === undefined ? undefined : typeof options.seed === 'string' ? readSeedFile(options.seed) : seedFromObject(options.seed);
  const running = await startEmulator({ seed, idSeed: options.idSeed, rateLimits: options.rateLimits, token: options.token, operatorKey: options.operatorKey, port: options.port ?? 0 });
  const { emulator } = running;
  const close = () => running.close();
  return {
    url: running.origin,
    baseURL: `${running.origin}/v1`,
    adminKey: emulator.keys[0]?.value ?? '',
    keys: emulator.keys,
    projectKeys: emulator.projectKeys,
    projectKey: (name) => {
      const key = emulator.projectKeys.find((candidate) => candidate.name === name || (candidate.owner.type === 'service_account' && candidate.owner.name === name));
      if (!key) throw new Error(`The seed declared no project key or service account named '${name}'.`);
      return key.value;
    },
    token: emulator.token,
    reset: async () => {
      await emulator.reset();
    },
    snapshot: (name) => emulator.snapshots.save(name),
    restore: (name) => emulator.snapshots.restore(name),
    deleteSnapshot: (name) => {
      emulator.snapshots.delete(name);
    },
    snapshots: () => emulator.snapshots.list(),
    exportState: () => emulator.exportState(),
    now: () => emulator.clock.read().now,
    advanceClock: (seconds) => emulator.clock.advance(seconds),
    freezeClock: (atSeconds) => emulator.clock.freeze(atSeconds),
    resumeClock: () => emulator.clock.resume(),
    setClock: (atSeconds, frozen) => emulator.clock.set(atSeconds, frozen),
    addFault: (rule) => emulator.faults.install(rule),
    failNext: (text, rule = {}) => emulator.faults.install({ status: 500, times: 1, ...rule, ...target(text) }),
    faults: () => emulator.faults.list(),
    clearFaults: () => emulator.faults.clear(),
    requests: (filter) => emulator.journal.list(filter),
    clearRequests: () => emulator.journal.clear(),
    sentEmails: (to) => emulator.emails.list(to),
    close,
    [Symbol.asyncDispose]: close,
  };
}

export { DEFAULT_ADMIN_KEY, DEFAULT_EMULATOR_TOKEN } from './service.ts';
export { FixtureError } from './fixtures.ts';
export type { SeededKey, SeededProjectKey, FaultRule, FaultRuleInput, JournalEntry, SentEmail, ClockView, SnapshotSummary };
