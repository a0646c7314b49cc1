import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import { DEFAULT_SERVER_URLS } from '../test/support/store.ts';
import { cpuSeconds } from './processes.ts';

/**
 * The PostgreSQL side of the bench: finding a server and pgbench, the scratch databases, the
 * pgbench anchors, and what roster's own connections cost the server.
 *
 * BENCH_POSTGRES_URL names the server (any database on it: the bench creates and drops its own
 * two, `roster_bench` and `roster_pgbench`); unset, the test suite's local defaults are tried.
 * BENCH_PGBENCH names the pgbench binary (default: `pgbench` on the PATH).
 */
export const BENCH_DATABASE = 'roster_bench';
export const PGBENCH_DATABASE = 'roster_pgbench';

export interface PostgresForBench {
  /** The server, as the bench found it (a maintenance database). */
  serverUrl: string;
  pgbench: string;
  pgbenchVersion: string;
}

const run = promisify(execFile);

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The server and pgbench, or why the PostgreSQL section cannot run. */
export async function findPostgres(): Promise<PostgresForBench | { skip: string }> {
  const configured = process.env.BENCH_POSTGRES_URL;
  const candidates = configured ? [configured] : DEFAULT_SERVER_URLS;
  let serverUrl: string | undefined;
  for (const url of candidates) {
    if (await answers(url)) {
      serverUrl = url;
      break;
    }
  }
  if (!serverUrl) return { skip: `no PostgreSQL server answered at ${candidates.join(' or ')} (set BENCH_POSTGRES_URL)` };
  const pgbench = process.env.BENCH_PGBENCH || 'pgbench';
  try {
    const { stdout } = await run(pgbench, ['--version']);
    return { serverUrl, pgbench, pgbenchVersion: stdout.trim() };
  } catch {
    return { skip: `pgbench was not found (${pgbench}); install PostgreSQL's client tools or set BENCH_PGBENCH` };
  }
}

async function onServer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Drops and creates `database` on the server; returns its URL. */
export async function freshDatabase(serverUrl: string, database: string): Promise<string> {
  await onServer(serverUrl, async (client) => {
    await client.query(`drop database if exists ${database} with (force)`);
    await client.query(`create database ${database}`);
  });
  return databaseUrl(serverUrl, database);
}

export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  await onServer(serverUrl, (client) => client.query(`drop database if exists ${database} with (force)`));
}

/**
 * pgbench's tables at `scale` (pgbench's advice: at least as many branches as clients, or the
 * TPC-B-like run waits on branch row locks rather than measuring the server).
 */
export async function initPgbench(tools: PostgresForBench, url: string, scale: number): Promise<void> {
  await run(tools.pgbench, ['-i', '-q', '-s', String(scale), url]);
}

export interface PgbenchResult {
  tps: number;
  latencyAverageMs: number;
}

/** One pgbench run: `select-only` is `-S` (one primary-key read per transaction), else TPC-B-like. */
export async function runPgbench(tools: PostgresForBench, url: string, options: { selectOnly: boolean; clients: number; seconds: number }): Promise<PgbenchResult> {
  const args = ['-c', String(options.clients), '-T', String(options.seconds), ...(options.selectOnly ? ['-S'] : []), url];
  const { stdout } = await run(tools.pgbench, args);
  const number = (pattern: RegExp) => {
    const match = pattern.exec(stdout);
    if (!match) throw new Error(`pgbench ${args.join(' ')}: unexpected output:\n${stdout}`);
    return Number(match[1]);
  };
  return { tps: Math.round(number(/^tps = ([\d.]+)/m)), latencyAverageMs: number(/^latency average = ([\d.]+) ms/m) };
}

export interface ServerSample {
  /** CPU seconds used so far by each server process serving roster's connections. */
  cpu: Map<number, number>;
  /** Statements run in the database so far, when pg_stat_statements is loaded. */
  statements: number | undefined;
}

/**
 * What roster's connections cost the server: the CPU time of their server processes (read from
 * /proc, so only when the server runs on this machine) and, when the server loads
 * pg_stat_statements, how many statements they ran (exact, whatever else the machine is doing).
 */
export class ServerCost {
  private readonly client: pg.Client;
  private statementsAvailable = true;

  private constructor(client: pg.Client) {
    this.client = client;
  }

  static async open(url: string): Promise<ServerCost> {
    const client = new pg.Client({ connectionString: url, application_name: 'roster-bench' });
    await client.connect();
    const cost = new ServerCost(client);
    try {
      await client.query('create extension if not exists pg_stat_statements');
      await client.query('select 1 from pg_stat_statements limit 1');
    } catch {
      cost.statementsAvailable = false; // not in shared_preload_libraries: counts stay unknown
    }
    return cost;
  }

  async sample(): Promise<ServerSample> {
    const { rows } = await this.client.query<{ pid: number }>(
      `select pid from pg_stat_activity where datname = current_database() and application_name = 'roster'`,
    );
    const cpu = new Map<number, number>();
    for (const { pid } of rows) if (existsSync(`/proc/${pid}/stat`)) cpu.set(pid, cpuSeconds(pid));
    let statements: number | undefined;
    if (this.statementsAvailable) {
      const result = await this.client.query<{ calls: string | null }>(
        `select sum(calls) as calls from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database()) and query not like '%pg_stat_%'`,
      );
      statements = Number(result.rows[0]?.calls ?? 0);
    }
    return { cpu, statements };
  }

  /** Per response between two samples: server CPU µs and statements (connections opened in between count from zero). */
  static perResponse(before: ServerSample, after: ServerSample, responses: number): { cpuMicros?: number; statements?: number } {
    let cpuSeconds: number | undefined;
    if (after.cpu.size > 0) {
      cpuSeconds = 0;
      for (const [pid, now] of after.cpu) cpuSeconds += now - (before.cpu.get(pid) ?? 0);
    }
    return {
      cpuMicros: cpuSeconds === undefined ? undefined : Math.round((cpuSeconds * 1e6) / responses),
      statements: before.statements === undefined || after.statements === undefined ? undefined : (after.statements - before.statements) / responses,
    };
  }

  close(): Promise<void> {
    return this.client.end();
  }
}
