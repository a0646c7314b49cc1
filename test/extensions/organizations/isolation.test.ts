import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setPlatformCredential } from '../../../src/http/platform-credentials.ts';
import { TestRoster } from '../../support/roster.ts';

/**
 * Every route roster serves, called with one organization's admin key and the other's ids: each
 * answer is a 404 (the path names something of the other organization) or concerns the caller's
 * own organization only; none ever carries the other organization's data. The routes come from
 * roster's own OpenAPI document, so a route added later is covered without touching this file.
 */
const NOT_ORGANIZATION_SCOPED = ['/roster/v1/health', '/roster/v1/organizations'];
const UNKNOWN_ID = 'isolation-unknown-id';

type Schema = { type?: string; enum?: unknown[]; const?: unknown; anyOf?: Schema[]; properties?: Record<string, Schema>; required?: string[]; minimum?: number; items?: Schema; minItems?: number };

describe('isolation between organizations', () => {
  let roster: TestRoster;
  /** The other organization's ids by path parameter name, and every string that would betray its data. */
  const theirs: Record<string, string> = {};
  const secrets: string[] = [];
  let theirProjectKey: string;

  before(async () => {
    roster = await TestRoster.start();
    await setPlatformCredential(roster.db, 'gateway', 'sk-gateway-isolation');
    const other = await roster.createOrganization('their-owner@other.example');
    const them = roster.client(other.adminKeyValue).admin.organization;
    await roster.addMembers([{ email: 'their-member@other.example', name: 'Their Member' }], other.organizationId);
    const member = (await them.users.list({ emails: ['their-member@other.example'] })).data[0]!;
    const project = await them.projects.create({ name: 'Their secret project' });
    await them.projects.users.create(project.id, { user_id: member.id, role: 'member' });
    const account = await them.projects.serviceAccounts.create(project.id, { name: 'Their service account' });
    const keyAnswer = await roster.request('POST', `/roster/v1/projects/${project.id}/api_keys`, {
      key: other.adminKeyValue,
      body: { user_id: member.id, name: 'Their key' },
    });
    const invite = await them.invites.create({ email: 'their-invitee@other.example', role: 'reader' });
    const role = await them.roles.create({ role_name: 'Their role', permissions: ['api.usage.read'] });
    await them.users.roles.create(member.id, { role_id: role.id });
    const adminKey = await them.adminAPIKeys.create({ name: 'Their admin key' });

    Object.assign(theirs, {
      user_id: member.id,
      project_id: project.id,
      invite_id: invite.id,
      role_id: role.id,
      key_id: adminKey.id,
      service_account_id: account.id,
      api_key_id: keyAnswer.body.id,
    });
    theirProjectKey = keyAnswer.body.value;
    secrets.push(...Object.values(theirs), other.organizationId, other.ownerId, account.api_key!.id, 'other.example', 'Their ');
  });
  after(() => roster.close());

  /** A body with every required field, holding plain values (and, for the key check, their key). */
  function sample(schema: Schema | undefined, name = ''): unknown {
    if (!schema) return undefined;
    if (schema.anyOf) return sample(schema.anyOf.find((option) => option.type !== 'null'), name);
    if (schema.const !== undefined) return schema.const;
    if (schema.enum) return schema.enum[0];
    switch (schema.type) {
      case 'object':
        return Object.fromEntries((schema.required ?? []).map((key) => [key, sample(schema.properties?.[key], key)]));
      case 'array':
        return Array.from({ length: schema.minItems ?? 0 }, () => sample(schema.items, name));
      case 'integer':
      case 'number':
        return schema.minimum ?? 1;
      case 'boolean':
        return false;
      default:
        if (name === 'key') return theirProjectKey;
        return name.includes('email') || name === 'recipients' ? 'isolation@example.com' : 'isolation probe';
    }
  }

  test('every route answers 404 for their ids, and never with their data', async (t) => {
    const document = roster.app.swagger() as { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>> };
    const problems: string[] = [];
    let calls = 0;
    for (const [template, operations] of Object.entries(document.paths)) {
      if (NOT_ORGANIZATION_SCOPED.some((prefix) => template.startsWith(prefix))) continue;
      const names = [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
      const path = template.replace(/\{(\w+)\}/g, (_, name: string) => theirs[name] ?? UNKNOWN_ID);
      for (const [method, operation] of Object.entries(operations)) {
        if (!['get', 'post', 'delete'].includes(method)) continue;
        const body = method === 'post' ? (sample(operation.requestBody?.content?.['application/json']?.schema) ?? {}) : undefined;
        const response = await roster.request(method.toUpperCase(), path, { body });
        calls++;
        const what = `${method.toUpperCase()} ${template}`;
        if (names.length > 0 && response.status !== 404) problems.push(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
        // Echoing the ids the caller sent (a 404 names the id it did not find) tells them nothing new.
        const text = JSON.stringify(response.body);
        const leaked = secrets.filter((secret) => text.includes(secret) && !path.includes(secret));
        if (leaked.length > 0) problems.push(`${what} answered with their ${leaked.join(', ')}`);
      }
    }
    t.diagnostic(`${calls} operations tried`);
    assert.ok(calls >= 40, `only ${calls} routes were tried`);
    assert.deepEqual(problems, []);
  });

  test('their project key is unknown to our admin key, and lists never hold their items', async () => {
    const check = await roster.request('POST', '/roster/v1/keys/check', { body: { key: theirProjectKey } });
    assert.equal(check.body.reason, 'unknown');
    const users = await roster.client().admin.organization.users.list({ emails: ['their-member@other.example'] });
    assert.deepEqual(users.data, []);
    const logs = await roster.client().admin.organization.auditLogs.list({ project_ids: [theirs.project_id!] });
    assert.deepEqual(logs.data, []);
  });
});
