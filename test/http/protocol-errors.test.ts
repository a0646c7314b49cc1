import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { migrateToLatest } from '../../src/db/connect.ts';
import { createOrganization } from '../../src/api/organizations/service.ts';
import { envelopeProblem } from '../support/envelope.ts';
import { exchange, parseAnswers, type RawAnswer } from '../support/raw-http.ts';
import { TestRoster } from '../support/roster.ts';
import { openTestStore } from '../support/store.ts';

function assertEnvelopeWithId(answer: RawAnswer | undefined, status: number) {
  assert.ok(answer, 'no answer');
  assert.equal(answer.status, status, answer.body);
  assert.equal(envelopeProblem('GET', answer.status, answer.headers, answer.body), undefined);
  return JSON.parse(answer.body).error;
}

/** What the router and Node's HTTP parser refuse, before any route runs. */
describe('errors raised before a route runs', () => {
  let roster: TestRoster;
  let request: (line: string, headers?: string) => string;

  before(async () => {
    roster = await TestRoster.start();
    request = (line, headers = '') => `${line} HTTP/1.1\r\nHost: roster\r\nAuthorization: Bearer ${roster.org.adminKeyValue}\r\n${headers}\r\n`;
  });
  after(() => roster.close());

  test('a path that cannot be percent-decoded is a 400 envelope', async () => {
    const { text } = await exchange(roster.origin, request('GET /v1/organization/users/%zz'));
    const error = assertEnvelopeWithId(parseAnswers(text)[0], 400);
    assert.equal(error.code, 'invalid_url');
  });

  test('an id far longer than any roster makes is a 404, not a 414', async () => {
    for (const length of [150, 5000]) {
      const { text } = await exchange(roster.origin, request(`GET /v1/organization/users/user-${'x'.repeat(length)}`));
      assertEnvelopeWithId(parseAnswers(text)[0], 404);
    }
  });

  test('oversized headers are a 431 envelope with Connection: close, and the connection is closed cleanly', async () => {
    const next = request('GET /v1/organization/users');
    const { text, closedByServer } = await exchange(roster.origin, request('GET /v1/organization/users', `X-Filler: ${'f'.repeat(20_000)}\r\n`) + next);
    const [answer, ...others] = parseAnswers(text);
    assertEnvelopeWithId(answer, 431);
    assert.equal(answer!.headers.connection, 'close');
    assert.equal(others.length, 0);
    assert.ok(closedByServer);
  });

  test('a HEAD refused by the parser gets its status and headers, and no body', async () => {
    const { text, closedByServer } = await exchange(roster.origin, request('HEAD /v1/organization/users', `X-Filler: ${'f'.repeat(20_000)}\r\n`));
    const [answer] = parseAnswers(text, ['HEAD']);
    assert.equal(answer?.status, 431);
    assert.match(answer!.headers['x-request-id'] ?? '', /^req_[0-9a-f]{32}$/);
    assert.ok(text.endsWith('\r\n\r\n'), `a body followed the headers: ${text}`);
    assert.ok(closedByServer);
  });

  test('bytes that are not HTTP are a 400 envelope with Connection: close', async () => {
    const { text, closedByServer } = await exchange(roster.origin, 'HELLO THERE\r\n\r\n');
    const [answer] = parseAnswers(text);
    const error = assertEnvelopeWithId(answer, 400);
    assert.equal(error.code, 'malformed_request');
    assert.equal(answer!.headers.connection, 'close');
    assert.ok(closedByServer);
  });

  test('a client that stops sending its headers is answered with a 408 envelope and let go within seconds', async () => {
    const started = Date.now();
    const { text, closedByServer } = await exchange(roster.origin, 'GET /v1/organization/users HTTP/1.1\r\nHost: roster\r\n', 30_000);
    const [answer] = parseAnswers(text);
    assertEnvelopeWithId(answer, 408);
    assert.equal(answer!.headers.connection, 'close');
    assert.ok(closedByServer);
    assert.ok(Date.now() - started < 25_000, `held for ${Date.now() - started} ms`);
  });

  test('HEAD answers carry headers and no body, errors included', async () => {
    for (const path of ['/v1/organization/users', '/v1/organization/users/user-unknown', '/v1/nowhere', '/']) {
      const { text } = await exchange(roster.origin, request(`HEAD ${path}`) + request('GET /roster/v1/health', 'Connection: close\r\n'));
      // Had the HEAD answer carried a body, the health answer would not start where it is looked for.
      const [head, health] = parseAnswers(text, ['HEAD', 'GET']);
      assert.ok(head && health, `${path}: ${text}`);
      assert.equal(health.status, 200, `${path}: the answer after HEAD is intact`);
    }
  });
});

describe('values no store can keep', () => {
  let roster: TestRoster;
  before(async () => {
    roster = await TestRoster.start();
  });
  after(() => roster.close());

  test('a NUL character in a query value, a path parameter or a JSON string is a 400 naming it', async () => {
    const cases: [string, string, string | undefined, string][] = [
      ['GET', '/v1/organization/invites?after=%00', undefined, 'after'],
      ['GET', '/v1/organization/users/user-%00', undefined, 'user_id'],
      ['POST', `/v1/organization/users/${roster.org.ownerId}`, '{"technical_level":"a\\u0000b"}', 'technical_level'],
      ['POST', '/v1/organization/projects', '{"name":"\\u0000"}', 'name'],
    ];
    for (const [method, path, body, param] of cases) {
      const response = await roster.request(method, path, { body });
      assert.equal(response.status, 400, `${method} ${path}`);
      assert.equal(response.body.error.param, param);
    }
    const projects = await roster.client().admin.organization.projects.list();
    assert.equal(projects.data.length, 1, 'nothing was created');
  });

  test('a number beyond 2^53 is a 400 naming it, before it reaches SQL', async () => {
    const response = await roster.request('GET', '/v1/organization/audit_logs?effective_at[gt]=9223372036854775808');
    assert.equal(response.status, 400);
    assert.equal(response.body.error.param, 'effective_at.gt');
  });
});
