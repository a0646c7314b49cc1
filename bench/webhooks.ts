import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareStore } from './fixtures.ts';
import { cpuSeconds, freePort, load, ROOT, startServer, type Server } from './processes.ts';
import type { LoadSpec } from './load.ts';

/**
 * `npm run bench:webhooks`: what webhooks and metrics cost roster, measured the way `npm run bench`
 * measures (autocannon in its own process, 10 connections, roster as `npm start` runs it), in
 * requests per second and in roster's own CPU time per request (steadier on a shared machine).
 *
 * Each round starts roster twice on one store:
 * - plain (no metrics, no delivery worker): retrieve a user; modify a user with no webhook; modify
 *   with one webhook subscribed to everything (the write path's own cost: queueing the delivery);
 * - full (metrics on, delivery worker on): retrieve; retrieve while /metrics is scraped ten times a
 *   second; modify with the webhook subscribed while the worker delivers in the same process; then
 *   the queue left over is drained: deliveries per second and CPU per delivery.
 * A receiver in this process answers every delivery with 204.
 *
 * Knobs: BENCH_SECONDS (5), BENCH_ROUNDS (2), BENCH_CONNECTIONS (10).
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SERVE = ['--max-semi-space-size=4', join(ROOT, 'src/cli.ts'), 'serve'];

const workDir = mkdtempSync(join(tmpdir(), 'roster-bench-webhooks-'));
const say = (text: string) => process.stderr.write(`${text}\n`);

let received = 0;
const receiver = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    received++;
    response.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

interface Measured {
  rps: number;
  cpuMicros: number;
}
const results: Record<string, Measured[]> = {};
const keep = (name: string, measured: Measured) => (results[name] ??= []).push(measured);

let server: Server | undefined;
try {
  const sqlitePath = join(workDir, 'roster.db');
  const { small } = await prepareStore(workDir, { ROSTER_DB: sqlitePath, DATABASE_URL: '' }, { small: 1_000, large: 10 });
  const headers = { authorization: `Bearer ${small.key}` };
  const json = { ...headers, 'content-type': 'application/json' };
  const members = small.userIds.map((id) => `/v1/organization/users/${id}`);
  const retrieve = { method: 'GET' as const, headers, paths: members };
  const modify = { method: 'POST' as const, headers: json, paths: members, bodies: ['{"technical_level":"bench a"}', '{"technical_level":"bench b"}'] };
  const env = { ROSTER_DB: sqlitePath, ROSTER_LOG_LEVEL: 'info', ROSTER_WEBHOOK_ALLOWED_TARGETS: '127.0.0.1' };

  const measure = async (spec: Pick<LoadSpec, 'method' | 'headers' | 'paths' | 'bodies'>): Promise<Measured> => {
    const pid = server!.child.pid!;
    const cpuBefore = cpuSeconds(pid);
    const result = await load({ ...spec, origin: server!.origin, expectStatus: 200, connections, pipelining: 1, warmupSeconds: 1, durationSeconds: seconds }, workDir);
    return { rps: result.requestsPerSecond, cpuMicros: Math.round(((cpuSeconds(pid) - cpuBefore) * 1e6) / result.allResponses) };
  };
  const subscribe = async () => {
    const response = await fetch(`${server!.origin}/roster/v1/webhooks`, { method: 'POST', headers: json, body: JSON.stringify({ url: receiverUrl }) });
    return ((await response.json()) as { id: string }).id;
  };
  const unsubscribe = (id: string) => fetch(`${server!.origin}/roster/v1/webhooks/${id}`, { method: 'DELETE', headers });
  const start = async (extra: Record<string, string>) => {
    server = await startServer(SERVE, { ...env, ...extra }, join(workDir, 'roster.log'), '/roster/v1/health');
  };
  const stop = async () => {
    await server?.stop();
    server = undefined;
  };

  const drains: { backlog: number; perSecond: number; cpuMicrosPerDelivery: number }[] = [];
  for (let round = 1; round <= rounds; round++) {
    say(`round ${round}: plain roster (no metrics, no delivery worker)`);
    await start({ ROSTER_WEBHOOK_DELIVERY: 'off' });
    keep('retrieve, no metrics', await measure(retrieve));
    keep('modify, no webhook', await measure(modify));
    const queued = await subscribe();
    keep('modify, 1 webhook (queued, not sent)', await measure(modify));
    await unsubscribe(queued);
    await stop();

    say(`round ${round}: full roster (metrics, delivery worker)`);
    const metricsPort = await freePort();
    await start({ ROSTER_METRICS_PORT: String(metricsPort) });
    const scrape = async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    keep('retrieve, metrics on', await measure(retrieve));
    const scraper = setInterval(() => void scrape(), 100);
    keep('retrieve, metrics scraped 10/s', await measure(retrieve));
    clearInterval(scraper);
    const sent = await subscribe();
    const receivedBefore = received;
    const writing = await measure(modify);
    keep('modify, 1 webhook, delivered in-process', writing);
    keep('deliveries while writing', { rps: Math.round((received - receivedBefore) / (seconds + 1)), cpuMicros: 0 });
    const depth = async () => Number(/^roster_webhook_queue_depth (\d+)/m.exec(await scrape())?.[1]);
    const backlog = await depth();
    const drainStart = { at: performance.now(), received, cpu: cpuSeconds(server!.child.pid!) };
    while ((await depth()) > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    const drained = received - drainStart.received;
    drains.push({
      backlog,
      perSecond: Math.round(drained / ((performance.now() - drainStart.at) / 1000)),
      cpuMicrosPerDelivery: Math.round(((cpuSeconds(server!.child.pid!) - drainStart.cpu) * 1e6) / Math.max(1, drained)),
    });
    await unsubscribe(sent);
    await stop();
  }

  const best = (name: string) => results[name]!.reduce((a, b) => (b.rps > a.rps ? b : a));
  const leastCpu = (name: string) => Math.min(...results[name]!.map((m) => m.cpuMicros));
  const costOf = (base: string, other: string) =>
    `req/s ${((1 - best(other).rps / best(base).rps) * 100).toFixed(1)} %, CPU/req ${((leastCpu(other) / leastCpu(base) - 1) * 100).toFixed(1)} %`;
  const row = (name: string) => `${name.padEnd(42)} ${String(best(name).rps).padStart(6)} req/s  ${String(leastCpu(name)).padStart(5)} µs CPU/req`;
  process.stdout.write(
    [
      '',
      `webhooks and metrics: ${connections} connections, best of ${rounds} rounds of ${seconds} s (least CPU per request of the rounds)`,
      '',
      ...['retrieve, no metrics', 'retrieve, metrics on', 'retrieve, metrics scraped 10/s', 'modify, no webhook', 'modify, 1 webhook (queued, not sent)', 'modify, 1 webhook, delivered in-process'].map(row),
      '',
      `metrics on, against off (retrieve):                 ${costOf('retrieve, no metrics', 'retrieve, metrics on')}`,
      `scraped 10/s, against metrics on, not scraped:      ${costOf('retrieve, metrics on', 'retrieve, metrics scraped 10/s')}`,
      `1 webhook queued, against none (modify):            ${costOf('modify, no webhook', 'modify, 1 webhook (queued, not sent)')}`,
      `1 webhook delivered in-process, against none:       ${costOf('modify, no webhook', 'modify, 1 webhook, delivered in-process')}`,
      `deliveries while writing: ${results['deliveries while writing']!.map((m) => `${m.rps}/s`).join(', ')}`,
      ...drains.map((d, i) => `drain, round ${i + 1}: backlog ${d.backlog}, ${d.perSecond} deliveries/s, ${d.cpuMicrosPerDelivery} µs CPU per delivery`),
      '',
      `every run: ${JSON.stringify(results)}`,
      '',
    ].join('\n'),
  );
} finally {
  await server?.stop();
  receiver.close();
  rmSync(workDir, { recursive: true, force: true });
}
