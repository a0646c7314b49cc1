import { auditTrail, describeOutcomes, expect, expectSame, seedOrganization, storedRoles, together, type Scenario, type SeededMember } from './harness.ts';

/**
 * The conflicts raced by two-instances.test.ts. To race another rule, add a Scenario here: seed a
 * fresh organization, send the conflicting calls with `together`, and check both the answers and
 * what the store holds afterwards.
 */

interface TwoOwners {
  organizationId: string;
  a: SeededMember;
  b: SeededMember;
}

const twoOwners = async (db: Parameters<Scenario['prepare']>[0]): Promise<TwoOwners> => {
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
  db: Parameters<Scenario['check']>[0],
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
  name: 'two owners demoted at once on different instances: one succeeds, the last owner stays',
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
  name: 'two owners removed at once on different instances: one succeeds, the last owner stays',
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
  name: 'one owner demoted while the other is removed, on different instances: one succeeds',
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

const ownerAndReader = async (db: Parameters<Scenario['prepare']>[0]): Promise<OwnerAndReader> => {
  const { organizationId, members } = await seedOrganization(db, ['owner', 'reader']);
  return { organizationId, owner: members[0]!, reader: members[1]! };
};

const removeSameMember: Scenario<OwnerAndReader> = {
  name: 'the same member removed four times at once from both instances: one 200, three 404s',
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
  name: 'different fields of one member changed at once from both instances: every change is kept',
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

export const scenarios: Scenario[] = [demoteTwoOwners, removeTwoOwners, demoteOneRemoveOther, removeSameMember, changeOneMemberFromBoth];
