import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, openStore } from '../src/db/connect.ts';
import { createOrganization } from '../src/api/organizations/service.ts';
import { modifyUser } from '../src/api/organization-users/service.ts';
import { createWebhook } from '../src/extensions/webhooks/service.ts';
import { TargetPolicy } from '../src/extensions/webhooks/targets.ts';

/**
 * `node bench/webhook-write-path.ts`: what one subscribed webhook endpoint costs a write on the
 * embedded store, without HTTP: the service's modify-member call, eight at a time (so they share
 * commits as requests do), in CPU time per write, with no endpoint and with one, rounds alternating.
 * CPU time per write moves much less than requests per second when the machine is shared.
 */
const WRITES = Number(process.env.BENCH_WRITES ?? 8000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const workDir = mkdtempSync(join(tmpdir(), 'roster-bench-write-path-'));
const store = openStore({ sqlitePath: join(workDir, 'roster.db'), databaseUrl: undefined });
try {
  await migrateToLatest(store);
  const org = await createOrganization(store.db, { name: 'Bench', owner: { email: 'owner@bench.example', name: null } });
  const principal = {
    organizationId: org.organizationId,
    keyId: org.adminKeyId,
    userId: org.ownerId,
    userEmail: 'owner@bench.example',
    ipAddress: '127.0.0.1',
    userAgent: null,
  };
  const writes = async (count: number): Promise<number> => {
    const before = process.cpuUsage();
    for (let i = 0; i < count; i += 8) {
      await Promise.all(Array.from({ length: 8 }, (_, j) => modifyUser(store.db, principal, org.ownerId, { technical_level: `level ${i + j}` })));
    }
    const used = process.cpuUsage(before);
    return Math.round((used.user + used.system) / count);
  };
  // The endpoint is never sent to (no worker runs); it only has deliveries queued.
  const endpoint = await createWebhook(store.db, principal, new TargetPolicy(['127.0.0.1']), { url: 'http://127.0.0.1:9/unused' });
  const setStatus = (status: 'enabled' | 'disabled') => store.db.updateTable('webhook_endpoints').set({ status }).where('id', '=', endpoint.id).execute();
  await setStatus('disabled');
  await writes(2000); // warm-up
  const none: number[] = [];
  const one: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    none.push(await writes(WRITES));
    await setStatus('enabled');
    one.push(await writes(WRITES));
    await setStatus('disabled');
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  process.stdout.write(
    `CPU per write (µs), ${ROUNDS} rounds of ${WRITES}: no endpoint ${none.join(', ')} (median ${median(none)}); ` +
      `one endpoint ${one.join(', ')} (median ${median(one)}); cost +${median(one) - median(none)} µs per write\n`,
  );
} finally {
  await store.db.destroy();
  rmSync(workDir, { recursive: true, force: true });
}
