import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { setPlatformCredential } from '../../../src/http/platform-credentials.ts';
import { TestRoster } from '../../support/roster.ts';

const GATEWAY_TOKEN = 'sk-gateway-example-token';

/** The gateway example as the README shows it: the first `js` block after its introduction. */
function readmeGateway(): string {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const match = /A gateway in 20 lines[^\n]*\n+```js\n([\s\S]*?)```/.exec(readme);
  assert.ok(match, 'the README shows the gateway example');
  return match[1]!;
}

describe('the README gateway example', () => {
  let roster: TestRoster;
  let upstream: http.Server;
  let gateway: ChildProcess;
  let gatewayOrigin: string;

  before(async () => {
    roster = await TestRoster.start();
    await setPlatformCredential(roster.db, 'gateway', GATEWAY_TOKEN);
    // The model server: says what it received.
    upstream = http.createServer(async (req, res) => {
      const body = Buffer.concat(await req.toArray()).toString();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, path: req.url, project: req.headers['openai-project'] ?? null, body }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));

    const file = join(roster.testStore.workDir, 'gateway.mjs');
    writeFileSync(file, readmeGateway());
    const port = await freePort();
    gateway = spawn(process.execPath, [file], {
      env: {
        ...process.env,
        ROSTER_URL: roster.origin,
        ROSTER_GATEWAY_TOKEN: GATEWAY_TOKEN,
        UPSTREAM: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
        PORT: String(port),
      },
      stdio: 'inherit',
    });
    gatewayOrigin = `http://127.0.0.1:${port}`;
    for (let tries = 0; ; tries++) {
      try {
        await fetch(gatewayOrigin);
        break;
      } catch {
        assert.ok(tries < 200, 'the gateway did not start');
        await sleep(50);
      }
    }
  });

  after(async () => {
    gateway?.kill();
    upstream?.close();
    await roster.close();
  });

  const callModel = (key: string) =>
    fetch(`${gatewayOrigin}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [] }),
    });

  test("forwards a request with an active key to the model server, naming the key's project", async () => {
    const client = roster.client();
    const project = await client.admin.organization.projects.create({ name: 'Served' });
    const account = await client.admin.organization.projects.serviceAccounts.create(project.id, { name: 'App' });
    const response = await callModel(account.api_key!.value);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {
      method: 'POST',
      path: '/v1/chat/completions',
      project: project.id,
      body: JSON.stringify({ model: 'm', messages: [] }),
    });

    await client.admin.organization.projects.serviceAccounts.delete(account.id, { project_id: project.id });
    const refused = await callModel(account.api_key!.value);
    assert.equal(refused.status, 401);
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, /deleted/);
  });

  test('refuses an unknown key, and a request with no key, without reaching the model server', async () => {
    const unknown = await callModel('sk-proj-made-up');
    assert.equal(unknown.status, 401);
    assert.match(((await unknown.json()) as { error: { message: string } }).error.message, /unknown/);
    const bare = await fetch(`${gatewayOrigin}/v1/models`);
    assert.equal(bare.status, 401);
  });
});

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
