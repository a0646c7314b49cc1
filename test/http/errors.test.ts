import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestRoster } from '../support/roster.ts';

/** What the SDK cannot send: broken bodies, wrong types, unknown routes, oversized payloads. */
describe('HTTP errors', () => {
  let roster: TestRoster;
  let ownerPath: string;

  before(async () => {
    roster = await TestRoster.start();
    ownerPath = `/v1/organization/users/${roster.org.ownerId}`;
  });
  after(() => roster.close());

  function assertEnvelope(body: any) {
    assert.deepEqual(Object.keys(body), ['error']);
    assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message', 'param', 'type']);
    assert.equal(typeof body.error.message, 'string');
  }

  test('malformed JSON is a 400 invalid_json', async () => {
    const response = await roster.request('POST', ownerPath, { body: '{"role": ' });
    assert.equal(response.status, 400);
    assertEnvelope(response.body);
    assert.equal(response.body.error.code, 'invalid_json');
  });

  test('a body that is not an object is a 400', async () => {
    for (const body of ['[]', '"owner"', '42', 'null']) {
      const response = await roster.request('POST', ownerPath, { body });
      assert.equal(response.status, 400, body);
      assertEnvelope(response.body);
    }
  });

  test('a field of the wrong type is a 400 naming the field', async () => {
    const response = await roster.request('POST', ownerPath, { body: { role: 1 } });
    assert.equal(response.status, 400);
    assert.equal(response.body.error.param, 'role');
  });

  test('an unknown field is a 400 naming the field', async () => {
    const response = await roster.request('POST', ownerPath, { body: { rol: 'reader' } });
    assert.equal(response.status, 400);
    assert.equal(response.body.error.param, 'rol');
    assert.equal(response.body.error.code, 'unknown_parameter');
  });

  test('a body over the size limit is a 413 and changes nothing', async () => {
    const response = await roster.request('POST', ownerPath, { body: { technical_level: 'x'.repeat(2 * 1024 * 1024) } });
    assert.equal(response.status, 413);
    assertEnvelope(response.body);
    const owner = await roster.request('GET', ownerPath);
    assert.equal(owner.body.technical_level, null);
  });

  test('a body that is not JSON is a 415', async () => {
    const response = await roster.request('POST', ownerPath, { body: 'role=reader', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(response.status, 415);
    assertEnvelope(response.body);
  });

  test('an empty JSON body on DELETE is accepted, as curl sends it', async () => {
    const response = await roster.request('DELETE', '/v1/organization/users/user-unknown', { headers: { 'content-type': 'application/json' } });
    assert.equal(response.status, 404);
    assertEnvelope(response.body);
  });

  test('an unknown route is a 404 Invalid URL', async () => {
    const response = await roster.request('GET', '/v1/organization/credit_grants');
    assert.equal(response.status, 404);
    assert.equal(response.body.error.message, 'Invalid URL (GET /v1/organization/credit_grants)');
  });

  test('an unsupported method on a known route is a 404 Invalid URL', async () => {
    const response = await roster.request('PATCH', ownerPath, { body: {} });
    assert.equal(response.status, 404);
    assertEnvelope(response.body);
  });

  test('every response carries an x-request-id, errors included', async () => {
    const responses = [
      await roster.request('GET', '/v1/organization/users'),
      await roster.request('GET', '/v1/organization/users', { key: null }),
      await roster.request('GET', '/v1/nowhere'),
      await roster.request('GET', '/roster/v1/health', { key: null }),
    ];
    const ids = responses.map((r) => r.headers.get('x-request-id'));
    for (const id of ids) assert.match(id ?? '', /^req_[0-9a-f]{32}$/);
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe('served documents', () => {
  let roster: TestRoster;
  before(async () => {
    roster = await TestRoster.start();
  });
  after(() => roster.close());

  test('the health check answers without a key', async () => {
    const response = await roster.request('GET', '/roster/v1/health', { key: null });
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { status: 'ok' });
  });

  test('the OpenAPI document is 3.1 and describes the organization users routes', async () => {
    const response = await roster.request('GET', '/v1/openapi.json', { key: null });
    assert.equal(response.status, 200);
    assert.equal(response.body.openapi, '3.1.0');
    const users = response.body.paths['/v1/organization/users/{user_id}'];
    assert.deepEqual(Object.keys(users).sort(), ['delete', 'get', 'post']);
    assert.equal(users.post.operationId, 'modify-user');
    assert.ok(response.body.paths['/v1/organization/users'].get.parameters.some((p: { name: string }) => p.name === 'emails'));
  });

  test('the API reference page is served next to it', async () => {
    const response = await roster.request('GET', '/v1/docs/', { key: null });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
  });
});
