import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KEYS, prepareStore } from './fixtures.ts';
import { cpuSeconds, freePort, load, ROOT, runNode, startServer, type Server } from './processes.ts';

/**
 * `npm run bench:emulator`: the emulator's speed targets (issue 14), beside today's `npm start`.
 * - first answer of `roster emulate` as a process, and of `roster serve` on an empty store (the
 *   cold start of `npm start`), both run the way npm runs them;
 * - in-process timings (bench/emulator-inprocess.ts): startRoster() with 1,000 members, reset p99,
 *   restore of a 100,000-member snapshot;
 * - the request path with no fault installed: retrieve a user from `roster serve` and from
 *   `roster emulate` on copies of one store, beside the node:http ceiling.
 * Settings: BENCH_SECONDS (5), BENCH_ROUNDS (2), BENCH_CONNECTIONS (10), BENCH_STARTS (5).
 */
const settings = {
  seconds: Number(process.env.BENCH_SECONDS ?? 5),
  rounds: Number(process.env.BENCH_ROUNDS ?? 2),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 10),
  starts: Number(process.env.BENCH_STARTS ?? 5),
};
const NODE_FLAGS = ['--max-semi-space-size=4', '--no-warnings'];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Milliseconds from spawning `node ARGS` to its first 200 on the health route. */
async function firstAnswerMs(args: string[], env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...NODE_FLAGS, ...args], {
    env: { ...process.env, ...env, PORT: String(port), ROSTER_LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
      const answered = await fetch(`http://127.0.0.1:${port}/roster/v1/health`).then((r) => r.status === 200, () => false);
      if (answered) return performance.now() - started;
      if (performance.now() - started > 30_000) throw new Error(`${args.join(' ')} did not answer`);
      await sleep(2);
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

function fixtureFile(workDir: string, members: number): string {
  const file = join(workDir, `fixture-${members}.json`);
  const people = Array.from({ length: members - 1 }, (_, i) => ({ email: `person-${i}@bench.example`, role: 'reader' }));
  const fixture = {
    organizations: [{ name: 'Bench', members: [{ email: 'owner@bench.example', role: 'owner' }, ...people], admin_keys: [{ name: 'bench', owner: 'owner@bench.example', value: 'sk-admin-bench' }] }],
  };
  writeFileSync(file, JSON.stringify(fixture));
  return file;
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = loadavg();
  const workDir = mkdtempSync(join(tmpdir(), 'roster-bench-emulator-'));
  const say = (text: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${text}\n`);
  const servers: Server[] = [];
  try {
    const cli = join(ROOT, 'src/cli.ts');
    const seed1000 = fixtureFile(workDir, 1_000);
    const starts: Record<string, number[]> = { 'npm start (roster serve), empty store': [], 'roster emulate (default fixture)': [], 'roster emulate --seed (1,000 members)': [] };
    for (let i = 0; i < settings.starts; i++) {
      say(`cold starts, round ${i + 1} of ${settings.starts}`);
      const empty = join(workDir, `empty-${i}.db`);
      starts['npm start (roster serve), empty store']!.push(await firstAnswerMs([cli, 'serve'], { ROSTER_DB: empty }));
      starts['roster emulate (default fixture)']!.push(await firstAnswerMs([cli, 'emulate'], {}));
      starts['roster emulate --seed (1,000 members)']!.push(await firstAnswerMs([cli, 'emulate', '--seed', seed1000], {}));
    }

    say('in-process: startRoster, reset, restore of 100,000 members');
    const inProcess = JSON.parse(await runNode(['--no-warnings', join(ROOT, 'bench/emulator-inprocess.ts')])) as Record<string, any>;

    say('the request path with no fault rule: filling a store of 1,000 members');
    const servePath = join(workDir, 'serve.db');
    const { small } = await prepareStore(workDir, { ROSTER_DB: servePath, DATABASE_URL: '' }, { small: 1_000, large: 0 });
    const emulatePath = join(workDir, 'emulate.db');
    copyFileSync(servePath, emulatePath);
    const env = { ROSTER_LOG_LEVEL: 'info' };
    const ceiling = await startServer([join(ROOT, 'bench/ceiling.ts')], {}, join(workDir, 'ceiling.log'), '/');
    servers.push(ceiling);
    const serve = await startServer([...NODE_FLAGS, cli, 'serve'], { ...env, ROSTER_DB: servePath }, join(workDir, 'serve.log'), '/roster/v1/health');
    servers.push(serve);
    const emulate = await startServer([...NODE_FLAGS, cli, 'emulate', '--db', emulatePath], env, join(workDir, 'emulate.log'), '/roster/v1/health');
    servers.push(emulate);
    const paths = small.userIds.map((id) => `/v1/organization/users/${id}`);
    const runs: Record<string, { requestsPerSecond: number; p99Ms: number; cpuMicrosPerResponse: number }[]> = { ceiling: [], serve: [], emulate: [] };
    for (let round = 0; round < settings.rounds; round++) {
      for (const [name, server] of [['ceiling', ceiling], ['serve', serve], ['emulate', emulate]] as const) {
        say(`retrieve a user, round ${round + 1}: ${name}`);
        const cpuBefore = cpuSeconds(server.child.pid!);
        const result = await load(
          {
            origin: server.origin,
            method: 'GET',
            headers: { authorization: `Bearer ${KEYS.small}` },
            paths,
            expectStatus: 200,
            connections: settings.connections,
            pipelining: 1,
            warmupSeconds: round === 0 ? 2 : 0,
            durationSeconds: settings.seconds,
          },
          workDir,
        );
        if (result.failures > 0) throw new Error(`${name}: ${result.failures} failed requests`);
        const cpuMicros = (cpuSeconds(server.child.pid!) - cpuBefore) * 1e6;
        runs[name]!.push({ requestsPerSecond: result.requestsPerSecond, p99Ms: result.p99Ms, cpuMicrosPerResponse: Math.round(cpuMicros / result.allResponses) });
      }
    }
    const best = (name: string) => runs[name]!.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));
    const [bestCeiling, bestServe, bestEmulate] = [best('ceiling'), best('serve'), best('emulate')];

    const startMedians = Object.fromEntries(Object.entries(starts).map(([name, values]) => [name, Math.round(median(values))]));
    const restoreMax = Math.max(...(inProcess.restoreMs as number[]));
    const checks = [
      { target: 'startRoster() with 1,000 members ready <= 300 ms (later starts in the process)', measured: `${Math.round(median(inProcess.startNextMs))} ms median, first ${Math.round(inProcess.startFirstMs)} ms`, met: median(inProcess.startNextMs) <= 300 },
      { target: 'roster emulate first answer <= 1 s', measured: `${startMedians['roster emulate (default fixture)']} ms median`, met: startMedians['roster emulate (default fixture)']! <= 1000 },
      { target: 'reset to a 1,000-member seed: p99 <= 10 ms', measured: `${inProcess.resetP99Ms} ms (p50 ${inProcess.resetP50Ms} ms)`, met: inProcess.resetP99Ms <= 10 },
      { target: 'restore of a 100,000-member snapshot <= 200 ms', measured: `${restoreMax} ms at worst of ${inProcess.restoreMs.length}`, met: restoreMax <= 200 },
      {
        target: 'no fault rule: the request path costs nothing measurable (emulate vs serve, req/s)',
        measured: `${bestEmulate.requestsPerSecond} vs ${bestServe.requestsPerSecond} req/s (${((bestEmulate.requestsPerSecond / bestServe.requestsPerSecond) * 100).toFixed(0)} %), CPU ${bestEmulate.cpuMicrosPerResponse} vs ${bestServe.cpuMicrosPerResponse} µs/req`,
        met: bestEmulate.requestsPerSecond >= 0.95 * bestServe.requestsPerSecond,
      },
    ];

    const report = {
      date: new Date(started).toISOString(),
      machine: { cpus: cpus().length, node: process.version, loadavgBefore: loadBefore, loadavgAfter: loadavg() },
      settings,
      starts,
      inProcess,
      requestPath: runs,
      targets: checks,
    };
    const resultsDir = join(ROOT, 'bench/results');
    mkdirSync(resultsDir, { recursive: true });
    const resultFile = join(resultsDir, `emulator-${report.date.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z')}.json`);
    writeFileSync(resultFile, JSON.stringify(report, null, 2) + '\n');

    const out = [
      '',
      `load average before/after: ${loadBefore.map((v) => v.toFixed(1)).join(' ')} / ${loadavg().map((v) => v.toFixed(1)).join(' ')}`,
      '',
      'first answer after spawning (median of ' + settings.starts + '):',
      ...Object.entries(startMedians).map(([name, ms]) => `  ${name.padEnd(40)} ${String(ms).padStart(6)} ms   (all: ${starts[name]!.map(Math.round).join(', ')})`),
      '',
      `in-process: importing roster/testing ${inProcess.importMs} ms; startRoster() 1,000 members: first ${inProcess.startFirstMs} ms, then ${inProcess.startNextMs.join(', ')} ms`,
      `  CPU time: first ${inProcess.startFirstCpuMs} ms, then ${inProcess.startNextCpuMs.join(', ')} ms`,
      `reset after a write (${inProcess.resets}x): p50 ${inProcess.resetP50Ms} ms, p99 ${inProcess.resetP99Ms} ms; CPU time p50 ${inProcess.resetCpuP50Ms} ms, p99 ${inProcess.resetCpuP99Ms} ms`,
      `snapshot of ${inProcess.largeMembers.toLocaleString('en')} members (${Math.round(inProcess.snapshotBytes / 2 ** 20)} MB): save ${inProcess.snapshotSaveMs} ms, restore ${inProcess.restoreMs.join(', ')} ms (CPU ${inProcess.restoreCpuMs.join(', ')} ms)`,
      '',
      `retrieve a user, ${settings.connections} connections, best of ${settings.rounds} x ${settings.seconds} s:`,
      `  ceiling (node:http)        ${String(bestCeiling.requestsPerSecond).padStart(6)} req/s  p99 ${bestCeiling.p99Ms.toFixed(2)} ms  CPU ${bestCeiling.cpuMicrosPerResponse} µs/req`,
      `  roster serve               ${String(bestServe.requestsPerSecond).padStart(6)} req/s  p99 ${bestServe.p99Ms.toFixed(2)} ms  CPU ${bestServe.cpuMicrosPerResponse} µs/req`,
      `  roster emulate, no faults  ${String(bestEmulate.requestsPerSecond).padStart(6)} req/s  p99 ${bestEmulate.p99Ms.toFixed(2)} ms  CPU ${bestEmulate.cpuMicrosPerResponse} µs/req`,
      '',
      ...checks.map((c) => `${c.met ? 'met   ' : 'MISSED'}  ${c.target}: ${c.measured}`),
      '',
      `results: ${resultFile}`,
      '',
    ];
    process.stdout.write(out.join('\n'));
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
