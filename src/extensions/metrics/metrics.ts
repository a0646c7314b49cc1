import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../../db/schema.ts';
import { postgresPool } from '../../db/postgres.ts';
import { cachedKeys } from '../../http/key-cache.ts';
import { queueDepth } from '../webhooks/repository.ts';
import type { DeliveryObserver, Outcome } from '../webhooks/worker.ts';

/**
 * roster's Prometheus metrics. Counting on the request path is one map lookup and one histogram
 * observation per response; everything that needs a query (queue depth) or reads other objects
 * (pool, key cache) is gathered only when the metrics are scraped.
 */
export class RosterMetrics implements DeliveryObserver {
  readonly registry = new Registry();
  private readonly requestDuration: Histogram<'route' | 'method' | 'status'>;
  /** One child per route, method and status: found by one map lookup instead of prom-client's label hashing. */
  private readonly requestSeries = new Map<string, Histogram.Internal<'route' | 'method' | 'status'>>();
  private readonly databaseErrors: Counter<'code'>;
  private readonly attempts: Counter<'outcome'>;
  private readonly attemptLatency: Histogram;
  private readonly deliveryLag: Histogram;

  constructor() {
    const registry = this.registry;
    collectDefaultMetrics({ register: registry });
    this.requestDuration = new Histogram({
      name: 'roster_http_request_duration_seconds',
      help: 'HTTP requests by route, method and status, and how long they took to answer.',
      labelNames: ['route', 'method', 'status'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    this.databaseErrors = new Counter({
      name: 'roster_db_errors_total',
      help: 'Database errors that failed a request or a webhook delivery round, by error code.',
      labelNames: ['code'],
      registers: [registry],
    });
    this.attempts = new Counter({
      name: 'roster_webhook_attempts_total',
      help: 'Webhook delivery attempts by this process, by outcome: delivered, retrying (failed, will be retried), failed (gave up).',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.attemptLatency = new Histogram({
      name: 'roster_webhook_attempt_duration_seconds',
      help: 'How long receivers took to answer delivery attempts.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    this.deliveryLag = new Histogram({
      name: 'roster_webhook_delivery_lag_seconds',
      help: 'From an audit event to its successful delivery.',
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 1800, 3600, 21600, 86400],
      registers: [registry],
    });
  }

  /**
   * Times every response of `app`, counts the database errors its requests meet, and reports on
   * its store (pool, key cache, webhook queue) when scraped. For one app only.
   */
  instrument(app: FastifyInstance): void {
    this.watchStore(app.db);
    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const key = `${request.method} ${reply.statusCode} ${route}`;
      let series = this.requestSeries.get(key);
      if (series === undefined) {
        series = this.requestDuration.labels({ route, method: request.method, status: String(reply.statusCode) });
        this.requestSeries.set(key, series);
      }
      series.observe(reply.elapsedTime / 1000);
      done();
    });
    app.addHook('onError', (_request, _reply, error, done) => {
      this.countDatabaseError(error);
      done();
    });
  }

  private watchStore(db: Kysely<Database>): void {
    const registry = this.registry;
    const pool = postgresPool(db);
    new Gauge({
      name: 'roster_db_pool_connections',
      help: 'PostgreSQL connections of this process: open (total), idle, and requests waiting for one.',
      labelNames: ['state'],
      registers: pool ? [registry] : [],
      collect() {
        if (!pool) return;
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
    const keys = cachedKeys(db);
    new Counter({
      name: 'roster_key_cache_lookups_total',
      help: 'Admin key lookups answered from the in-process cache (hit) or from the store (miss).',
      labelNames: ['result'],
      registers: [registry],
      collect() {
        this.reset();
        this.inc({ result: 'hit' }, keys.hits);
        this.inc({ result: 'miss' }, keys.misses);
      },
    });
    const queued = async () => queueDepth(db);
    new Gauge({
      name: 'roster_webhook_queue_depth',
      help: 'Webhook deliveries waiting to be sent (all instances sharing the store).',
      registers: [registry],
      async collect() {
        this.set(Number((await queued()).pending));
      },
    });
    new Gauge({
      name: 'roster_webhook_queue_oldest_age_seconds',
      help: 'Age of the oldest delivery still waiting to be sent; 0 when none is.',
      registers: [registry],
      async collect() {
        const oldest = (await queued()).oldest_created_at;
        this.set(oldest === null ? 0 : Math.max(0, Date.now() / 1000 - Number(oldest)));
      },
    });
  }

  /** Counts `error` if the database raised it. */
  countDatabaseError(error: unknown): void {
    if (error instanceof pg.DatabaseError) this.databaseErrors.inc({ code: error.code ?? 'unknown' });
    else if ((error as { code?: unknown } | null)?.code === 'ERR_SQLITE_ERROR') {
      this.databaseErrors.inc({ code: `sqlite_${(error as { errcode?: number }).errcode ?? 'unknown'}` });
    }
  }

  attempted(outcome: Outcome, latencyMs: number, lagSeconds: number): void {
    this.attempts.inc({ outcome });
    this.attemptLatency.observe(latencyMs / 1000);
    if (outcome === 'delivered') this.deliveryLag.observe(Math.max(0, lagSeconds));
  }

  /** Serves `GET /metrics` on its own listener, away from the API's port. */
  async listen(host: string, port: number): Promise<Server> {
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        (error: unknown) => response.writeHead(500).end(String(error)),
      );
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
    return server;
  }
}
