import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type OpenAI from 'openai';
import { nowSeconds } from '../../../src/lib/time.ts';
import { assertRefused } from '../projects/refusals.ts';
import { organizationHoldings, projectHoldings, type Holdings } from '../../support/role-holdings.ts';
import { TestRoster } from '../../support/roster.ts';

type EventType = NonNullable<OpenAI.Admin.Organization.AuditLogListParams['event_types']>[number];
type Project = { id: string; name: string };

/** An event a request should have recorded, in the reference's shape for its type. */
interface Expected {
  type: EventType;
  /** What the event carries under the key named after its type; its `id` is the object the event is about. */
  payload: { id: string } & Record<string, unknown>;
  /** The project the event concerns, if any. */
  project?: Project;
}

/** One mutating endpoint: `perform` sets up what it needs, makes the call, and says what it recorded, oldest first. */
interface Case {
  name: string;
  perform(): Promise<Expected[]>;
}

/** Where roles live: the organization, or a project. */
interface Scope {
  noun: 'organization' | 'project';
  rolesPath: string;
  assignmentsPath: string;
  /** Fresh holdings in the scope, and the project its events concern when it is one. */
  open(): Promise<{ holdings: Holdings; project?: Project }>;
}

/**
 * Issue 5's contract, endpoint by endpoint: every mutating request records its event, with the
 * reference's payload for that type, the acting key and its owner, the project it concerns and
 * when it took effect. Everything is done and read back through the official SDK.
 */
describe('the audit event of each mutating endpoint', () => {
  let roster: TestRoster;
  let client: OpenAI;
  let projects = 0;

  before(async () => {
    roster = await TestRoster.start();
    client = roster.client();
  });
  after(() => roster.close());

  const organization = () => client.admin.organization;
  const newMember = () => organizationHoldings(roster, client).newMember();

  async function newProject(): Promise<Project> {
    const name = `Audited project ${++projects}`;
    const { id } = await organization().projects.create({ name });
    return { id, name };
  }

  /** What the audit log serves for an expected event, apart from its own id and time. */
  function asServed({ type, payload, project }: Expected) {
    return {
      object: 'organization.audit_log',
      type,
      ...(project && { project }),
      actor: { type: 'api_key', api_key: { id: roster.org.adminKeyId, type: 'user', user: { id: roster.org.ownerId, email: 'owner@example.com' } } },
      [type]: payload,
    };
  }

  async function assertRecorded(perform: Case['perform']): Promise<void> {
    const start = nowSeconds();
    const expected = await perform();
    const end = nowSeconds();
    const served = (
      await organization().auditLogs.list({
        event_types: [...new Set(expected.map((event) => event.type))],
        resource_ids: [...new Set(expected.map((event) => event.payload.id))],
      })
    ).data;
    for (const event of served) {
      assert.ok(start <= event.effective_at && event.effective_at <= end, `effective_at ${event.effective_at} is within [${start}, ${end}]`);
    }
    // Newest first: the reverse of the order the request recorded them in.
    assert.deepEqual(
      served.map(({ id, effective_at, ...event }) => event),
      expected.map(asServed).reverse(),
    );
  }

  const cases: Case[] = [
    {
      name: 'POST /v1/organization/users/{user_id} records user.updated with the role requested',
      async perform() {
        const userId = await newMember();
        await organization().users.update(userId, { role: 'owner' });
        return [{ type: 'user.updated', payload: { id: userId, changes_requested: { role: 'owner' } } }];
      },
    },
    {
      name: 'DELETE /v1/organization/users/{user_id} records user.deleted with the user id',
      async perform() {
        const userId = await newMember();
        await organization().users.delete(userId);
        return [{ type: 'user.deleted', payload: { id: userId } }];
      },
    },
    {
      name: "POST /v1/organization/projects records project.created with the project's name",
      async perform() {
        const project = await newProject();
        return [{ type: 'project.created', payload: { id: project.id, data: { name: project.name } }, project }];
      },
    },
    {
      name: 'POST /v1/organization/projects/{project_id} records project.updated with the new name as title, under the new name',
      async perform() {
        const { id } = await newProject();
        await organization().projects.update(id, { name: 'Renamed and audited' });
        return [{ type: 'project.updated', payload: { id, changes_requested: { title: 'Renamed and audited' } }, project: { id, name: 'Renamed and audited' } }];
      },
    },
    {
      name: 'POST /v1/organization/projects/{project_id}/archive records project.archived',
      async perform() {
        const project = await newProject();
        await organization().projects.archive(project.id);
        return [{ type: 'project.archived', payload: { id: project.id }, project }];
      },
    },
    {
      name: 'POST /v1/organization/projects/{project_id}/users records user.added in the project with the role given',
      async perform() {
        const [project, userId] = [await newProject(), await newMember()];
        await organization().projects.users.create(project.id, { user_id: userId, role: 'owner' });
        return [{ type: 'user.added', payload: { id: userId, data: { role: 'owner' } }, project }];
      },
    },
    {
      name: 'POST /v1/organization/projects/{project_id}/users/{user_id} records user.updated in the project with the new role',
      async perform() {
        const [project, userId] = [await newProject(), await newMember()];
        await organization().projects.users.create(project.id, { user_id: userId, role: 'member' });
        await organization().projects.users.update(userId, { project_id: project.id, role: 'owner' });
        return [{ type: 'user.updated', payload: { id: userId, changes_requested: { role: 'owner' } }, project }];
      },
    },
    {
      name: 'DELETE /v1/organization/projects/{project_id}/users/{user_id} records user.deleted in the project',
      async perform() {
        const [project, userId] = [await newProject(), await newMember()];
        await organization().projects.users.create(project.id, { user_id: userId, role: 'member' });
        await organization().projects.users.delete(userId, { project_id: project.id });
        return [{ type: 'user.deleted', payload: { id: userId }, project }];
      },
    },
    {
      name: 'POST /v1/organization/invites records invite.sent with the email and role',
      async perform() {
        const invite = await organization().invites.create({ email: 'Audited.Invitee@example.com', role: 'owner' });
        return [{ type: 'invite.sent', payload: { id: invite.id, data: { email: 'audited.invitee@example.com', role: 'owner' } } }];
      },
    },
    {
      name: 'DELETE /v1/organization/invites/{invite_id} records invite.deleted',
      async perform() {
        const invite = await organization().invites.create({ email: 'audited-withdrawn@example.com', role: 'reader' });
        await organization().invites.delete(invite.id);
        return [{ type: 'invite.deleted', payload: { id: invite.id } }];
      },
    },
    {
      name: 'POST /roster/v1/invites/{invite_id}/accept records invite.accepted, then user.added in the organization and in each granted project',
      async perform() {
        const project = await newProject();
        const invite = await organization().invites.create({ email: 'audited-joiner@example.com', role: 'reader', projects: [{ id: project.id, role: 'owner' }] });
        const accepted = await roster.request('POST', `/roster/v1/invites/${invite.id}/accept`);
        assert.equal(accepted.status, 200);
        const userId: string = accepted.body.id;
        return [
          { type: 'invite.accepted', payload: { id: invite.id } },
          { type: 'user.added', payload: { id: userId, data: { role: 'reader' } } },
          { type: 'user.added', payload: { id: userId, data: { role: 'owner' } }, project },
        ];
      },
    },
    ...[organizationScope(), projectScope()].flatMap(roleCases),
    {
      name: 'POST /v1/organization/admin_api_keys records api_key.created with the scopes of the key',
      async perform() {
        const key = await organization().adminAPIKeys.create({ name: 'Audited key' });
        const scopes = ['api.management.read', 'api.management.write', 'api.audit_logs.read', 'api.usage.read'];
        return [{ type: 'api_key.created', payload: { id: key.id, data: { scopes } } }];
      },
    },
    {
      name: 'DELETE /v1/organization/admin_api_keys/{key_id} records api_key.deleted',
      async perform() {
        const key = await organization().adminAPIKeys.create({ name: 'Audited and deleted' });
        await organization().adminAPIKeys.delete(key.id);
        return [{ type: 'api_key.deleted', payload: { id: key.id } }];
      },
    },
  ];

  function organizationScope(): Scope {
    return {
      noun: 'organization',
      rolesPath: '/v1/organization/roles',
      assignmentsPath: '/v1/organization/users/{user_id}/roles',
      open: async () => ({ holdings: organizationHoldings(roster, client) }),
    };
  }

  function projectScope(): Scope {
    return {
      noun: 'project',
      rolesPath: '/v1/projects/{project_id}/roles',
      assignmentsPath: '/v1/projects/{project_id}/users/{user_id}/roles',
      async open() {
        const holdings = await projectHoldings(roster, client);
        const { id, name } = await organization().projects.retrieve(holdings.resourceId);
        return { holdings, project: { id, name: name! } };
      },
    };
  }

  /** The role and role-assignment endpoints of one scope; their payloads name the scope as resource. */
  function roleCases({ noun, rolesPath, assignmentsPath, open }: Scope): Case[] {
    const resource = (holdings: Holdings) => ({ resource_id: holdings.resourceId, resource_type: holdings.resourceType });

    async function assignment(unassign: boolean): Promise<Expected[]> {
      const { holdings, project } = await open();
      const [userId, role] = [await holdings.newMember(), await holdings.createRole(`Audited ${unassign ? 'unassignment' : 'assignment'}`)];
      await holdings.assign(userId, role.id);
      if (unassign) await holdings.unassign(userId, role.id);
      const type = unassign ? 'role.assignment.deleted' : 'role.assignment.created';
      return [{ type, payload: { id: `${role.id}__user__${userId}`, principal_id: userId, principal_type: 'user', ...resource(holdings) }, project }];
    }

    return [
      {
        name: `POST ${rolesPath} records role.created with the name and permissions of the ${noun} role`,
        async perform() {
          const { holdings, project } = await open();
          const role = await holdings.createRole('Audited creation');
          const payload = { id: role.id, role_name: 'Audited creation', permissions: role.permissions, ...resource(holdings) };
          return [{ type: 'role.created', payload, project }];
        },
      },
      {
        name: `POST ${rolesPath}/{role_id} records role.updated with the changes requested to the ${noun} role`,
        async perform() {
          const { holdings, project } = await open();
          const role = await holdings.createRole('Audited before');
          await holdings.updateRole(role.id, { role_name: 'Audited after', permissions: ['api.groups.read'], description: 'Now described' });
          const changes = { role_name: 'Audited after', permissions_added: ['api.groups.read'], permissions_removed: role.permissions, description: 'Now described' };
          return [{ type: 'role.updated', payload: { id: role.id, changes_requested: { ...changes, ...resource(holdings) } }, project }];
        },
      },
      {
        name: `DELETE ${rolesPath}/{role_id} records role.deleted for the ${noun} role`,
        async perform() {
          const { holdings, project } = await open();
          const role = await holdings.createRole('Audited deletion');
          await holdings.deleteRole(role.id);
          return [{ type: 'role.deleted', payload: { id: role.id }, project }];
        },
      },
      {
        name: `POST ${assignmentsPath} records role.assignment.created naming the user and the ${noun}`,
        perform: () => assignment(false),
      },
      {
        name: `DELETE ${assignmentsPath}/{role_id} records role.assignment.deleted naming the user and the ${noun}`,
        perform: () => assignment(true),
      },
    ];
  }

  for (const { name, perform } of cases) test(name, () => assertRecorded(perform));

  test('a refused request records nothing, in every family of endpoints', async () => {
    const org = await roster.createOrganization('audited-refusals@example.com');
    const sdk = roster.client(org.adminKeyValue).admin.organization;
    const [defaultProject] = (await sdk.projects.list()).data;
    await roster.addMembers([{ email: 'refused-member@example.com' }], org.organizationId);
    const [member] = (await sdk.users.list({ emails: ['refused-member@example.com'] })).data;
    const project = await sdk.projects.create({ name: 'Refusals' });
    await sdk.projects.users.create(project.id, { user_id: member!.id, role: 'member' });
    await sdk.invites.create({ email: 'pending@example.com', role: 'reader' });
    // An invite whose granted project was archived after it was sent cannot be accepted.
    const doomed = await sdk.projects.create({ name: 'Archived after the invite' });
    const stranded = await sdk.invites.create({ email: 'stranded@example.com', role: 'reader', projects: [{ id: doomed.id, role: 'member' }] });
    await sdk.projects.archive(doomed.id);
    await sdk.roles.create({ role_name: 'Taken', permissions: [] });
    await sdk.projects.roles.create(project.id, { role_name: 'Taken', permissions: [] });

    // Each is refused inside the transaction that would have recorded its event.
    const refusals: { family: string; refuse: () => Promise<void> }[] = [
      { family: 'organization users', refuse: () => assertRefused(sdk.users.update(org.ownerId, { role: 'reader' }), { status: 400, code: 'last_owner' }) },
      { family: 'projects', refuse: () => assertRefused(sdk.projects.archive(defaultProject!.id), { status: 400, code: 'default_project' }) },
      {
        family: 'project users',
        refuse: () => assertRefused(sdk.projects.users.create(project.id, { user_id: member!.id, role: 'owner' }), { status: 400, code: 'user_already_in_project' }),
      },
      {
        family: 'invites',
        refuse: () => assertRefused(sdk.invites.create({ email: 'pending@example.com', role: 'owner' }), { status: 400, code: 'invite_already_pending' }),
      },
      {
        family: 'invite acceptance',
        async refuse() {
          const response = await roster.request('POST', `/roster/v1/invites/${stranded.id}/accept`, { key: org.adminKeyValue });
          assert.deepEqual([response.status, response.body.error.code], [400, 'project_archived']);
        },
      },
      {
        family: 'organization roles',
        refuse: () => assertRefused(sdk.roles.create({ role_name: 'Taken', permissions: [] }), { status: 400, code: 'role_name_taken' }),
      },
      {
        family: 'project roles',
        refuse: () => assertRefused(sdk.projects.roles.create(project.id, { role_name: 'Taken', permissions: [] }), { status: 400, code: 'role_name_taken' }),
      },
      {
        family: 'organization user roles',
        refuse: () => assertRefused(sdk.users.roles.create(org.ownerId, { role_id: 'role-api-organization-reader' }), { status: 400, code: 'last_owner' }),
      },
      {
        family: 'project user roles',
        refuse: () =>
          assertRefused(sdk.projects.users.roles.delete('role-api-project-member', { project_id: project.id, user_id: member!.id }), {
            status: 400,
            code: 'predefined_role_required',
          }),
      },
      { family: 'admin API keys', refuse: () => assertRefused(sdk.adminAPIKeys.delete(org.adminKeyId), { status: 400, code: 'last_admin_key' }) },
    ];

    const recorded = async () => {
      const ids: string[] = [];
      for await (const event of sdk.auditLogs.list({ limit: 100 })) ids.push(event.id);
      return ids;
    };
    const history = await recorded();
    assert.ok(history.length > 0, 'the setup itself was audited');
    for (const { family, refuse } of refusals) {
      await refuse();
      assert.deepEqual(await recorded(), history, `a refused request to the ${family} endpoints recorded an event`);
    }
  });
});
