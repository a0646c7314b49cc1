import type { Kysely } from 'kysely';
import type { Dialect } from '../../db/migrations/column-types.ts';
import type { Database } from '../../db/schema.ts';
import { newId } from '../../lib/ids.ts';
import { eventsByIds, type AuditLogRow } from '../../api/audit-logs/repository.ts';
import { toAuditLog } from '../../api/audit-logs/service.ts';
import * as store from './repository.ts';
import { Sender, type AttemptResult } from './send.ts';
import { disableEndpoint } from './service.ts';
import type { TargetPolicy } from './targets.ts';

/**
 * How long a failing delivery is retried: after the n-th failed attempt the next waits
 * `firstDelayMs × 2^(n-1)`, capped at `maxDelayMs`, with jitter taking it anywhere between half and
 * all of that (so receivers coming back are not hit by every instance at once). The first attempt
 * that fails once `retryWindowMs` has passed since the first one ends the delivery as failed and
 * disables its endpoint.
 */
export interface RetryPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  retryWindowMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { firstDelayMs: 5_000, maxDelayMs: 60 * 60_000, retryWindowMs: 24 * 60 * 60_000 };

export function retryDelayMs(policy: RetryPolicy, failedAttempts: number, random: () => number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.min(failedAttempts - 1, 40));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

export type Outcome = 'delivered' | 'retrying' | 'failed';

/** Told of every attempt, for metrics. */
export interface DeliveryObserver {
  attempted(outcome: Outcome, latencyMs: number, lagSeconds: number): void;
}

export interface WorkerOptions {
  db: Kysely<Database>;
  dialect: Dialect;
  targets: TargetPolicy;
  /** Milliseconds now: injectable so tests can run a day of retries without waiting for it. */
  clock?: () => number;
  random?: () => number;
  retry?: RetryPolicy;
  /** How long one attempt may take, answer included. */
  timeoutMs?: number;
  /** How long the worker sleeps when nothing is due. */
  pollIntervalMs?: number;
  /** Endpoints served per round, and deliveries sent per endpoint per round. */
  endpointsPerRound?: number;
  deliveriesPerEndpoint?: number;
  /** How long a worker holds the deliveries it took; past that another worker (or instance) may take them. */
  leaseMs?: number;
  observer?: DeliveryObserver;
  onError?: (error: unknown) => void;
}

/** roster's name in the audit log when the worker disables an endpoint. */
const WORKER_ACTOR = 'roster-webhook-delivery';

interface Run {
  endpointId: string;
  deliveries: store.ClaimedDelivery[];
}

/**
 * Sends queued deliveries. Each round, in one short transaction, it takes the heads of up to
 * `endpointsPerRound` endpoint queues that are due, with the deliveries queued behind each head,
 * and leases them (marks them held until now + `leaseMs`); it then sends each endpoint's run one
 * delivery at a time, in audit order, stopping at the first failure, and records the outcomes in
 * one transaction per endpoint, only where its lease still holds. A worker that dies mid-run
 * leaves its lease to expire, and the deliveries are sent again: at least once, never lost.
 */
export class WebhookWorker {
  private readonly options: Required<Omit<WorkerOptions, 'observer' | 'onError'>> & Pick<WorkerOptions, 'observer' | 'onError'>;
  private readonly sender: Sender;
  private stopping = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private recording: Promise<void> = Promise.resolve();

  constructor(options: WorkerOptions) {
    this.options = {
      clock: Date.now,
      random: Math.random,
      retry: DEFAULT_RETRY_POLICY,
      timeoutMs: 10_000,
      pollIntervalMs: 250,
      endpointsPerRound: 20,
      deliveriesPerEndpoint: 50,
      leaseMs: 2 * 60_000,
      ...options,
    };
    this.sender = new Sender(options.targets, this.options.timeoutMs);
  }

  start(): this {
    this.running ??= this.loop();
    return this;
  }

  /** Finishes the attempts in flight, records them, and stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.sender.close();
  }

  private async loop(): Promise<void> {
    if (this.options.dialect === 'sqlite') {
      // The embedded store is served by one process: deliveries still held were held by one that died.
      await store.releaseAllLeases(this.options.db).catch((error: unknown) => this.options.onError?.(error));
    }
    while (!this.stopping) {
      let sent = 0;
      try {
        sent = await this.deliverDue();
      } catch (error) {
        this.options.onError?.(error);
      }
      if (sent === 0 && !this.stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.pollIntervalMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  /** One round: takes what is due, sends it, records it. Returns how many attempts were made. */
  async deliverDue(): Promise<number> {
    const { db, dialect, clock, leaseMs, endpointsPerRound, deliveriesPerEndpoint } = this.options;
    const now = clock();
    const leaseUntil = now + leaseMs;
    const runs = await db.transaction().execute(async (trx) => {
      const taken: Run[] = [];
      for (const head of await store.dueHeads(trx, dialect, now, endpointsPerRound)) {
        const queue = await store.queueFrom(trx, dialect, head.endpoint_id, head.audit_log_id, deliveriesPerEndpoint);
        // Behind the head (one re-sent by hand), a delivery waiting for its own retry, or held by
        // another run, ends the run.
        const end = queue.findIndex(
          (delivery, i) => i > 0 && (delivery.next_attempt_at_ms > now || (delivery.lease_expires_at_ms ?? 0) > now),
        );
        const deliveries = end === -1 ? queue : queue.slice(0, end);
        if (deliveries[0]?.id !== head.id) continue;
        await store.lease(trx, head.endpoint_id, deliveries.map((d) => d.id), leaseUntil);
        taken.push({ endpointId: head.endpoint_id, deliveries });
      }
      return taken;
    });
    if (runs.length === 0) return 0;
    const endpoints = new Map((await store.endpointsByIds(db, runs.map((run) => run.endpointId))).map((row) => [row.id, row]));
    // The events are read one run after another, not all at once: the worker takes one connection at a time.
    const sendable: [store.EndpointSummary, Run, Map<string, AuditLogRow>][] = [];
    for (const run of runs) {
      const endpoint = endpoints.get(run.endpointId);
      if (!endpoint) continue; // deleted since: its deliveries went with it
      const rows = await eventsByIds(db, endpoint.organization_id, run.deliveries.map((d) => d.audit_log_id));
      sendable.push([endpoint, run, new Map(rows.map((row) => [row.id, row]))]);
    }
    const counts = await Promise.all(sendable.map(([endpoint, run, events]) => this.deliverRun(endpoint, run.deliveries, events, leaseUntil)));
    return counts.reduce((a, b) => a + b, 0);
  }

  private async deliverRun(
    endpoint: store.EndpointSummary,
    deliveries: store.ClaimedDelivery[],
    events: Map<string, AuditLogRow>,
    leaseUntil: number,
  ): Promise<number> {
    // Past half the lease, the rest of the run is left for the next round, well before the lease could lapse.
    const deadline = performance.now() + this.options.leaseMs / 2;
    const results: [store.ClaimedDelivery, AttemptResult, number][] = [];
    for (const delivery of deliveries) {
      if (this.stopping || performance.now() > deadline) break;
      const event = events.get(delivery.audit_log_id)!;
      const body = JSON.stringify(toAuditLog(event));
      const result = await this.sender.send({ id: delivery.id, url: endpoint.url, secret: endpoint.secret, body });
      results.push([delivery, result, event.effective_at]);
      if (!result.succeeded) break;
    }
    // One recording transaction at a time: runs of many endpoints finishing together must not take
    // the whole connection pool from the API's requests.
    const recorded = this.recording.then(() => this.record(endpoint, deliveries, results, leaseUntil));
    this.recording = recorded.catch(() => {});
    await recorded;
    return results.length;
  }

  private async record(
    endpoint: store.EndpointSummary,
    deliveries: store.ClaimedDelivery[],
    results: [store.ClaimedDelivery, AttemptResult, number][],
    leaseUntil: number,
  ): Promise<void> {
    const { db, clock, retry, random, observer } = this.options;
    const now = clock();
    const nowSeconds = Math.floor(now / 1000);
    const outcomes: [Outcome, AttemptResult, number][] = [];
    await db.transaction().execute(async (trx) => {
      let exhausted: AttemptResult | undefined;
      for (const [delivery, result, effectiveAt] of results) {
        const firstAttemptAt = delivery.first_attempt_at_ms ?? now;
        const attempts = delivery.attempt_count + 1;
        const outcome: Outcome = result.succeeded ? 'delivered' : now - firstAttemptAt >= retry.retryWindowMs ? 'failed' : 'retrying';
        const recorded = await store.recordLeasedOutcome(trx, endpoint.id, delivery.id, leaseUntil, {
          status: outcome === 'retrying' ? 'pending' : outcome,
          attempt_count: attempts,
          first_attempt_at_ms: firstAttemptAt,
          last_status_code: result.statusCode,
          last_error: result.error,
          next_attempt_at_ms: outcome === 'retrying' ? now + retryDelayMs(retry, attempts, random) : delivery.next_attempt_at_ms,
          delivered_at: outcome === 'delivered' ? nowSeconds : null,
        });
        // A lease that lapsed means another worker took the delivery over: its outcome is that worker's to record.
        if (!recorded) continue;
        await store.insertAttempt(trx, {
          id: newId('webhook_attempt-'),
          endpoint_id: endpoint.id,
          delivery_id: delivery.id,
          attempted_at: nowSeconds,
          status_code: result.statusCode,
          error: result.error,
          latency_ms: result.latencyMs,
          succeeded: result.succeeded ? 1 : 0,
        });
        outcomes.push([outcome, result, nowSeconds - effectiveAt]);
        if (outcome === 'failed') exhausted = result;
      }
      // What was not sent goes back to the queue as it was.
      for (const delivery of deliveries.slice(results.length)) await store.releaseUnsent(trx, endpoint.id, delivery.id, leaseUntil);
      if (exhausted) {
        const current = await store.findEndpoint(trx, endpoint.organization_id, endpoint.id);
        const reason = `a delivery kept failing for the whole retry window (last error: ${exhausted.error})`;
        if (current) await disableEndpoint(trx, { organizationId: endpoint.organization_id, system: WORKER_ACTOR }, current, reason);
      }
    });
    for (const [outcome, result, lag] of outcomes) observer?.attempted(outcome, result.latencyMs, lag);
  }
}
