import { Type, type Static } from 'typebox';

/**
 * The shape of a seed file (`roster emulate --seed FILE`, `startRoster({ seed })`). Either a
 * fixture a person writes (organizations and what they hold, by name and email), or the document
 * `GET /roster/v1/emulator/state` exports (every table's rows), so an exported state seeds again.
 * Ids are optional everywhere: leave them out and roster makes them (deterministically with
 * `--id-seed`), give them and tests can name things before the server starts.
 */
const Name = Type.String({ minLength: 1 });
const Email = Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$' });
const Id = Type.String({ minLength: 1, pattern: '^\\S+$' });
/** An instant: Unix seconds, or an ISO 8601 date-time. */
export const Instant = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ format: 'date-time' })]);
const RoleNames = Type.Array(Name, { description: 'custom roles of the same scope, by name' });

const strict = { additionalProperties: false } as const;

export const FixturePerson = Type.Object({ email: Email, name: Type.Optional(Type.Union([Name, Type.Null()])), id: Type.Optional(Id) }, strict);

export const FixtureMember = Type.Object(
  {
    email: Email,
    name: Type.Optional(Type.Union([Name, Type.Null()])),
    id: Type.Optional(Id),
    role: Type.Union([Type.Literal('owner'), Type.Literal('reader')]),
    roles: Type.Optional(RoleNames),
  },
  strict,
);

export const FixtureRole = Type.Object(
  { name: Name, id: Type.Optional(Id), description: Type.Optional(Type.String()), permissions: Type.Array(Type.String()) },
  strict,
);

export const FixtureProjectMember = Type.Object(
  {
    email: Email,
    role: Type.Union([Type.Literal('owner'), Type.Literal('member'), Type.Literal('viewer')]),
    roles: Type.Optional(RoleNames),
  },
  strict,
);

/** A role by name (predefined, or a custom role the fixture declared) or by id. */
const RoleRef = Type.String({ minLength: 1, description: 'a role by name or id' });
const KeyLifetime = Type.Integer({ minimum: 1, maximum: 31_536_000 });

export const FixtureGroup = Type.Object(
  {
    name: Name,
    id: Type.Optional(Id),
    /** Members of the organization, by email. */
    members: Type.Optional(Type.Array(Email)),
    /** Organization roles the group holds (and its members through it). */
    roles: Type.Optional(Type.Array(RoleRef)),
  },
  strict,
);

/** A group of the organization seated in the project with a project role. */
export const FixtureProjectGroup = Type.Object({ group: Name, role: RoleRef }, strict);

/** The first key of a service account; its value may be fixed so a test knows it before start. */
export const FixtureServiceAccountKey = Type.Object(
  {
    value: Type.Optional(Type.String({ pattern: '^sk-svcacct-\\S{8,}$' })),
    id: Type.Optional(Id),
    name: Type.Optional(Name),
    expires_in_seconds: Type.Optional(KeyLifetime),
  },
  strict,
);

export const FixtureServiceAccount = Type.Object(
  {
    name: Name,
    id: Type.Optional(Id),
    role: Type.Optional(Type.Union([Type.Literal('owner'), Type.Literal('member')])),
    /** Left out, the account gets a first key of a value roster makes, as the API does. */
    api_key: Type.Optional(FixtureServiceAccountKey),
  },
  strict,
);

/** A person's project key, with a fixed value. */
export const FixtureProjectKey = Type.Object(
  {
    name: Name,
    id: Type.Optional(Id),
    /** A member of the project, by email. */
    owner: Email,
    value: Type.String({ pattern: '^sk-proj-\\S{8,}$' }),
    scopes: Type.Optional(Type.Array(Type.String())),
    expires_in_seconds: Type.Optional(KeyLifetime),
  },
  strict,
);

export const FixtureProject = Type.Object(
  {
    name: Name,
    id: Type.Optional(Id),
    /** This entry describes the organization's default project (made anyway when none does). */
    default: Type.Optional(Type.Boolean()),
    archived: Type.Optional(Type.Boolean()),
    roles: Type.Optional(Type.Array(FixtureRole)),
    members: Type.Optional(Type.Array(FixtureProjectMember)),
    groups: Type.Optional(Type.Array(FixtureProjectGroup)),
    service_accounts: Type.Optional(Type.Array(FixtureServiceAccount)),
    api_keys: Type.Optional(Type.Array(FixtureProjectKey)),
  },
  strict,
);

export const FixtureInvite = Type.Object(
  {
    email: Email,
    id: Type.Optional(Id),
    role: Type.Union([Type.Literal('owner'), Type.Literal('reader')]),
    /** Projects by name or id; left out, the default project as a member (as the API does). */
    projects: Type.Optional(
      Type.Array(Type.Object({ project: Name, role: Type.Union([Type.Literal('owner'), Type.Literal('member')]) }, strict)),
    ),
    /** When it was sent (default: the clock's now); seven days later it lapses. */
    sent_at: Type.Optional(Instant),
  },
  strict,
);

export const FixtureAdminKey = Type.Object(
  {
    name: Name,
    id: Type.Optional(Id),
    /** The member (by email) the key acts as. */
    owner: Email,
    /** The key's clear value, so a test knows it before the server starts. */
    value: Type.String({ minLength: 8, pattern: '^\\S+$' }),
    expires_in_seconds: Type.Optional(KeyLifetime),
  },
  strict,
);

export const FixtureOrganization = Type.Object(
  {
    name: Name,
    id: Type.Optional(Id),
    members: Type.Array(FixtureMember, { minItems: 1 }),
    roles: Type.Optional(Type.Array(FixtureRole)),
    groups: Type.Optional(Type.Array(FixtureGroup)),
    projects: Type.Optional(Type.Array(FixtureProject)),
    invites: Type.Optional(Type.Array(FixtureInvite)),
    admin_keys: Type.Optional(Type.Array(FixtureAdminKey)),
  },
  strict,
);

export const FixtureClock = Type.Object({ now: Instant, frozen: Type.Optional(Type.Boolean()) }, strict);

export const Fixture = Type.Object(
  {
    clock: Type.Optional(FixtureClock),
    people: Type.Optional(Type.Array(FixturePerson)),
    organizations: Type.Array(FixtureOrganization, { minItems: 1 }),
  },
  strict,
);

/** What `GET /roster/v1/emulator/state` answers, and `--seed` takes back. */
export const StateExport = Type.Object(
  {
    roster_export: Type.Literal(1),
    clock: Type.Optional(FixtureClock),
    tables: Type.Record(Type.String({ pattern: '^[a-z_][a-z0-9_]*$' }), Type.Array(Type.Record(Type.String(), Type.Unknown()))),
  },
  strict,
);

export type Fixture = Static<typeof Fixture>;
export type FixtureOrganization = Static<typeof FixtureOrganization>;
export type FixtureRole = Static<typeof FixtureRole>;
export type FixtureProject = Static<typeof FixtureProject>;
export type FixtureClock = Static<typeof FixtureClock>;
export type StateExport = Static<typeof StateExport>;
export type Instant = Static<typeof Instant>;
