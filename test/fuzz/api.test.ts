import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { parse } from 'yaml';
import { envelopeProblem } from '../support/envelope.ts';
import { fuzzRequests, idsIn, operationsOf, urlOf, type FuzzRequest, type KnownIds } from '../support/fuzz.ts';
import { exchange, parseAnswers } from '../support/raw-http.ts';
import { people, TestRoster } from '../support/roster.ts';

/**
 * Fuzzes every route of the OpenAI reference and of roster's own OpenAPI document with generated
 * requests (see ../support/fuzz.ts), then a few hundred malformed HTTP requests, on the store of
 * the pass. Bounded for `npm test`; ROSTER_FUZZ_REQUESTS=100000 makes the long run, and
 * ROSTER_FUZZ_SEED replays one.
 */
const REQUESTS = Number(process.env.ROSTER_FUZZ_REQUESTS || 2000);
const SEED = Number(process.env.ROSTER_FUZZ_SEED || Math.floor(Math.random() * 2 ** 31));
/** Requests in flight at once: some concurrency, as real clients bring. */
const CONCURRENCY = 4;
const MAX_KNOWN_IDS = 400;

const referenceDocument = parse(readFileSync(new URL('../../reference/openai-admin-openapi.yaml', import.meta.url), 'utf8'));

interface Tally {
  sent: number;
  unsendable: number;
  byStatus: Map<number, number>;
  failures: string[];
}

function describeRequest(request: FuzzRequest, url: string): string {
  return `${request.method} ${url.slice(0, 160)} auth=${request.auth} body=${JSON.stringify(request.body?.slice(0, 120))}`;
}

test('hostile requests to every route never get a 5xx or an answer outside the envelope, and leave the store consistent', { timeout: 30 * 60_000 }, async (t) => {
  const roster = await TestRoster.start();
  t.after(() => roster.close());
  const sdk = roster.client();
  await roster.addMembers(people(6, 'fuzzed'));
  await sdk.admin.organization.projects.create({ name: 'Fuzzed project' });
  await sdk.admin.organization.invites.create({ email: 'invited@example.com', role: 'reader' });

  const operations = operationsOf([
    { document: referenceDocument, prefix: '/v1' },
    { document: roster.app.swagger() as Record<string, any>, prefix: '' },
  ]);
  // The caller's own key, its owner and organization are kept out of reach, or the fuzz would lock itself out.
  const protectedIds = new Set([roster.org.adminKeyId, roster.org.ownerId, roster.org.organizationId]);
  const knownIds: KnownIds = new Map();
  const learn = (body: unknown) => {
    for (const [id, kind] of idsIn(body)) if (!protectedIds.has(id) && knownIds.size < MAX_KNOWN_IDS) knownIds.set(id, kind);
  };
  const listOperations = operations.filter((op) => op.method === 'GET' && !op.path.includes('{'));
  for (const op of listOperations) {
    const response = await roster.request('GET', op.path);
    if (response.status === 200) learn(response.body);
  }

  const tally: Tally = { sent: 0, unsendable: 0, byStatus: new Map(), failures: [] };
  const send = async (request: FuzzRequest) => {
    const url = urlOf(request, knownIds);
    const headers: Record<string, string> = {};
    if (request.auth === 'key') headers.authorization = `Bearer ${roster.org.adminKeyValue}`;
    if (request.auth === 'wrong') headers.authorization = 'Bearer sk-admin-not-a-key';
    if (request.auth === 'malformed') headers.authorization = 'Basic Zm9vOmJhcg==';
    const hasBody = request.body !== undefined && request.method !== 'GET' && request.method !== 'HEAD';
    if (hasBody && request.contentType) headers['content-type'] = request.contentType;
    let response: Response;
    try {
      response = await roster.checkedFetch(`${roster.origin}${url}`, {
        method: request.method,
        headers,
        body: hasBody ? request.body : undefined,
        signal: AbortSignal.timeout(20_000),
      });
    } catch (error) {
      // What the client refuses to send (a URL or header it cannot encode) never reached roster.
      if (error instanceof TypeError && !(error as { cause?: unknown }).cause) {
        tally.unsendable++;
        return;
      }
      tally.failures.push(`${describeRequest(request, url)}: no answer (${(error as Error).message}, ${String((error as { cause?: unknown }).cause)})`);
      return;
    }
    const text = await response.text();
    tally.sent++;
    tally.byStatus.set(response.status, (tally.byStatus.get(response.status) ?? 0) + 1);
    const problem = response.status >= 500 ? `a ${response.status}: ${text.slice(0, 200)}` : envelopeProblem(request.method, response.status, response.headers, text);
    if (problem) tally.failures.push(`${describeRequest(request, url)}: ${problem}`);
    if (response.status === 200 && text) learn(JSON.parse(text));
  };

  const started = performance.now();
  const rssBefore = process.memoryUsage().rss;
  // Routes roster serves are fuzzed five times as often as those it does not (yet): those only need to be a 404 envelope.
  const served = (path: string, method: string) => roster.app.hasRoute({ method, url: path.replace(/\{([^}]+)\}/g, ':$1') });
  const arbitrary = fuzzRequests(operations, (op) => (served(op.path, op.method) ? 5 : 1));
  const BATCH = 500;
  for (let offset = 0; offset < REQUESTS; offset += BATCH) {
    const batch = fc.sample(arbitrary, { numRuns: Math.min(BATCH, REQUESTS - offset), seed: SEED + offset });
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < batch.length) await send(batch[next++]!);
      }),
    );
  }

  // Malformed HTTP, below what fetch can send.
  const key = roster.org.adminKeyValue;
  const rawRequests = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }).map((text) => `${text}\r\n\r\n`),
    fc
      .tuple(fc.constantFrom('GET', 'POST', 'BREW', 'G E T', ''), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/9.9', ''))
      .map(([method, path, version]) => `${method} /${path} ${version}\r\nHost: roster\r\nConnection: close\r\nAuthorization: Bearer ${key}\r\n\r\n`),
    fc
      .tuple(fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 60 }))
      .map(([name, value]) => `GET /v1/organization/users HTTP/1.1\r\nHost: roster\r\nConnection: close\r\nAuthorization: Bearer ${key}\r\n${name}: ${value}\r\n\r\n`),
    fc.constantFrom(
      `POST /v1/organization/projects HTTP/1.1\r\nHost: roster\r\nConnection: close\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n{"a":1}`,
      `POST /v1/organization/projects HTTP/1.1\r\nHost: roster\r\nConnection: close\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n`,
      `GET /v1/organization/users HTTP/1.1\r\nHost: roster\r\nConnection: close\r\nAuthorization: Bearer ${key}\r\nX-Filler: ${'f'.repeat(20_000)}\r\n\r\n`,
      `GET /v1/organization/users?${'a=1&'.repeat(3000)} HTTP/1.1\r\nHost: roster\r\nConnection: close\r\nAuthorization: Bearer ${key}\r\n\r\n`,
    ),
  );
  let rawAnswered = 0;
  for (const data of fc.sample(rawRequests, { numRuns: Math.max(50, Math.floor(REQUESTS / 25)), seed: SEED })) {
    const { text } = await exchange(roster.origin, Buffer.from(data, 'latin1'), 1000);
    for (const answer of parseAnswers(text)) {
      rawAnswered++;
      tally.byStatus.set(answer.status, (tally.byStatus.get(answer.status) ?? 0) + 1);
      const problem = answer.status >= 500 ? `a ${answer.status}` : envelopeProblem('GET', answer.status, answer.headers, answer.body);
      if (problem) tally.failures.push(`raw ${JSON.stringify(data.slice(0, 100))}: ${problem}`);
    }
  }

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const statuses = [...tally.byStatus.entries()].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ');
  t.diagnostic(
    `${roster.testStore.kind}: ${tally.sent} requests over ${operations.length} operations and ${rawAnswered} malformed ones answered in ${seconds} s ` +
      `(seed ${SEED}; ${tally.unsendable} not sendable by fetch); ${tally.failures.length} failures; statuses ${statuses}; ` +
      `test process RSS ${Math.round(rssBefore / 2 ** 20)} → ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB`,
  );
  assert.deepEqual(tally.failures.slice(0, 15), [], `${tally.failures.length} failures (replay with ROSTER_FUZZ_SEED=${SEED})`);

  // Alive, and still consistent.
  assert.equal((await roster.request('GET', '/roster/v1/health', { key: null })).status, 200);
  for (const op of listOperations.filter((op) => served(op.path, 'GET'))) {
    const response = await roster.request('GET', op.path);
    // Every unparameterised read still answers: with its data, or with a refusal in the envelope
    // (the operator's routes refuse an admin key; an unset spend limit is a 404).
    assert.ok(response.status === 200 || (response.status < 500 && response.body.error), `${op.path} after the fuzz: ${response.status} ${JSON.stringify(response.body)}`);
  }
  const db = roster.db;
  const ownerless = await db
    .selectFrom('organizations as o')
    .select('o.id')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('organization_users as m').select('m.user_id').whereRef('m.organization_id', '=', 'o.id').where('m.role', '=', 'owner'))),
    )
    .execute();
  assert.deepEqual(ownerless, [], 'every organization keeps an owner');
  const orphanKeys = await db
    .selectFrom('admin_api_keys as k')
    .leftJoin('organization_users as m', (j) => j.onRef('m.organization_id', '=', 'k.organization_id').onRef('m.user_id', '=', 'k.owner_user_id'))
    .select('k.id')
    .where('m.user_id', 'is', null)
    .execute();
  assert.deepEqual(orphanKeys, [], "no admin key outlives its owner's membership");
  const defaults = await db.selectFrom('projects').select(['organization_id', sql<number>`count(*)`.as('count')]).where('is_default', '=', 1).groupBy('organization_id').execute();
  assert.ok(defaults.every((row) => Number(row.count) === 1), 'one default project per organization');
  if (roster.testStore.kind === 'sqlite') {
    assert.deepEqual((await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db)).rows, [{ integrity_check: 'ok' }]);
    assert.deepEqual((await sql`pragma foreign_key_check`.execute(db)).rows, []);
  }
});
