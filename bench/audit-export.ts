import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { migrateToLatest, openStore } from '../src/db/connect.ts';
import { createOrganization } from '../src/api/organizations/service.ts';
import { newId } from '../src/lib/ids.ts';
import { residentMemory, ROOT, startServer, type Server } from './processes.ts';

/**
 * `node bench/audit-export.ts [EVENTS] [PASSES]`: fills an embedded store with EVENTS audit events
 * (1,000,000 by default), streams them all through `GET /roster/v1/audit_logs/export` from a
 * `roster serve` process PASSES times (3), and reports that process's resident memory before,
 * during each pass (sampled every 50 ms) and at its peak (VmHWM), with the time each pass took. A
 * peak that does not rise from one pass to the next is memory that does not grow with the events
 * streamed.
 */
const events = Number(process.argv[2] ?? 1_000_000);
const passes = Number(process.argv[3] ?? 3);
const key = `sk-admin-${'benchExport'.padEnd(124, '0')}`;
const workDir = mkdtempSync(join(tmpdir(), 'roster-bench-export-'));
const say = (text: string) => process.stderr.write(`${text}\n`);
let server: Server | undefined;
try {
  const sqlitePath = join(workDir, 'roster.db');
  const store = openStore({ sqlitePath, databaseUrl: undefined });
  await migrateToLatest(store);
  const org = await createOrganization(store.db, { name: 'Bench export', owner: { email: 'owner@export.example', name: null }, adminKeyValue: key });
  await store.db.destroy();

  say(`writing ${events.toLocaleString('en')} audit events`);
  const database = new DatabaseSync(sqlitePath);
  const insert = database.prepare(
    `insert into audit_logs (id, organization_id, type, effective_at, project_id, project_name, actor_id, actor_key_id, actor_email, actor, ip_address, user_agent, resource_id, details)
     values (?, ?, ?, ?, null, null, ?, ?, ?, ?, '127.0.0.1', 'bench', ?, ?)`,
  );
  const actor = JSON.stringify({ type: 'api_key', api_key: { id: org.adminKeyId, type: 'user', user: { id: org.ownerId, email: 'owner@export.example' } } });
  const start = Math.floor(Date.now() / 1000) - events;
  database.exec('begin');
  for (let i = 0; i < events; i++) {
    const resource = `user-bench${i % 5000}`;
    insert.run(newId('audit_log-'), org.organizationId, 'user.updated', start + i, org.ownerId, org.adminKeyId, 'owner@export.example', actor, resource,
      JSON.stringify({ id: resource, changes_requested: { role: i % 2 === 0 ? 'owner' : 'reader' } }));
    if (i % 100_000 === 99_999) {
      database.exec('commit; begin');
      say(`  ${(i + 1).toLocaleString('en')}`);
    }
  }
  database.exec('commit');
  database.close();

  server = await startServer(['--max-semi-space-size=4', join(ROOT, 'src/cli.ts'), 'serve'], { ROSTER_DB: sqlitePath, ROSTER_LOG_LEVEL: 'warn' }, join(workDir, 'roster.log'), '/roster/v1/health');
  const pid = server.child.pid!;
  // A few requests first, so the baseline is a server that has served, not one just started.
  for (let i = 0; i < 50; i++) await (await fetch(`${server.origin}/v1/organization/users`, { headers: { authorization: `Bearer ${key}` } })).text();
  const before = residentMemory(pid);
  let peakSampled = before.rssMb;
  const sampler = setInterval(() => (peakSampled = Math.max(peakSampled, residentMemory(pid).rssMb)), 50);

  const report = [''];
  for (let pass = 1; pass <= passes; pass++) {
    say(`streaming the export, pass ${pass}`);
    const started = performance.now();
    const response = await fetch(`${server.origin}/roster/v1/audit_logs/export`, { headers: { authorization: `Bearer ${key}` } });
    let lines = 0;
    let bytes = 0;
    // Node's web streams are async iterable; DOM typings pulled in by the browser tests do not say so.
    for await (const chunk of response.body! as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const byte of chunk) if (byte === 10) lines++;
    }
    const seconds = (performance.now() - started) / 1000;
    if (lines !== events) throw new Error(`expected ${events} lines, got ${lines}`);
    const now = residentMemory(pid);
    report.push(
      `pass ${pass}: ${lines.toLocaleString('en')} events (${Math.round(bytes / 2 ** 20)} MB of NDJSON) in ${seconds.toFixed(1)} s ` +
        `(${Math.round(lines / seconds).toLocaleString('en')} events/s); RSS at most ${peakSampled} MB while streaming, ${now.rssMb} MB after, VmHWM ${now.peakRssMb} MB`,
    );
  }
  clearInterval(sampler);
  report.push(`roster RSS before the first pass: ${before.rssMb} MB`, '');
  process.stdout.write(report.join('\n'));
} finally {
  await server?.stop();
  rmSync(workDir, { recursive: true, force: true });
}
