import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GATEWAY_TOKEN, KEYS, prepareStore, type Organization } from './fixtures.ts';
import type { LoadResult, LoadSpec } from './load.ts';
import {
  BENCH_DATABASE,
  dropDatabase,
  findPostgres,
  freshDatabase,
  initPgbench,
  PGBENCH_DATABASE,
  runPgbench,
  ServerCost,
  type PgbenchResult,
  type PostgresForBench,
} from './postgres.ts';
import { cpuSeconds, load, residentMemory, ROOT, startServer, type Server } from './processes.ts';

/**
 * `npm run bench`: roster against the ceiling (a bare node:http server), scenario by scenario, in
 * one run on this machine, with the framework floor (Fastify and roster's request log, doing
 * nothing else) between them for reference. Prints a table and writes
 * bench/results/<timestamp>.json.
 *
 * Each scenario runs in two rounds of ceiling, floor, roster; each server's better round is
 * reported (other work on the machine only ever lowers a round's numbers), and every run is kept
 * in the JSON.
 *
 * Settings (environment): BENCH_SECONDS (measured seconds per run, 5), BENCH_WARMUP_SECONDS (2,
 * before each server's first round), BENCH_ROUNDS (2),
 * BENCH_CONNECTIONS (10), BENCH_LARGE_USERS (1000000), BENCH_ONLY (comma-separated scenario
 * names), BENCH_CPU_PROF (a folder: roster writes a V8 CPU profile there when it stops).
 * roster runs at its default log level (info: one JSON line per request, to a file) unless
 * ROSTER_LOG_LEVEL is set.
 *
 * When a PostgreSQL server answers and pgbench is installed (see bench/postgres.ts), a second
 * section runs the same scenarios on roster with a PostgreSQL store (an organization of the small
 * size), each beside the embedded store and, for retrieve and modify, beside pgbench on the same
 * server with the same number of clients: `pgbench -S` and the TPC-B-like default. BENCH_POSTGRES=0
 * leaves the section out.
 */
const settings = {
  seconds: Number(process.env.BENCH_SECONDS ?? 5),
  warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? 2),
  rounds: Number(process.env.BENCH_ROUNDS ?? 2),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 10),
  pipelining: 1,
  smallUsers: 1_000,
  largeUsers: Number(process.env.BENCH_LARGE_USERS ?? 1_000_000),
  groups: { members: 100_000, groups: 1_000, roles: 100, rolesPerGroup: 5, heavyUsers: 200, groupsPerHeavyUser: 20 },
  logLevel: process.env.ROSTER_LOG_LEVEL || 'info',
};
const only = process.env.BENCH_ONLY?.split(',');
/** The Node.js flags `npm start` and `bin/roster.js` run roster with. */
const SERVE_NODE_FLAGS = ['--max-semi-space-size=4'];
const LIST_LIMIT = 100;

interface Scenario {
  name: string;
  describe: string;
  request: Pick<LoadSpec, 'method' | 'headers' | 'paths' | 'bodies' | 'expectStatus'>;
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const userPath = (id: string) => `/v1/organization/users/${id}`;

/**
 * Cursors spread over the whole list, each followed by a full page: a random sample of the
 * members that have at least `limit` others after them.
 */
function listPaths(organization: Organization, samples: number): string[] {
  const eligible = organization.userIds.slice(0, -LIST_LIMIT);
  const picked = eligible.length <= samples ? shuffled(eligible) : Array.from({ length: samples }, () => eligible[Math.floor(Math.random() * eligible.length)]!);
  return picked.map((id) => `/v1/organization/users?limit=${LIST_LIMIT}&after=${id}`);
}

type Fixture = Awaited<ReturnType<typeof prepareStore>>;

/** Organizations the store lacks (the PostgreSQL section has only the small one) have no scenario. */
function scenarios({ small, large, groups: grouped, projectKey }: Fixture): Scenario[] {
  const members = shuffled(small.userIds).map(userPath);
  return [
    {
      name: 'retrieve',
      describe: `retrieve a user (organization of ${small.userIds.length})`,
      request: { method: 'GET', headers: auth(small.key), paths: members, expectStatus: 200 },
    },
    {
      name: 'list-small',
      describe: `list ${LIST_LIMIT} users, organization of ${small.userIds.length}`,
      request: { method: 'GET', headers: auth(small.key), paths: listPaths(small, 20_000), expectStatus: 200 },
    },
    large && {
      name: 'list-large',
      describe: `list ${LIST_LIMIT} users, organization of ${large.userIds.length}`,
      request: { method: 'GET', headers: auth(large.key), paths: listPaths(large, 20_000), expectStatus: 200 },
    },
    {
      // Two values in turn for each user, so every request is a real write with its audit record.
      name: 'modify',
      describe: 'modify a user (write + audit record)',
      request: {
        method: 'POST',
        headers: { ...auth(small.key), 'content-type': 'application/json' },
        paths: members,
        bodies: ['{"technical_level":"bench level a"}', '{"technical_level":"bench level b"}'],
        expectStatus: 200,
      },
    },
    grouped && {
      name: 'groups',
      describe: `a user's roles, ${settings.groups.groupsPerHeavyUser} groups × ${settings.groups.rolesPerGroup} roles (org of ${grouped.userIds.length}, ${settings.groups.groups} groups)`,
      request: { method: 'GET', headers: auth(grouped.key), paths: shuffled(grouped.heavyUserIds).map((id) => `${userPath(id)}/roles`), expectStatus: 200 },
    },
    {
      name: 'bad-key',
      describe: 'retrieve with a wrong key (401)',
      request: { method: 'GET', headers: auth(KEYS.wrong), paths: members, expectStatus: 401 },
    },
    {
      // What a gateway asks before every model call: one active service-account key, over and over.
      name: 'key-check',
      describe: 'key check by a gateway (active key)',
      request: {
        method: 'POST',
        headers: { ...auth(GATEWAY_TOKEN), 'content-type': 'application/json' },
        // One path, repeated so every connection's share of the paths has it (see bench/load.ts).
        paths: Array.from({ length: 4 * settings.connections }, () => '/roster/v1/keys/check'),
        bodies: [JSON.stringify({ key: projectKey })],
        expectStatus: 200,
      },
    },
  ].filter((scenario) => scenario && (!only || only.includes(scenario.name))) as Scenario[];
}

/** A load run's result and the server's CPU time per response (µs), a measure that stays steady when other work shares the machine. */
type Measured = LoadResult & { cpuMicrosPerResponse: number };

interface Row {
  scenario: string;
  describe: string;
  roster: Measured;
  ceiling: Measured;
  /** Fastify with roster's request log and nothing else (bench/framework-floor.ts). */
  floor: Measured;
  /** roster's requests/s over the ceiling's. */
  ratio: number;
  /** The framework floor's requests/s over the ceiling's: what the framework and the log line leave. */
  floorRatio: number;
  /** roster's largest resident memory sampled during the scenario (MiB). */
  rosterRssMb: number;
  /** Every round; `roster`, `ceiling` and `floor` above are each server's best. */
  runs: { roster: Measured[]; ceiling: Measured[]; floor: Measured[] };
}

/** The ceiling and the floor answer everything with 200; roster must answer with the scenario's status. */
async function drive(server: Server, scenario: Scenario, workDir: string, expectStatus: number, warmupSeconds: number): Promise<Measured> {
  const cpuBefore = cpuSeconds(server.child.pid!);
  const result = await load(
    {
      ...scenario.request,
      expectStatus,
      origin: server.origin,
      connections: settings.connections,
      pipelining: settings.pipelining,
      warmupSeconds,
      durationSeconds: settings.seconds,
    },
    workDir,
  );
  const cpuMicros = (cpuSeconds(server.child.pid!) - cpuBefore) * 1e6;
  return { ...result, cpuMicrosPerResponse: Math.round(cpuMicros / result.allResponses) };
}

/** Columns padded to their widest cell: the first left-aligned, the others right-aligned. */
function formatColumns(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(0)} %`;
/** A row's first cells: what it measured, its rate and its latencies. */
const loadCells = (describe: string, run: LoadResult) => [describe, String(run.requestsPerSecond), run.p50Ms.toFixed(2), run.p99Ms.toFixed(2)];

function formatTable(rows: Row[]): string {
  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'ceiling req/s', 'ratio', 'floor req/s', 'floor ratio', 'CPU µs/req', 'ceiling CPU µs/req', 'RSS MB', 'failed'];
  const body = rows.map((r) => [
    ...loadCells(r.describe, r.roster),
    String(r.ceiling.requestsPerSecond),
    percent(r.ratio),
    String(r.floor.requestsPerSecond),
    percent(r.floorRatio),
    String(r.roster.cpuMicrosPerResponse),
    String(r.ceiling.cpuMicrosPerResponse),
    String(r.rosterRssMb),
    String(r.roster.failures),
  ]);
  return formatColumns(header, body);
}

interface Target {
  target: string;
  measured: string;
  met: boolean;
}

function targets(rows: Row[], peakRssMb: number, largeUsers: number): Target[] {
  const by = (name: string) => rows.find((r) => r.scenario === name);
  const result: Target[] = [];
  const retrieve = by('retrieve');
  if (retrieve) result.push({ target: 'retrieve user >= 60 % of the ceiling', measured: `${(retrieve.ratio * 100).toFixed(0)} %`, met: retrieve.ratio >= 0.6 });
  const [small, large] = [by('list-small'), by('list-large')];
  if (large) result.push({ target: 'list 100 at the large organization: p99 <= 15 ms', measured: `${large.roster.p99Ms.toFixed(2)} ms`, met: large.roster.p99Ms <= 15 });
  if (small && large) {
    const slowdown = small.roster.requestsPerSecond / large.roster.requestsPerSecond;
    result.push({ target: 'list 100: large organization within 1.5x of the small one (req/s)', measured: `${slowdown.toFixed(2)}x`, met: slowdown <= 1.5 });
  }
  const modify = by('modify');
  if (modify) result.push({ target: 'modify user >= 8,000 writes/s', measured: `${modify.roster.requestsPerSecond}/s`, met: modify.roster.requestsPerSecond >= 8000 });
  const grouped = by('groups');
  if (grouped) result.push({ target: "a user's roles through 20 groups: p99 <= 15 ms", measured: `${grouped.roster.p99Ms.toFixed(2)} ms`, met: grouped.roster.p99Ms <= 15 });
  const keyCheck = by('key-check');
  if (keyCheck) {
    result.push({ target: 'key check >= 50 % of the ceiling', measured: `${(keyCheck.ratio * 100).toFixed(0)} %`, met: keyCheck.ratio >= 0.5 });
    result.push({ target: 'key check p99 <= 2 ms', measured: `${keyCheck.roster.p99Ms.toFixed(2)} ms`, met: keyCheck.roster.p99Ms <= 2 });
  }
  const badKey = by('bad-key');
  if (badKey) result.push({ target: '401 path >= 70 % of the ceiling', measured: `${(badKey.ratio * 100).toFixed(0)} %`, met: badKey.ratio >= 0.7 });
  result.push({ target: `peak RSS <= 200 MB with ${largeUsers.toLocaleString('en')} users loaded`, measured: `${peakRssMb} MB`, met: peakRssMb <= 200 });
  return result;
}

/** The scenarios pgbench anchors on the same server, with the same number of clients. */
const PGBENCH_ANCHORS: Record<string, { selectOnly: boolean; describe: string }> = {
  retrieve: { selectOnly: true, describe: 'pgbench -S' },
  modify: { selectOnly: false, describe: 'pgbench (TPC-B-like)' },
};

/** A run of roster on PostgreSQL, with what it cost the server per response. */
type PostgresMeasured = Measured & { serverCpuMicrosPerResponse?: number; statementsPerResponse?: number };
type Anchor = PgbenchResult & { describe: string };

interface PostgresRow {
  scenario: string;
  describe: string;
  /** roster on PostgreSQL, its best round. */
  postgres: PostgresMeasured;
  /** roster on the embedded store, run in turn with it, its best round. */
  embedded: Measured;
  /** pgbench's best round, for the scenarios it anchors. */
  pgbench?: Anchor;
  embeddedRatio: number;
  pgbenchRatio?: number;
  runs: { postgres: PostgresMeasured[]; embedded: Measured[]; pgbench: Anchor[] };
}

const bestOf = <T extends { requestsPerSecond: number }>(runs: T[]) => runs.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));

/**
 * Each scenario on roster with a PostgreSQL store, in rounds of: roster on the embedded store,
 * pgbench (when it anchors the scenario), roster on PostgreSQL. Both databases are scratch ones,
 * made for the run and dropped after it.
 */
async function postgresSection(
  tools: PostgresForBench,
  workDir: string,
  embedded: { server: Server; fixture: Fixture },
  say: (text: string) => void,
): Promise<PostgresRow[]> {
  const rosterUrl = await freshDatabase(tools.serverUrl, BENCH_DATABASE);
  const pgbenchUrl = await freshDatabase(tools.serverUrl, PGBENCH_DATABASE);
  const stopping: (() => Promise<void>)[] = [];
  try {
    say(`PostgreSQL: filling ${BENCH_DATABASE} with ${settings.smallUsers} users, and pgbench's tables at scale ${settings.connections}`);
    const fixture = await prepareStore(workDir, { DATABASE_URL: rosterUrl }, { small: settings.smallUsers, large: 0 });
    await initPgbench(tools, pgbenchUrl, settings.connections);
    const roster = await startServer([...SERVE_NODE_FLAGS, join(ROOT, 'src/cli.ts'), 'serve'], { DATABASE_URL: rosterUrl, ROSTER_LOG_LEVEL: settings.logLevel, ROSTER_GATEWAY_TOKEN: GATEWAY_TOKEN }, join(workDir, 'roster-postgres.log'), '/roster/v1/health');
    stopping.push(() => roster.stop());
    const cost = await ServerCost.open(rosterUrl);
    stopping.push(() => cost.close());

    const onEmbedded = new Map(scenarios(embedded.fixture).map((scenario) => [scenario.name, scenario]));
    const rows: PostgresRow[] = [];
    for (const scenario of scenarios(fixture)) {
      const anchor = PGBENCH_ANCHORS[scenario.name];
      const runs: PostgresRow['runs'] = { postgres: [], embedded: [], pgbench: [] };
      for (let round = 0; round < settings.rounds; round++) {
        const warmup = round === 0 ? settings.warmupSeconds : 0;
        say(`PostgreSQL ${scenario.name}, round ${round + 1}: roster on the embedded store,${anchor ? ` ${anchor.describe},` : ''} roster on PostgreSQL`);
        runs.embedded.push(await drive(embedded.server, onEmbedded.get(scenario.name)!, workDir, scenario.request.expectStatus, warmup));
        if (anchor) {
          const result = await runPgbench(tools, pgbenchUrl, { selectOnly: anchor.selectOnly, clients: settings.connections, seconds: settings.seconds });
          runs.pgbench.push({ ...result, describe: anchor.describe });
        }
        const before = await cost.sample();
        const measured = await drive(roster, scenario, workDir, scenario.request.expectStatus, warmup);
        const server = ServerCost.perResponse(before, await cost.sample(), measured.allResponses);
        runs.postgres.push({ ...measured, serverCpuMicrosPerResponse: server.cpuMicros, statementsPerResponse: server.statements });
      }
      const postgres = bestOf(runs.postgres);
      const embeddedBest = bestOf(runs.embedded);
      const pgbench = runs.pgbench.length > 0 ? runs.pgbench.reduce((a, b) => (b.tps > a.tps ? b : a)) : undefined;
      rows.push({
        scenario: scenario.name,
        describe: scenario.describe,
        postgres,
        embedded: embeddedBest,
        pgbench,
        embeddedRatio: postgres.requestsPerSecond / embeddedBest.requestsPerSecond,
        pgbenchRatio: pgbench && postgres.requestsPerSecond / pgbench.tps,
        runs,
      });
    }
    return rows;
  } finally {
    for (const stop of stopping.reverse()) await stop();
    await dropDatabase(tools.serverUrl, BENCH_DATABASE);
    await dropDatabase(tools.serverUrl, PGBENCH_DATABASE);
  }
}

function formatPostgresTable(rows: PostgresRow[]): string {
  const header = ['scenario on PostgreSQL', 'req/s', 'p50 ms', 'p99 ms', 'embedded req/s', 'of embedded', 'anchor', 'anchor tps', 'anchor avg ms', 'of anchor', 'CPU µs/req', 'server CPU µs/req', 'statements/req', 'failed'];
  const optional = (value: number | undefined, format: (value: number) => string) => (value === undefined ? '-' : format(value));
  const body = rows.map((r) => [
    ...loadCells(r.describe, r.postgres),
    String(r.embedded.requestsPerSecond),
    percent(r.embeddedRatio),
    r.pgbench?.describe ?? '-',
    optional(r.pgbench?.tps, String),
    optional(r.pgbench?.latencyAverageMs, (ms) => ms.toFixed(2)),
    optional(r.pgbenchRatio, percent),
    String(r.postgres.cpuMicrosPerResponse),
    optional(r.postgres.serverCpuMicrosPerResponse, String),
    optional(r.postgres.statementsPerResponse, (n) => n.toFixed(2)),
    String(r.postgres.failures),
  ]);
  return formatColumns(header, body);
}

function postgresTargets(rows: PostgresRow[]): Target[] {
  const by = (name: string) => rows.find((r) => r.scenario === name);
  const result: Target[] = [];
  const modify = by('modify');
  if (modify?.pgbench) {
    const ratio = modify.pgbenchRatio!;
    result.push({ target: "modify on PostgreSQL >= 75 % of pgbench's TPC-B-like tps", measured: percent(ratio), met: ratio >= 0.75 });
    const limit = 3 * modify.pgbench.latencyAverageMs;
    result.push({
      target: `modify on PostgreSQL: p99 <= 3x pgbench's average latency (${limit.toFixed(2)} ms)`,
      measured: `${modify.postgres.p99Ms.toFixed(2)} ms`,
      met: modify.postgres.p99Ms <= limit,
    });
  }
  const retrieve = by('retrieve');
  if (retrieve?.pgbench) result.push({ target: 'retrieve on PostgreSQL >= 25 % of pgbench -S', measured: percent(retrieve.pgbenchRatio!), met: retrieve.pgbenchRatio! >= 0.25 });
  const list = by('list-small');
  if (list) result.push({ target: 'list 100 on PostgreSQL >= 70 % of the embedded store', measured: percent(list.embeddedRatio), met: list.embeddedRatio >= 0.7 });
  return result;
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = loadavg();
  const workDir = mkdtempSync(join(tmpdir(), 'roster-bench-'));
  const say = (text: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${text}\n`);
  const servers: Server[] = [];
  try {
    const sqlitePath = join(workDir, 'roster.db');
    say(`filling a store: ${settings.smallUsers} + ${settings.largeUsers} + ${settings.groups.members} users through roster import, then ${settings.groups.groups} groups`);
    const fixture = await prepareStore(workDir, { ROSTER_DB: sqlitePath, DATABASE_URL: '' }, { small: settings.smallUsers, large: settings.largeUsers, groups: settings.groups });
    const { small, large, groups } = fixture;
    if (!large || !groups) throw new Error('BENCH_LARGE_USERS must be at least 1');
    say(`imported (${small.importSeconds} s, ${large.importSeconds} s and ${groups.importSeconds} s); store is ${Math.round(statSync(sqlitePath).size / 2 ** 20)} MB`);

    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const ceiling = await startServer([join(ROOT, 'bench/ceiling.ts')], {}, join(workDir, 'ceiling.log'), '/');
    servers.push(ceiling);
    const floor = await startServer([join(ROOT, 'bench/framework-floor.ts')], {}, join(workDir, 'floor.log'), '/');
    servers.push(floor);
    const rosterLog = join(workDir, 'roster.log');
    const roster = await startServer([...profile, ...SERVE_NODE_FLAGS, join(ROOT, 'src/cli.ts'), 'serve'], { ROSTER_DB: sqlitePath, DATABASE_URL: '', ROSTER_LOG_LEVEL: settings.logLevel, ROSTER_GATEWAY_TOKEN: GATEWAY_TOKEN }, rosterLog, '/roster/v1/health');
    servers.push(roster);

    // roster's resident memory, sampled through each of its runs.
    let scenarioRssMb = 0;
    const sampler = setInterval(() => (scenarioRssMb = Math.max(scenarioRssMb, residentMemory(roster.child.pid!).rssMb)), 250);

    const best = (runs: Measured[]) => runs.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));
    const rows: Row[] = [];
    for (const scenario of scenarios(fixture)) {
      const ceilingRuns: Measured[] = [];
      const floorRuns: Measured[] = [];
      const rosterRuns: Measured[] = [];
      scenarioRssMb = 0;
      for (let round = 0; round < settings.rounds; round++) {
        const warmup = round === 0 ? settings.warmupSeconds : 0;
        say(`${scenario.name}, round ${round + 1}: ceiling, framework floor, roster`);
        ceilingRuns.push(await drive(ceiling, scenario, workDir, 200, warmup));
        floorRuns.push(await drive(floor, scenario, workDir, 200, warmup));
        rosterRuns.push(await drive(roster, scenario, workDir, scenario.request.expectStatus, warmup));
      }
      const [rosterBest, ceilingBest, floorBest] = [best(rosterRuns), best(ceilingRuns), best(floorRuns)];
      rows.push({
        scenario: scenario.name,
        describe: scenario.describe,
        roster: rosterBest,
        ceiling: ceilingBest,
        floor: floorBest,
        ratio: rosterBest.requestsPerSecond / ceilingBest.requestsPerSecond,
        floorRatio: floorBest.requestsPerSecond / ceilingBest.requestsPerSecond,
        rosterRssMb: scenarioRssMb,
        runs: { roster: rosterRuns, ceiling: ceilingRuns, floor: floorRuns },
      });
    }
    clearInterval(sampler);
    const memory = residentMemory(roster.child.pid!);
    const peakRssMb = memory.peakRssMb;
    const rosterLogMb = Math.round(statSync(rosterLog).size / 2 ** 20);

    const tools = process.env.BENCH_POSTGRES === '0' ? { skip: 'BENCH_POSTGRES=0' } : await findPostgres();
    const postgres: { skipped: string } | { server: string; rows: PostgresRow[] } =
      'skip' in tools
        ? { skipped: tools.skip }
        : { server: tools.pgbenchVersion, rows: await postgresSection(tools, workDir, { server: roster, fixture }, say) };

    const checks = [...targets(rows, peakRssMb, large.userIds.length), ...('rows' in postgres ? postgresTargets(postgres.rows) : [])];
    const report = {
      date: new Date(started).toISOString(),
      commit: gitCommit(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, loadavgBefore: loadBefore, loadavgAfter: loadavg() },
      settings: { ...settings, smallOrganizationMembers: small.userIds.length, largeOrganizationMembers: large.userIds.length },
      import: { smallSeconds: small.importSeconds, largeSeconds: large.importSeconds },
      memory: { rssAfterMb: memory.rssMb, peakRssMb },
      rosterLogMb,
      scenarios: rows,
      postgres,
      targets: checks,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    const resultsDir = join(ROOT, 'bench/results');
    mkdirSync(resultsDir, { recursive: true });
    const resultFile = join(resultsDir, `${report.date.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z')}.json`);
    writeFileSync(resultFile, JSON.stringify(report, null, 2) + '\n');

    const out = [
      '',
      `roster vs. the ceiling (bare node:http) and the framework floor (Fastify + roster's request log, nothing else): ${settings.connections} connections, best of ${settings.rounds} alternating ${settings.seconds} s runs after ${settings.warmupSeconds} s of warm-up, roster log level ${settings.logLevel}`,
      '',
      formatTable(rows),
      '',
      `roster RSS with ${large.userIds.length.toLocaleString('en')} users loaded: ${memory.rssMb} MB after the runs, ${peakRssMb} MB at peak (VmHWM)`,
      '',
      ...('rows' in postgres
        ? [
            `roster on PostgreSQL (${postgres.server}, an organization of ${small.userIds.length}), in turn with roster on the embedded store and with pgbench on the same server (${settings.connections} clients, scale ${settings.connections}):`,
            '',
            formatPostgresTable(postgres.rows),
          ]
        : [`PostgreSQL section skipped: ${postgres.skipped}`]),
      '',
      ...checks.map((c) => `${c.met ? 'met   ' : 'MISSED'}  ${c.target}: ${c.measured}`),
      '',
      `results: ${resultFile} (${report.seconds} s in all)`,
      '',
    ];
    process.stdout.write(out.join('\n'));
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
