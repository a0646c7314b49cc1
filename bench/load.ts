import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/**
 * The load generator, run as its own process so it never shares an event loop with the server it
 * measures: `node bench/load.ts SPEC.json` drives one server with one scenario, first a warm-up
 * whose numbers are dropped, then the measured run, and prints a LoadResult as JSON.
 */
export interface LoadSpec {
  origin: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** The paths to request (cursors, user ids): each connection cycles through its own share. */
  paths: string[];
  /**
   * Request bodies: a connection sends its paths with the first body, then with the second, and
   * so on, so with two bodies every write to a path changes what the previous one wrote.
   */
  bodies?: string[];
  /** The status every response should have; others are counted, and left out of the latencies. */
  expectStatus: number;
  connections: number;
  pipelining: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses with the expected status, in the measured run. */
  responses: number;
  /** Responses with another status, plus socket errors and timeouts. */
  failures: number;
  /** Every response, warm-up included: what the server's CPU time is divided by. */
  allResponses: number;
  /** The load generator's own CPU time per response (µs), warm-up included. */
  generatorCpuMicros: number;
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

/**
 * The paths are dealt into `2 × connections` shares: the warm-up uses the second half of them and
 * the measured run the first, so no connection measures what the warm-up just read. Requests are
 * built once, before the run (building them per request costs the load generator a third more).
 */
function requestsOf(spec: LoadSpec, share: number): autocannon.Request[] {
  const shares = 2 * spec.connections;
  const paths = spec.paths.filter((_, i) => i % shares === share % shares);
  const bodies = spec.bodies ?? [undefined];
  return bodies.flatMap((body) => paths.map((path) => ({ method: spec.method, headers: spec.headers, path, body })));
}

async function drive(spec: LoadSpec, seconds: number, firstShare: number): Promise<LoadResult> {
  // Latencies are kept at full resolution (autocannon's own histogram rounds to whole milliseconds).
  const latencies: number[] = [];
  let failures = 0;
  let connection = 0;
  const { promise: done, resolve, reject } = Promise.withResolvers<autocannon.Result>();
  const instance = autocannon(
    {
      url: spec.origin,
      connections: spec.connections,
      pipelining: spec.pipelining,
      duration: seconds,
      requests: requestsOf(spec, firstShare).slice(0, 1),
      setupClient: (client) => client.setRequests(requestsOf(spec, firstShare + connection++)),
    },
    (error, result) => (error ? reject(error) : resolve(result)),
  );
  instance.on('response', (_client, status, _bytes, milliseconds) => {
    if (status === spec.expectStatus) latencies.push(milliseconds);
    else failures++;
  });
  const result = await done;
  const sorted = Float64Array.from(latencies).sort();
  return {
    requestsPerSecond: Math.round(sorted.length / result.duration),
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    responses: sorted.length,
    failures: failures + result.errors + result.timeouts,
    allResponses: sorted.length + failures,
    generatorCpuMicros: 0,
  };
}

async function main(specFile: string): Promise<void> {
  const spec = JSON.parse(readFileSync(specFile, 'utf8')) as LoadSpec;
  const cpuBefore = process.cpuUsage();
  const warmup = spec.warmupSeconds > 0 ? (await drive(spec, spec.warmupSeconds, spec.connections)).allResponses : 0;
  const result = await drive(spec, spec.durationSeconds, 0);
  result.allResponses += warmup;
  const cpu = process.cpuUsage(cpuBefore);
  result.generatorCpuMicros = Math.round((cpu.user + cpu.system) / result.allResponses);
  process.stdout.write(JSON.stringify(result) + '\n');
}

await main(process.argv[2]!);
