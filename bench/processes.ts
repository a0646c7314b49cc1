import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LoadResult, LoadSpec } from './load.ts';

/** Every process the bench starts, with the node that runs the bench itself (Node 24). */
const node = process.execPath;
/** The repository root, so the bench runs from any working directory. */
export const ROOT = join(import.meta.dirname, '..');

/** A port nobody listens on right now: the servers are told it, so their output can go to a file. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Server {
  child: ChildProcess;
  origin: string;
  stop(): Promise<void>;
}

/**
 * Starts `node ARGS` listening on a free loopback port, its output going to `logFile`, and waits
 * until `readyPath` answers.
 */
export async function startServer(args: string[], env: Record<string, string>, logFile: string, readyPath: string): Promise<Server> {
  const port = await freePort();
  const log = openSync(logFile, 'w');
  const child = spawn(node, args, { env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', log, log] });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited:\n${readFileSync(logFile, 'utf8')}`);
    try {
      await fetch(origin + readyPath);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${args.join(' ')} did not start:\n${readFileSync(logFile, 'utf8')}`);
      await sleep(100);
    }
  }
  return {
    child,
    origin,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs `node ARGS` to completion; its stdout, or an error with its stderr. */
export function runNode(args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`node ${args.join(' ')} failed (${code}):\n${stderr}`))));
  });
}

/** One scenario against one server, by the load generator in its own process. */
export async function load(spec: LoadSpec, workDir: string): Promise<LoadResult> {
  const specFile = join(workDir, 'load-spec.json');
  writeFileSync(specFile, JSON.stringify(spec));
  return JSON.parse(await runNode([join(import.meta.dirname, 'load.ts'), specFile])) as LoadResult;
}

/** CPU time (user + system) a process has used so far, in seconds; Linux counts it in 1/100 s. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident memory of a process in MiB: now (`VmRSS`) and its peak so far (`VmHWM`). */
export function residentMemory(pid: number): { rssMb: number; peakRssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: Math.round(kib('VmRSS') / 1024), peakRssMb: Math.round(kib('VmHWM') / 1024) };
}
