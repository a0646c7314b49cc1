import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importUsers } from '../src/commands/import-users.ts';

/**
 * The emulator's in-process timings, in a fresh process of its own (so the first start pays what a
 * test file's first start pays): `node bench/emulator-inprocess.ts` prints them as JSON.
 * - startRoster() with a 1,000-member fixture: the first in the process, then the next ones;
 * - reset to that seed, after a write each time: p50 and p99;
 * - a snapshot of a 100,000-member state: save, and restore.
 * Each is also given in CPU time of this process (user + system), which a busy machine inflates
 * much less than the time on the clock.
 */
const RESETS = Number(process.env.BENCH_EMULATOR_RESETS ?? 300);
const LARGE_MEMBERS = Number(process.env.BENCH_EMULATOR_LARGE ?? 100_000);

function fixtureOf(members: number) {
  return {
    organizations: [
      {
        name: 'Bench',
        members: [
          { email: 'owner@bench.example', role: 'owner' },
          ...Array.from({ length: members - 1 }, (_, i) => ({ email: `person-${i}@bench.example`, name: `Person ${i}`, role: 'reader' })),
        ],
        admin_keys: [{ name: 'bench', owner: 'owner@bench.example', value: 'sk-admin-bench-emulator' }],
      },
    ],
  };
}

const percentile = (values: number[], fraction: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
};
/** CPU time this process has used, in ms. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const round = (ms: number) => Math.round(ms * 100) / 100;

const importStarted = performance.now();
const { startRoster } = await import('roster/testing');
const { startEmulator } = await import('../src/extensions/emulator/service.ts');
const importMs = performance.now() - importStarted;

const seed = fixtureOf(1_000);
const starts: number[] = [];
const startsCpu: number[] = [];
for (let i = 0; i < 6; i++) {
  const started = performance.now();
  const cpuStarted = cpuMs();
  const roster = await startRoster({ seed });
  starts.push(performance.now() - started);
  startsCpu.push(cpuMs() - cpuStarted);
  if (i < 5) await roster.close();
  else {
    const resets: number[] = [];
    const resetsCpu: number[] = [];
    for (let r = 0; r < RESETS; r++) {
      const write = await fetch(`${roster.baseURL}/organization/projects`, {
        method: 'POST',
        headers: { authorization: `Bearer ${roster.adminKey}`, 'content-type': 'application/json' },
        body: '{"name":"written before the reset"}',
      });
      if (write.status !== 200) throw new Error(`write before reset: ${write.status}`);
      const resetStarted = performance.now();
      const cpuStarted = cpuMs();
      await roster.reset();
      resets.push(performance.now() - resetStarted);
      resetsCpu.push(cpuMs() - cpuStarted);
    }
    await roster.close();

    const running = await startEmulator({});
    const organizationId = (await running.emulator.store.db.selectFrom('organizations').select('id').executeTakeFirstOrThrow()).id;
    const workDir = mkdtempSync(join(tmpdir(), 'roster-bench-emulator-'));
    const people = join(workDir, 'people.jsonl');
    writeFileSync(people, Array.from({ length: LARGE_MEMBERS - 1 }, (_, i) => `{"email":"member-${i}@large.example","name":"Member ${i}"}`).join('\n'));
    await importUsers(running.emulator.store.db, organizationId, people, { progress: false });
    rmSync(workDir, { recursive: true, force: true });
    const saveStarted = performance.now();
    const snapshot = await running.emulator.snapshots.save('large');
    const saveMs = performance.now() - saveStarted;
    const restores: number[] = [];
    const restoresCpu: number[] = [];
    for (let r = 0; r < 5; r++) {
      const restoreStarted = performance.now();
      const cpuStarted = cpuMs();
      await running.emulator.snapshots.restore('large');
      restores.push(performance.now() - restoreStarted);
      restoresCpu.push(cpuMs() - cpuStarted);
    }
    const members = await running.emulator.store.db.selectFrom('organization_users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await running.close();

    process.stdout.write(
      JSON.stringify({
        importMs: round(importMs),
        startFirstMs: round(starts[0]!),
        startNextMs: starts.slice(1).map(round),
        startFirstCpuMs: round(startsCpu[0]!),
        startNextCpuMs: startsCpu.slice(1).map(round),
        resets: RESETS,
        resetP50Ms: round(percentile(resets, 0.5)),
        resetP99Ms: round(percentile(resets, 0.99)),
        resetCpuP50Ms: round(percentile(resetsCpu, 0.5)),
        resetCpuP99Ms: round(percentile(resetsCpu, 0.99)),
        largeMembers: Number(members.n),
        snapshotBytes: snapshot.bytes,
        snapshotSaveMs: round(saveMs),
        restoreMs: restores.map(round),
        restoreCpuMs: restoresCpu.map(round),
      }) + '\n',
    );
  }
}
