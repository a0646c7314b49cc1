import type { Kysely } from 'kysely';
import { findDefaultProject } from '../../src/api/projects/repository.ts';
import type { Database } from '../../src/db/schema.ts';
import {
  auditTrail,
  describeOutcomes,
  expect,
  expectSame,
  postRosterExtension,
  seedOrganization,
  storedRoles,
  storedSeats,
  together,
  type Api,
  type Outcome,
  type Revocation,
  type Scenario,
  type SeededMember,
} from './harness.ts';

/**
 * The conflicts raced by two-instances.test.ts (two processes on PostgreSQL) and
 * embedded-store.test.ts (one process on SQLite). To race another rule, add a Scenario here: seed
 * a fresh organization (in the store, or through the API), send the conflicting calls with
 * `together`, and check both the answers and what the store holds afterwards. Ways of revoking a
 * key, whose refusal through the other client is timed, are the Revocations at the end.
 */

type Store = Kysely<Database>;

interface TwoOwners {
  organizationId: string;
  a: SeededMember;
  b: SeededMember;
}

const twoOwners = async (db: Store): Promise<TwoOwners> => {
  const { organizationId, members } = await seedOrganization(db, ['owner', 'owner']);
  return { organizationId, a: members[0]!, b: members[1]! };
};

const isLastOwnerRefusal = (status: number, code: string | null) => status === 400 && code === 'last_owner';

/**
 * The shared checks of the last-owner races: exactly one request went through (the first to take
 * the organization lock still sees two owners), the others were refused as the scenario allows, one
 * owner is left, and the one acknowledged change is stored and audited while refusals wrote nothing.
 */
async function checkLastOwnerRace(
  db: Store,
  context: TwoOwners,
  outcomes: { status: number; code: string | null }[],
  refusalAllowed: (status: number, code: string | null) => boolean,
  expectedAfter: (acknowledged: number) => { roles: Map<string, string>; event: { type: string; id: string } },
): Promise<string[]> {
  const problems: string[] = [];
  const acknowledged = outcomes.flatMap((o, i) => (o.status === 200 ? [i] : []));
  expect(problems, acknowledged.length === 1, `expected exactly one request to succeed, got ${describeOutcomes(outcomes)}`);
  expect(problems, outcomes.every((o) => o.status === 200 || refusalAllowed(o.status, o.code)), `unexpected refusal: ${describeOutcomes(outcomes)}`);
  const roles = await storedRoles(db, context.organizationId);
  expect(problems, [...roles.values()].filter((r) => r === 'owner').length >= 1, 'the organization has no owner left');
  if (acknowledged.length === 1) {
    const expected = expectedAfter(acknowledged[0]!);
    expectSame(problems, 'stored members', [...roles].sort(), [...expected.roles].sort());
    expectSame(problems, 'audit trail', await auditTrail(db, context.organizationId), [`${expected.event.type} ${expected.event.id}`]);
  }
  return problems;
}

const demoteTwoOwners: Scenario<TwoOwners> = {
  name: 'two owners demoted at once: one succeeds, the last owner stays',
  prepare: twoOwners,
  act: ({ a, b }, first, second) =>
    together(
      first(a.key).admin.organization.users.update(a.id, { role: 'reader' }),
      second(b.key).admin.organization.users.update(b.id, { role: 'reader' }),
    ),
  check: (db, context, outcomes) =>
    checkLastOwnerRace(db, context, outcomes, isLastOwnerRefusal, (done) => {
      const [demoted, kept] = done === 0 ? [context.a, context.b] : [context.b, context.a];
      return { roles: new Map([[demoted.id, 'reader'], [kept.id, 'owner']]), event: { type: 'user.updated', id: demoted.id } };
    }),
};

const removeTwoOwners: Scenario<TwoOwners> = {
  name: 'two owners removed at once: one succeeds, the last owner stays',
  prepare: twoOwners,
  // Each removes the other, with their own key: once one is gone, so is their key (401).
  act: ({ a, b }, first, second) =>
    together(first(a.key).admin.organization.users.delete(b.id), second(b.key).admin.organization.users.delete(a.id)),
  check: (db, context, outcomes) =>
    checkLastOwnerRace(
      db,
      context,
      outcomes,
      (status, code) => isLastOwnerRefusal(status, code) || status === 401,
      (done) => {
        const [removed, kept] = done === 0 ? [context.b, context.a] : [context.a, context.b];
        return { roles: new Map([[kept.id, 'owner']]), event: { type: 'user.deleted', id: removed.id } };
      },
    ),
};

const demoteOneRemoveOther: Scenario<TwoOwners> = {
  name: 'one owner demoted while the other is removed: one succeeds',
  prepare: twoOwners,
  act: ({ a, b }, first, second) =>
    together(
      first(a.key).admin.organization.users.update(a.id, { role: 'reader' }),
      second(a.key).admin.organization.users.delete(b.id),
    ),
  check: (db, context, outcomes) =>
    checkLastOwnerRace(db, context, outcomes, isLastOwnerRefusal, (done) =>
      done === 0
        ? { roles: new Map([[context.a.id, 'reader'], [context.b.id, 'owner']]), event: { type: 'user.updated', id: context.a.id } }
        : { roles: new Map([[context.a.id, 'owner']]), event: { type: 'user.deleted', id: context.b.id } },
    ),
};

interface OwnerAndReader {
  organizationId: string;
  owner: SeededMember;
  reader: SeededMember;
}

const ownerAndReader = async (db: Store): Promise<OwnerAndReader> => {
  const { organizationId, members } = await seedOrganization(db, ['owner', 'reader']);
  return { organizationId, owner: members[0]!, reader: members[1]! };
};

const removeSameMember: Scenario<OwnerAndReader> = {
  name: 'the same member removed four times at once: one 200, three 404s',
  prepare: ownerAndReader,
  act: ({ owner, reader }, first, second) =>
    together(
      first(owner.key).admin.organization.users.delete(reader.id),
      second(owner.key).admin.organization.users.delete(reader.id),
      first(owner.key).admin.organization.users.delete(reader.id),
      second(owner.key).admin.organization.users.delete(reader.id),
    ),
  async check(db, { organizationId, owner, reader }, outcomes) {
    const problems: string[] = [];
    expectSame(problems, 'statuses', outcomes.map((o) => o.status).sort(), [200, 404, 404, 404]);
    expectSame(problems, 'stored members', [...(await storedRoles(db, organizationId))], [[owner.id, 'owner']]);
    expectSame(problems, 'audit trail', await auditTrail(db, organizationId), [`user.deleted ${reader.id}`]);
    return problems;
  },
};

const changeOneMemberFromBoth: Scenario<OwnerAndReader> = {
  name: 'different fields of one member changed at once: every change is kept',
  prepare: ownerAndReader,
  act: ({ owner, reader }, first, second) =>
    together(
      first(owner.key).admin.organization.users.update(reader.id, { technical_level: 'from-first' }),
      second(owner.key).admin.organization.users.update(reader.id, { developer_persona: 'from-second' }),
      first(owner.key).admin.organization.users.update(reader.id, { role: 'owner' }),
    ),
  async check(db, { organizationId, reader }, outcomes) {
    const problems: string[] = [];
    expect(problems, outcomes.every((o) => o.status === 200), `expected every change to succeed, got ${describeOutcomes(outcomes)}`);
    const stored = await db
      .selectFrom('organization_users')
      .select(['role', 'technical_level', 'developer_persona'])
      .where('organization_id', '=', organizationId)
      .where('user_id', '=', reader.id)
      .executeTakeFirst();
    expectSame(problems, 'stored member', stored, { role: 'owner', technical_level: 'from-first', developer_persona: 'from-second' });
    expectSame(problems, 'audit trail', await auditTrail(db, organizationId), Array(3).fill(`user.updated ${reader.id}`));
    return problems;
  },
};

/**
 * The acknowledged outcomes, after noting a problem unless exactly one request went through and
 * every other was refused with 400 `code`. Callers derive the expected state from what this
 * returns, so an acknowledged write missing from the store and a refused one found there both show.
 */
function oneWinner(problems: string[], outcomes: Outcome[], code: string): Outcome[] {
  const acknowledged = outcomes.filter((o) => o.status === 200);
  const othersRefused = outcomes.every((o) => o.status === 200 || (o.status === 400 && o.code === code));
  expect(problems, acknowledged.length === 1 && othersRefused, `expected one 200 and otherwise 400 ${code}, got ${describeOutcomes(outcomes)}`);
  return acknowledged;
}

interface OwnerAndProject {
  organizationId: string;
  owner: SeededMember;
  /** The organization's default project. */
  projectId: string;
}

async function defaultProjectId(db: Store, organizationId: string): Promise<string> {
  return (await findDefaultProject(db, organizationId))!.id;
}

const ownerAndProject = async (db: Store): Promise<OwnerAndProject> => {
  const { organizationId, members } = await seedOrganization(db, ['owner']);
  return { organizationId, owner: members[0]!, projectId: await defaultProjectId(db, organizationId) };
};

type OwnerReaderAndProject = OwnerAndReader & { projectId: string };

const ownerReaderAndProject = async (db: Store): Promise<OwnerReaderAndProject> => {
  const context = await ownerAndReader(db);
  return { ...context, projectId: await defaultProjectId(db, context.organizationId) };
};

const addToProject = (api: Api, { owner, reader, projectId }: OwnerReaderAndProject) =>
  api(owner.key).admin.organization.projects.users.create(projectId, { user_id: reader.id, role: 'member' });

const addSameProjectMember: Scenario<OwnerReaderAndProject> = {
  name: 'the same member added to a project twice at once: one seat, one user.added',
  prepare: ownerReaderAndProject,
  act: (context, first, second) => together(addToProject(first, context), addToProject(second, context)),
  async check(db, { organizationId, reader, projectId }, outcomes) {
    const problems: string[] = [];
    const acknowledged = oneWinner(problems, outcomes, 'user_already_in_project');
    expectSame(problems, 'project seats', [...(await storedSeats(db, projectId))], acknowledged.map(() => [reader.id, 'member']));
    expectSame(problems, 'audit trail', await auditTrail(db, organizationId), acknowledged.map(() => `user.added ${reader.id} in ${projectId}`));
    return problems;
  },
};

const INVITED = 'same@example.com';

/** The same person invited twice at once, the second time spelling the email `secondSpelling`. */
function inviteTwice(secondSpelling: string): Scenario<OwnerAndProject> {
  return {
    name: `'${INVITED}' and '${secondSpelling}' invited at once: one pending invite, one invite.sent`,
    prepare: ownerAndProject,
    act: ({ owner }, first, second) =>
      together(
        first(owner.key).admin.organization.invites.create({ email: INVITED, role: 'reader' }),
        second(owner.key).admin.organization.invites.create({ email: secondSpelling, role: 'reader' }),
      ),
    async check(db, { organizationId }, outcomes) {
      const problems: string[] = [];
      const acknowledged = oneWinner(problems, outcomes, 'invite_already_pending');
      const stored = await db.selectFrom('invites').select(['id', 'email', 'status']).where('organization_id', '=', organizationId).execute();
      expectSame(problems, 'stored invites', stored, acknowledged.map((o) => ({ id: o.id, email: INVITED, status: 'pending' })));
      expectSame(problems, 'audit trail', await auditTrail(db, organizationId), acknowledged.map((o) => `invite.sent ${o.id}`));
      return problems;
    },
  };
}

/** A role named the same created twice at once, in the organization or in its default project. */
function createSameRole(scope: 'organization' | 'project'): Scenario<OwnerAndProject> {
  const body = { role_name: 'auditor', permissions: [] };
  const create = (api: Api, { owner, projectId }: OwnerAndProject) =>
    scope === 'organization'
      ? api(owner.key).admin.organization.roles.create(body)
      : api(owner.key).admin.organization.projects.roles.create(projectId, body);
  return {
    name: `${scope === 'organization' ? 'an organization' : 'a project'} role named the same created twice at once: one role, one role.created`,
    prepare: ownerAndProject,
    act: (context, first, second) => together(create(first, context), create(second, context)),
    async check(db, { organizationId, projectId }, outcomes) {
      const problems: string[] = [];
      const acknowledged = oneWinner(problems, outcomes, 'role_name_taken');
      const inProject = scope === 'project' ? projectId : null;
      const stored = await db.selectFrom('roles').select(['id', 'name', 'project_id']).where('organization_id', '=', organizationId).execute();
      expectSame(problems, 'stored roles', stored, acknowledged.map((o) => ({ id: o.id, name: 'auditor', project_id: inProject })));
      const event = (id: string | undefined) => `role.created ${id}${inProject ? ` in ${inProject}` : ''}`;
      expectSame(problems, 'audit trail', await auditTrail(db, organizationId), acknowledged.map((o) => event(o.id)));
      return problems;
    },
  };
}

const removeMemberWhileSeating: Scenario<OwnerReaderAndProject> = {
  name: 'a member removed while being added to a project: no seat outlives the membership',
  prepare: ownerReaderAndProject,
  act: (context, first, second) =>
    together(first(context.owner.key).admin.organization.users.delete(context.reader.id), addToProject(second, context)),
  async check(db, { organizationId, owner, reader, projectId }, outcomes) {
    const problems: string[] = [];
    const [removal, seating] = outcomes as [Outcome, Outcome];
    expect(problems, removal.status === 200, `expected the removal to succeed, got ${describeOutcomes([removal])}`);
    // Seated first (then removed with the membership) or refused because the member was gone.
    const seated = seating.status === 200;
    expect(problems, seated || seating.code === 'user_not_in_organization', `unexpected answer to the seating: ${describeOutcomes([seating])}`);
    const orphans = await db
      .selectFrom('project_users as pu')
      .leftJoin('organization_users as m', (j) => j.onRef('m.organization_id', '=', 'pu.organization_id').onRef('m.user_id', '=', 'pu.user_id'))
      .select('pu.user_id')
      .where('pu.organization_id', '=', organizationId)
      .where('m.user_id', 'is', null)
      .execute();
    expectSame(problems, 'project seats without an organization membership', orphans, []);
    expectSame(problems, 'stored members', [...(await storedRoles(db, organizationId))], [[owner.id, 'owner']]);
    expectSame(problems, 'project seats', [...(await storedSeats(db, projectId))], []);
    // Sorted: the two events come from different processes, so their ids need not follow commit order.
    const events = [`user.deleted ${reader.id}`, ...(seated ? [`user.added ${reader.id} in ${projectId}`] : [])];
    expectSame(problems, 'audit trail', (await auditTrail(db, organizationId)).sort(), events.sort());
    return problems;
  },
};

interface PendingInvite extends OwnerAndProject {
  inviteId: string;
}

const acceptSameInvite: Scenario<PendingInvite> = {
  name: 'the same invite accepted twice at once: one membership, one invite.accepted',
  async prepare(db, api) {
    const context = await ownerAndProject(db);
    // Sent through the API, so it grants the default project as an invite does when none are named.
    const email = `invitee-${context.organizationId}@example.com`.toLowerCase();
    const invite = await api(context.owner.key).admin.organization.invites.create({ email, role: 'reader' });
    return { ...context, inviteId: invite.id };
  },
  act: ({ owner, inviteId }, first, second) =>
    together(
      postRosterExtension(first(owner.key), `/invites/${inviteId}/accept`, {}),
      postRosterExtension(second(owner.key), `/invites/${inviteId}/accept`, {}),
    ),
  async check(db, { organizationId, owner, projectId, inviteId }, outcomes) {
    const problems: string[] = [];
    const acknowledged = oneWinner(problems, outcomes, 'invite_already_accepted');
    const joined = acknowledged.map((o) => o.id!);
    expectSame(problems, 'stored members', [...(await storedRoles(db, organizationId))].sort(), [[owner.id, 'owner'], ...joined.map((id) => [id, 'reader'])].sort());
    expectSame(problems, 'project seats', [...(await storedSeats(db, projectId))], joined.map((id) => [id, 'member']));
    const invite = await db.selectFrom('invites').select('status').where('id', '=', inviteId).executeTakeFirst();
    expectSame(problems, 'invite status', invite?.status, joined.length > 0 ? 'accepted' : 'pending');
    const acceptance = joined.flatMap((id) => [`invite.accepted ${inviteId}`, `user.added ${id}`, `user.added ${id} in ${projectId}`]);
    expectSame(problems, 'audit trail', await auditTrail(db, organizationId), [`invite.sent ${inviteId}`, ...acceptance]);
    return problems;
  },
};

interface OwnerReaderAndGroup extends OwnerReaderAndProject {
  groupId: string;
}

/** An owner, a reader, the default project and a group made through the API (its group.created is in the trail). */
async function ownerReaderAndGroup(db: Store, api: Api): Promise<OwnerReaderAndGroup> {
  const context = await ownerReaderAndProject(db);
  const group = await api(context.owner.key).admin.organization.groups.create({ name: 'Racers' });
  return { ...context, groupId: group.id };
}

/** Rows of every table hanging from a group that still name it. */
async function groupLeftovers(db: Store, groupId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['group_users', 'group_role_assignments', 'project_groups'] as const) {
    counts[table] = (await db.selectFrom(table).select('group_id').where('group_id', '=', groupId).execute()).length;
  }
  return counts;
}

const addToGroup = (api: Api, { owner, groupId }: OwnerReaderAndGroup, userId: string) =>
  api(owner.key).admin.organization.groups.users.create(groupId, { user_id: userId });

const addSameGroupMember: Scenario<OwnerReaderAndGroup> = {
  name: 'the same member added to a group twice at once: one membership, one membership event',
  prepare: ownerReaderAndGroup,
  act: (context, first, second) => together(addToGroup(first, context, context.reader.id), addToGroup(second, context, context.reader.id)),
  async check(db, { organizationId, reader, groupId }, outcomes) {
    const problems: string[] = [];
    const acknowledged = oneWinner(problems, outcomes, 'user_already_in_group');
    const stored = await db.selectFrom('group_users').select('user_id').where('group_id', '=', groupId).execute();
    expectSame(problems, 'group members', stored, acknowledged.map(() => ({ user_id: reader.id })));
    const events = [`group.created ${groupId}`, ...acknowledged.map(() => `tenant.group.member.added ${groupId}`)];
    expectSame(problems, 'audit trail', await auditTrail(db, organizationId), events);
    return problems;
  },
};

/**
 * The group is deleted through one client while the other adds both members to it: each addition
 * lands before the deletion (and goes with the group) or is refused, and nothing outlives the group.
 */
const deleteGroupWhileAdding: Scenario<OwnerReaderAndGroup> = {
  name: 'a group deleted while members are added to it: nothing outlives the group',
  prepare: ownerReaderAndGroup,
  act: (context, first, second) =>
    together(
      first(context.owner.key).admin.organization.groups.delete(context.groupId),
      addToGroup(second, context, context.reader.id),
      addToGroup(second, context, context.owner.id),
    ),
  async check(db, { organizationId, owner, reader, groupId }, outcomes) {
    const problems: string[] = [];
    const [deletion, ...additions] = outcomes as [Outcome, ...Outcome[]];
    expect(problems, deletion.status === 200, `expected the deletion to succeed, got ${describeOutcomes([deletion])}`);
    const refusedAsGone = (o: Outcome) => o.status === 404 || (o.status === 400 && o.code === 'invalid_value');
    expect(problems, additions.every((o) => o.status === 200 || refusedAsGone(o)), `unexpected answer to an addition: ${describeOutcomes(additions)}`);
    expectSame(problems, 'rows left of the deleted group', await groupLeftovers(db, groupId), { group_users: 0, group_role_assignments: 0, project_groups: 0 });
    const added = [reader.id, owner.id].filter((_, i) => additions[i]!.status === 200);
    const events = [`group.created ${groupId}`, `group.deleted ${groupId}`, ...added.map(() => `tenant.group.member.added ${groupId}`)];
    expectSame(problems, 'audit trail', (await auditTrail(db, organizationId)).sort(), events.sort());
    return problems;
  },
};

const deleteGroupWhileSeating: Scenario<OwnerReaderAndGroup> = {
  name: 'a group deleted while it is added to a project: no seat or role outlives the group',
  prepare: ownerReaderAndGroup,
  act: ({ owner, groupId, projectId }, first, second) =>
    together(
      first(owner.key).admin.organization.groups.delete(groupId),
      second(owner.key).admin.organization.projects.groups.create(projectId, { group_id: groupId, role: 'role-api-project-member' }),
    ),
  async check(db, { organizationId, groupId, projectId }, outcomes) {
    const problems: string[] = [];
    const [deletion, seating] = outcomes as [Outcome, Outcome];
    expect(problems, deletion.status === 200, `expected the deletion to succeed, got ${describeOutcomes([deletion])}`);
    const seated = seating.status === 200;
    const refused = seating.status === 404 || (seating.status === 400 && seating.code === 'invalid_value');
    expect(problems, seated || refused, `unexpected answer to the seating: ${describeOutcomes([seating])}`);
    expectSame(problems, 'rows left of the deleted group', await groupLeftovers(db, groupId), { group_users: 0, group_role_assignments: 0, project_groups: 0 });
    const grant = `role.assignment.created role-api-project-member__api-project__${projectId}__group__${groupId} in ${projectId}`;
    const events = [`group.created ${groupId}`, `group.deleted ${groupId}`, ...(seated ? [grant] : [])];
    expectSame(problems, 'audit trail', (await auditTrail(db, organizationId)).sort(), events.sort());
    return problems;
  },
};

const createSameGroup: Scenario<OwnerAndProject> = {
  name: "'Support' and 'SUPPORT' created as groups at once: one group, one group.created",
  prepare: ownerAndProject,
  act: ({ owner }, first, second) =>
    together(
      first(owner.key).admin.organization.groups.create({ name: 'Support' }),
      second(owner.key).admin.organization.groups.create({ name: 'SUPPORT' }),
    ),
  async check(db, { organizationId }, outcomes) {
    const problems: string[] = [];
    const acknowledged = oneWinner(problems, outcomes, 'group_name_taken');
    const stored = await db.selectFrom('groups').select('id').where('organization_id', '=', organizationId).execute();
    expectSame(problems, 'stored groups', stored, acknowledged.map((o) => ({ id: o.id })));
    expectSame(problems, 'audit trail', await auditTrail(db, organizationId), acknowledged.map((o) => `group.created ${o.id}`));
    return problems;
  },
};

export const scenarios: Scenario[] = [
  demoteTwoOwners,
  removeTwoOwners,
  demoteOneRemoveOther,
  removeSameMember,
  changeOneMemberFromBoth,
  addSameProjectMember,
  inviteTwice(INVITED),
  inviteTwice('Same@Example.com'),
  createSameRole('organization'),
  createSameRole('project'),
  removeMemberWhileSeating,
  acceptSameInvite,
  addSameGroupMember,
  deleteGroupWhileAdding,
  deleteGroupWhileSeating,
  createSameGroup,
];

const removeKeyOwner: Revocation<TwoOwners & { key: string }> = {
  name: "a removed member's key is refused",
  async prepare(db) {
    const context = await twoOwners(db);
    return { ...context, key: context.b.key };
  },
  revoke: ({ a, b }, api) => api(a.key).admin.organization.users.delete(b.id),
};

const deleteKey: Revocation<OwnerAndProject & { key: string; keyId: string }> = {
  name: 'a deleted admin key is refused',
  async prepare(db, api) {
    const context = await ownerAndProject(db);
    const created = await api(context.owner.key).admin.organization.adminAPIKeys.create({ name: 'Short-lived key' });
    return { ...context, key: created.value, keyId: created.id };
  },
  revoke: ({ owner, keyId }, api) => api(owner.key).admin.organization.adminAPIKeys.delete(keyId),
};

/** A project key in a project of its own, with the owner's admin key to ask the key check with. */
type ProjectKey = OwnerAndProject & { key: string; keyId: string; serviceAccountId?: string };

/** The key check, through `api`, with the organization owner's admin key: 200 while active, 401 (with the reason) once refused. */
async function keyCheckProbe({ owner, key }: ProjectKey, api: Api): Promise<Outcome> {
  const answer = (await postRosterExtension(api(owner.key), '/keys/check', { key })) as { active: boolean; reason: string | null };
  return answer.active ? { status: 200, code: null } : { status: 401, code: answer.reason };
}

/** A person's key (the owner's, seated in a new project) or a service account's. */
function projectKeyRevocation(name: string, owner: 'user' | 'service_account', revoke: Revocation<ProjectKey>['revoke']): Revocation<ProjectKey> {
  return {
    name,
    async prepare(db, api) {
      const context = await ownerAndProject(db);
      const admin = api(context.owner.key).admin.organization;
      const projectId = (await admin.projects.create({ name: 'Keys' })).id;
      if (owner === 'service_account') {
        const account = await admin.projects.serviceAccounts.create(projectId, { name: 'App' });
        return { ...context, projectId, key: account.api_key!.value, keyId: account.api_key!.id, serviceAccountId: account.id };
      }
      await admin.projects.users.create(projectId, { user_id: context.owner.id, role: 'member' });
      const created = (await postRosterExtension(api(context.owner.key), `/projects/${projectId}/api_keys`, { user_id: context.owner.id, name: 'Laptop' })) as {
        id: string;
        value: string;
      };
      return { ...context, projectId, key: created.value, keyId: created.id };
    },
    revoke,
    probe: keyCheckProbe,
  };
}

const projectKeyRevocations: Revocation[] = [
  projectKeyRevocation('a deleted project key is refused by the key check', 'user', ({ owner, projectId, keyId }, api) =>
    api(owner.key).admin.organization.projects.apiKeys.delete(keyId, { project_id: projectId }),
  ),
  projectKeyRevocation("a deleted service account's key is refused by the key check", 'service_account', ({ owner, projectId, serviceAccountId }, api) =>
    api(owner.key).admin.organization.projects.serviceAccounts.delete(serviceAccountId!, { project_id: projectId }),
  ),
  projectKeyRevocation("the key of someone removed from the project is refused by the key check", 'user', ({ owner, projectId }, api) =>
    api(owner.key).admin.organization.projects.users.delete(owner.id, { project_id: projectId }),
  ),
  projectKeyRevocation("an archived project's key is refused by the key check", 'service_account', ({ owner, projectId }, api) =>
    api(owner.key).admin.organization.projects.archive(projectId),
  ),
];

/** The key check asked about a model: 200 while the key's policy allows it, 401 once it does not. */
async function modelAllowedProbe({ owner, key }: ProjectKey, api: Api): Promise<Outcome> {
  const answer = (await postRosterExtension(api(owner.key), '/keys/check', { key, model: 'o3' })) as { policy: { model: { allowed: boolean } } | null };
  return answer.policy?.model?.allowed ? { status: 200, code: null } : { status: 401, code: 'model_not_allowed' };
}

/**
 * A policy change is a revocation of sorts: the model a key was allowed stops being allowed. The
 * key check caches policies for half a second, even on the instance that made the change, so this
 * one is held to a second everywhere rather than to the next request.
 */
const denyModel: Revocation<ProjectKey> = {
  ...projectKeyRevocation('a model put on the project\'s deny list is refused by the key check', 'service_account', ({ owner, projectId }, api) =>
    api(owner.key).admin.organization.projects.modelPermissions.update(projectId, { mode: 'deny_list', model_ids: ['o3'] }),
  ),
  probe: modelAllowedProbe,
};

export const revocations: Revocation[] = [removeKeyOwner, deleteKey, ...projectKeyRevocations];
export const policyRevocations: Revocation[] = [denyModel];
