import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { buildApp, type App } from '../../src/app.ts';
import { migrateToLatest, openStore } from '../../src/db/connect.ts';
import { createOrganization } from '../../src/api/organizations/service.ts';

/** What roster writes to its log at the default level, `info`: one JSON line per request. */
describe('the request log', () => {
  const lines: Record<string, unknown>[] = [];
  let app: App;
  let adminKey: string;

  before(async () => {
    const store = openStore({ sqlitePath: ':memory:', databaseUrl: undefined });
    await migrateToLatest(store);
    adminKey = (await createOrganization(store.db, { name: 'Logged', owner: { email: 'owner@logged.example', name: null } })).adminKeyValue;
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).trim().split('\n').map((line) => JSON.parse(line)));
        done();
      },
    });
    app = await buildApp({ db: store.db, logger: { level: 'info', stream } });
    app.get('/probe', (request) => {
      request.log.warn({ step: 'inside the handler' }, 'probe');
      return { ok: true };
    });
    app.addHook('onClose', () => store.db.destroy());
  });
  after(() => app.close());

  test('every request gets one line with its request id, method, url, status and duration', async () => {
    lines.length = 0;
    const response = await app.inject({ method: 'GET', url: '/roster/v1/health' });
    assert.equal(lines.length, 1);
    const [line] = lines;
    assert.equal(line!.msg, 'request');
    assert.equal(line!.reqId, response.headers['x-request-id']);
    assert.deepEqual([line!.method, line!.url, line!.status], ['GET', '/roster/v1/health', 200]);
    assert.equal(typeof line!.durationMs, 'number');
  });

  test('what a handler logs through request.log carries the request id too', async () => {
    lines.length = 0;
    const response = await app.inject({ method: 'GET', url: '/probe' });
    const probe = lines.find((line) => line.msg === 'probe');
    assert.equal(probe?.reqId, response.headers['x-request-id']);
    assert.equal(probe?.step, 'inside the handler');
  });

  test('the admin key a request carries never reaches the log, whether it is accepted or refused', async () => {
    lines.length = 0;
    const wrongKey = `sk-admin-${'w'.repeat(124)}`;
    const accepted = await app.inject({ method: 'GET', url: '/v1/organization/users', headers: { authorization: `Bearer ${adminKey}` } });
    const refused = await app.inject({ method: 'GET', url: '/v1/organization/users', headers: { authorization: `Bearer ${wrongKey}` } });
    assert.deepEqual([accepted.statusCode, refused.statusCode], [200, 401]);
    assert.equal(lines.length, 2);
    const logged = JSON.stringify(lines);
    assert.ok(!logged.includes(adminKey.slice(12)), 'the accepted key is in the log');
    assert.ok(!logged.includes(wrongKey.slice(12)), 'the refused key is in the log');
  });
});
