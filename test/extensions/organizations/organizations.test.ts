import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { setPlatformCredential } from '../../../src/http/platform-credentials.ts';
import { TestRoster } from '../../support/roster.ts';

const OPERATOR_KEY = 'sk-operator-test-key';

describe('/roster/v1/organizations', () => {
  let roster: TestRoster;

  before(async () => {
    roster = await TestRoster.start();
    await setPlatformCredential(roster.db, 'operator', OPERATOR_KEY);
  });
  after(() => roster.close());

  const operator = (method: string, path: string, body?: object) => roster.request(method, `/roster/v1/organizations${path}`, { key: OPERATOR_KEY, body });
  const create = async (name: string, email: string) => {
    const response = await operator('POST', '', { name, owner_email: email, owner_name: 'First Owner' });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body;
  };

  test('creates an organization whose first admin key, shown once, manages it alone', async () => {
    const created = await create('Customer A', 'Boss@Customer-A.example');
    assert.equal(created.object, 'roster.organization');
    assert.match(created.id, /^org-/);
    assert.equal(created.name, 'Customer A');
    assert.equal(created.owner.email, 'boss@customer-a.example');
    assert.match(created.admin_key.value, /^sk-admin-/);
    const client = roster.client(created.admin_key.value);
    const users = await client.admin.organization.users.list();
    assert.deepEqual(users.data.map((u) => [u.id, u.email, u.role]), [[created.owner.id, 'boss@customer-a.example', 'owner']]);
    const projects = await client.admin.organization.projects.list();
    assert.deepEqual(projects.data.map((p) => p.name), ['Default project']);
    const retrieved = await operator('GET', `/${created.id}`);
    assert.deepEqual(retrieved.body, { object: 'roster.organization', id: created.id, name: 'Customer A', created_at: created.created_at });
  });

  test('lists organizations page by page, oldest first', async () => {
    const ids = [roster.org.organizationId];
    for (const page of [1, 2, 3]) ids.push((await create(`Paged ${page}`, `paged-${page}@example.com`)).id);
    const all: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await operator('GET', `?limit=2${after ? `&after=${after}` : ''}`);
      all.push(...page.body.data.map((o: { id: string }) => o.id));
      if (!page.body.has_more) break;
      after = page.body.last_id;
    }
    for (const id of ids) assert.ok(all.includes(id), `${id} listed`);
    assert.deepEqual(all, [...all].sort());
  });

  test('deleting an organization removes everything of it in one go, and its keys stop working', async () => {
    const created = await create('Doomed', 'doomed@example.com');
    const client = roster.client(created.admin_key.value);
    await roster.addMembers([{ email: 'staff@doomed.example' }], created.id);
    const project = await client.admin.organization.projects.create({ name: 'Work' });
    await client.admin.organization.projects.serviceAccounts.create(project.id, { name: 'App' });
    await client.admin.organization.invites.create({ email: 'later@doomed.example', role: 'reader' });
    await client.admin.organization.roles.create({ role_name: 'Custom', permissions: ['api.usage.read'] });
    await client.admin.organization.adminAPIKeys.create({ name: 'Second' });

    const deleted = await operator('DELETE', `/${created.id}`);
    assert.deepEqual(deleted.body, { object: 'roster.organization.deleted', id: created.id, deleted: true });
    assert.deepEqual(await rowsLeft(created.id), {}, 'no table keeps a row of the organization');
    assert.equal((await roster.request('GET', '/v1/organization/users', { key: created.admin_key.value })).status, 401);
    assert.equal((await operator('GET', `/${created.id}`)).status, 404);
    assert.equal((await operator('DELETE', `/${created.id}`)).status, 404);
    // The other organizations are untouched.
    assert.equal((await roster.client().admin.organization.users.list()).data.length, 1);
  });

  /** Rows still carrying the organization's id, by table, in every table that has an `organization_id` column. */
  async function rowsLeft(organizationId: string): Promise<Record<string, number>> {
    const left: Record<string, number> = {};
    // On PostgreSQL the introspection lists every schema's tables (other test files' too): keep this store's.
    const schema = roster.testStore.store.dialect === 'postgres' ? (await sql<{ name: string }>`select current_schema() as name`.execute(roster.db)).rows[0]!.name : undefined;
    for (const table of await roster.db.introspection.getTables()) {
      if (schema !== undefined && table.schema !== schema) continue;
      if (!table.columns.some((c) => c.name === 'organization_id') && table.name !== 'organizations') continue;
      const column = table.name === 'organizations' ? 'id' : 'organization_id';
      const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table.name)} where ${sql.ref(column)} = ${organizationId}`.execute(roster.db);
      if (Number(rows[0]!.n) > 0) left[table.name] = Number(rows[0]!.n);
    }
    return left;
  }

  test('bad input is a 400 naming the field', async () => {
    const blank = await operator('POST', '', { name: ' ', owner_email: 'a@example.com' });
    assert.equal(blank.status, 400);
    assert.equal(blank.body.error.param, 'name');
    const email = await operator('POST', '', { name: 'X', owner_email: 'not an email' });
    assert.equal(email.status, 400);
    assert.equal(email.body.error.param, 'owner_email');
  });

  test('only the operator key manages organizations, and it can do nothing else', async () => {
    const withAdminKey = await roster.request('GET', '/roster/v1/organizations');
    assert.equal(withAdminKey.status, 403);
    assert.equal(withAdminKey.body.error.code, 'credential_not_accepted');
    const operatorOnV1 = await roster.request('GET', '/v1/organization/users', { key: OPERATOR_KEY });
    assert.equal(operatorOnV1.status, 403);
    const operatorOnKeyCheck = await roster.request('POST', '/roster/v1/keys/check', { key: OPERATOR_KEY, body: { key: 'x' } });
    assert.equal(operatorOnKeyCheck.status, 403);
    assert.equal((await roster.request('GET', '/roster/v1/organizations', { key: 'sk-operator-wrong' })).status, 401);
  });
});
