import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { fuzzRequests, idsIn, operationsOf, urlOf, type KnownIds } from '../test/support/fuzz.ts';

/**
 * Is roster's memory growth under a long fuzz a leak? Starts `roster serve` as `npm start` runs it
 * (plus --trace-gc) on a fresh SQLite file, or on DATABASE_URL, sends FUZZ_PHASES ×
 * FUZZ_PHASE_REQUESTS generated requests (see test/support/fuzz.ts), and after each phase prints
 * the server's resident memory, its peak, and its V8 heap after the last full collection. A heap
 * that keeps growing phase after phase is a leak; one that levels off is caches reaching their
 * bounds.
 *
 *   node bench/fuzz-memory.ts
 */
const PHASES = Number(process.env.FUZZ_PHASES || 5);
const PER_PHASE = Number(process.env.FUZZ_PHASE_REQUESTS || 5000);
const KEY = 'sk-admin-fuzz-memory-0123456789';

const dir = mkdtempSync(join(tmpdir(), 'roster-fuzz-memory-'));
const child = spawn(process.execPath, ['--max-semi-space-size=4', '--trace-gc', 'src/cli.ts', 'serve'], {
  env: { ...process.env, PORT: '0', ROSTER_DB: join(dir, 'roster.db'), ROSTER_BOOTSTRAP_ADMIN_KEY: KEY, ROSTER_LOG_LEVEL: 'warn' },
});
let output = '';
let lastFullGc = '';
child.stdout.on('data', (chunk: Buffer) => {
  output += chunk;
  for (const line of chunk.toString().split('\n')) {
    const match = /Mark-Compact[^\d]*([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB/.exec(line);
    if (match) lastFullGc = `${Math.round(Number(match[3]))} MB used of ${Math.round(Number(match[4]))} MB`;
  }
  if (output.length > 100_000) output = output.slice(-10_000);
});
const origin = await new Promise<string>((resolve, reject) => {
  const timer = setInterval(() => {
    const match = /serving the OpenAI Admin API at (http:\/\/\S+)\/v1/.exec(output);
    if (match) {
      clearInterval(timer);
      resolve(match[1]!);
    }
  }, 100);
  child.on('exit', () => reject(new Error(`roster exited:\n${output}`)));
});

function memory(): string {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const field = (name: string) => Math.round(Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);
  return `RSS ${field('VmRSS')} MB (peak ${field('VmHWM')} MB), V8 heap after the last full GC: ${lastFullGc || 'none yet'}`;
}

const reference = parse(readFileSync(new URL('../reference/openai-admin-openapi.yaml', import.meta.url), 'utf8'));
const served = await (await fetch(`${origin}/v1/openapi.json`)).json();
const operations = operationsOf([
  { document: reference, prefix: '/v1' },
  { document: served as Record<string, any>, prefix: '' },
]);
const servedPaths = new Set(Object.keys((served as { paths: object }).paths));
const arbitrary = fuzzRequests(operations, (op) => (servedPaths.has(op.path) ? 5 : 1));
const known: KnownIds = new Map();
// What exists at the start (the bootstrap key and its owner) stays out of reach, or the fuzz would lock itself out.
const protectedIds = new Set<string>();
for (const path of ['/v1/organization/admin_api_keys', '/v1/organization/users']) {
  const list = await (await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${KEY}` } })).json();
  for (const id of idsIn(list).keys()) protectedIds.add(id);
}

console.log(`start: ${memory()}`);
for (let phase = 1; phase <= PHASES; phase++) {
  const statuses = new Map<number, number>();
  const batch = fc.sample(arbitrary, { numRuns: PER_PHASE, seed: phase });
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < batch.length) {
        const request = batch[next++]!;
        const hasBody = request.body !== undefined && request.method !== 'GET' && request.method !== 'HEAD';
        try {
          const response = await fetch(`${origin}${urlOf(request, known)}`, {
            method: request.method,
            headers: { authorization: `Bearer ${KEY}`, ...(hasBody && request.contentType ? { 'content-type': request.contentType } : {}) },
            body: hasBody ? request.body : undefined,
          });
          const text = await response.text();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status === 200 && text && known.size < 400) for (const [id, kind] of idsIn(JSON.parse(text))) if (!protectedIds.has(id)) known.set(id, kind);
        } catch {
          statuses.set(0, (statuses.get(0) ?? 0) + 1);
        }
      }
    }),
  );
  const line = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
  console.log(`after ${phase * PER_PHASE} requests: ${memory()}  [${line}]`);
}
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
rmSync(dir, { recursive: true, force: true });
