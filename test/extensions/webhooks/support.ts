import type { TestRoster } from '../../support/roster.ts';
import { TargetPolicy } from '../../../src/extensions/webhooks/targets.ts';
import { WebhookWorker, type WorkerOptions } from '../../../src/extensions/webhooks/worker.ts';

/** Tests send webhooks to loopback receivers, which the default policy refuses. */
export const loopbackAllowed = () => new TargetPolicy(['127.0.0.1', '::1']);

/** A clock the test moves by hand, starting now. */
export class ManualClock {
  nowMs = Date.now();
  readonly read = () => this.nowMs;
  advance(ms: number): void {
    this.nowMs += ms;
  }
}

/** A worker on the roster's store, driven by the test (`deliverDue`) unless started. */
export function workerFor(roster: TestRoster, options: Partial<WorkerOptions> = {}): WebhookWorker {
  return new WebhookWorker({ db: roster.db, dialect: roster.testStore.store.dialect, targets: loopbackAllowed(), ...options });
}

/** Runs delivery rounds until one finds nothing due. */
export async function drain(worker: WebhookWorker): Promise<void> {
  while ((await worker.deliverDue()) > 0);
}

export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Clients creating projects through `origins` (in turn) until `stop` is called or the instance they
 * call dies; the ids of the creations that were answered (acknowledged) are collected.
 */
export function projectWriters(origins: string[], key: string, clients: number) {
  const acknowledged: string[] = [];
  let running = true;
  const writer = async (client: number) => {
    const origin = origins[client % origins.length]!;
    for (let i = 0; running; i++) {
      try {
        const response = await fetch(`${origin}/v1/organization/projects`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `load ${client}-${i}` }),
        });
        if (response.ok) acknowledged.push(((await response.json()) as { id: string }).id);
      } catch {
        return; // the instance is gone
      }
    }
  };
  const done = Promise.all(Array.from({ length: clients }, (_, client) => writer(client)));
  return {
    acknowledged,
    async stop(): Promise<void> {
      running = false;
      await done;
    },
  };
}
