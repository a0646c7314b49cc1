import { readFileSync } from 'node:fs';
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import { Value } from 'typebox/value';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { constraintViolation } from '../../db/constraint-violation.ts';
import type { Database } from '../../db/schema.ts';
import { newId } from '../../lib/ids.ts';
import { hashSecret, redactSecret } from '../../lib/secrets.ts';
import { nowSeconds } from '../../lib/time.ts';
import * as groups from '../../api/groups/repository.ts';
import * as groupMembers from '../../api/group-users/repository.ts';
import { INVITE_LIFETIME_SECONDS } from '../../api/invites/service.ts';
import { insertProjectKey, type NewKeyFor } from '../../api/project-api-keys/service.ts';
import * as projectGroups from '../../api/project-groups/repository.ts';
import { insertGroupRole } from '../../api/role-assignments/group-roles.ts';
import { isPermission } from '../../api/roles/permissions.ts';
import { predefinedRoleId, predefinedRoleNames } from '../../api/roles/predefined.ts';
import { organizationScope, scopeOfProject, type RoleScope } from '../../api/roles/scope.ts';
import { findRoleInScope, type FoundRole } from '../../api/roles/service.ts';
import { insertServiceAccount } from '../../api/service-accounts/repository.ts';
import { Fixture, StateExport, type FixtureOrganization, type FixtureProject, type FixtureRole, type Instant } from './fixture-schema.ts';

type Path = (string | number)[];

/** Rows per insert statement when seeding: well under SQLite's limit on bound values. */
const BULK_ROWS = 1000;

/** A seed that cannot be loaded: where (file and line, or the path inside a seed object) and why. */
export class FixtureError extends Error {}

/** A seed ready to load, and how to turn a path inside it into a place a person can find. */
export interface Seed {
  content: Fixture | StateExport;
  where(path: Path): string;
}

function describePath(path: Path): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('') || '(top level)';
}

/** Reads a YAML or JSON seed file (JSON is YAML); a syntax error names its line. */
export function readSeedFile(file: string): Seed {
  const text = readFileSync(file, 'utf8');
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;
  const problem = document.errors[0];
  if (problem) throw new FixtureError(`${file}:${lineOf(problem.pos[0])}: ${problem.message.split('\n')[0]}`);
  return checked(document.toJS(), (path) => `${file}:${lineOf(nodeOffset(document, path))}: ${describePath(path)}`);
}

/** The source offset of the deepest node of `path` that the document has. */
function nodeOffset(document: Document, path: Path): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = document.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return node.range[0];
  }
  return 0;
}

/** A seed given as an object (the test helper's `seed` option); errors name the path in it. */
export function seedFromObject(content: unknown): Seed {
  return checked(content, (path) => `seed: ${describePath(path)}`);
}

function checked(content: unknown, where: (path: Path) => string): Seed {
  const schema = typeof content === 'object' && content !== null && 'roster_export' in content ? StateExport : Fixture;
  const [first] = Value.Errors(schema, content);
  if (first) {
    const path = first.instancePath.split('/').slice(1).map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    // A field the schema does not know is reported at the field itself, as a `false` schema.
    const extra = (first.params as { additionalProperties?: string[] }).additionalProperties?.[0] ?? (first.keyword === 'boolean' ? path.at(-1) : undefined);
    const reason = extra !== undefined ? `unknown field '${extra}'` : first.message;
    throw new FixtureError(`${where(path)}: ${reason}`);
  }
  return { content: content as Fixture | StateExport, where };
}

export function instantSeconds(instant: Instant): number {
  return typeof instant === 'number' ? instant : Math.floor(Date.parse(instant) / 1000);
}

/** An admin key a fixture declared, with its clear value (an exported state has none: keys are stored hashed). */
export interface SeededKey {
  organization_id: string;
  organization_name: string;
  name: string;
  value: string;
}

/** A project key a fixture declared (a person's, or a service account's first key), with its clear value. */
export interface SeededProjectKey {
  id: string;
  name: string;
  value: string;
  organization_id: string;
  project_id: string;
  project_name: string;
  owner: { type: 'user'; id: string; email: string } | { type: 'service_account'; id: string; name: string };
  expires_at: number | null;
}

/** The keys a seed declared, by kind. */
export interface SeededKeys {
  admin: SeededKey[];
  project: SeededProjectKey[];
}

/**
 * Loads a seed into an empty store, in one transaction: a seed that fails leaves nothing behind.
 * Answers the keys it declared.
 */
export async function loadSeed(db: Kysely<Database>, seed: Seed): Promise<SeededKeys> {
  try {
    return await seedInOneTransaction(db, seed);
  } catch (error) {
    // References are checked at commit, past the row that broke them: name the table list then.
    if (error instanceof FixtureError || constraintViolation(error) === undefined) throw error;
    throw new FixtureError(`${seed.where('roster_export' in seed.content ? ['tables'] : [])}: the rows do not hold together (${(error as Error).message})`);
  }
}

function seedInOneTransaction(db: Kysely<Database>, seed: Seed): Promise<SeededKeys> {
  return db.transaction().execute(async (trx) => {
    // Rows may refer to rows written after them (people are written last, in bulk, an export's
    // tables in any order); the references are checked at commit.
    await sql`pragma defer_foreign_keys = on`.execute(trx);
    if ('roster_export' in seed.content) {
      await loadExport(trx, seed, seed.content);
      return { admin: [], project: [] };
    }
    const loader = new FixtureLoader(trx, seed);
    await loader.load(seed.content);
    return { admin: loader.keys, project: loader.projectKeys };
  });
}

/** An exported state: every table's rows, put back as they were. */
async function loadExport(trx: Transaction<Database>, seed: Seed, content: StateExport): Promise<void> {
  const known = new Set((await trx.introspection.getTables()).map((table) => table.name));
  for (const [table, rows] of Object.entries(content.tables)) {
    if (!known.has(table)) throw new FixtureError(`${seed.where(['tables', table])}: no table '${table}' in this version of roster`);
    for (const [index, row] of rows.entries()) {
      try {
        await trx.insertInto(table as keyof Database).values(row as never).execute();
      } catch (error) {
        throw new FixtureError(`${seed.where(['tables', table, index])}: ${(error as Error).message}`);
      }
    }
  }
}

interface SeededProject {
  id: string;
  name: string;
  archived: boolean;
  path: Path;
  members: Set<string>;
  spec: FixtureProject;
}

/** The members, projects and custom roles of the organization being seeded, by how a fixture names them. */
interface Organization {
  id: string;
  name: string;
  path: Path;
  members: Map<string, string>;
  projects: SeededProject[];
  /** Custom role ids by scope (`''` for the organization, else the project id), then by name. */
  roles: Map<string, Map<string, string>>;
}

/**
 * What a fixture declares inside an organization, seeded in this order (each section may refer to
 * what an earlier one made). A new kind of thing (groups, service accounts, project API keys) is
 * one more field in fixture-schema.ts and one more section here.
 */
type Section = (loader: FixtureLoader, spec: FixtureOrganization, organization: Organization) => Promise<void>;

const SECTIONS: Section[] = [
  async function members(loader, spec, organization) {
    const now = nowSeconds();
    let owners = 0;
    const rows = spec.members.map((member, index) => {
      const path = [...organization.path, 'members', index];
      const email = member.email.toLowerCase();
      if (organization.members.has(email)) loader.fail([...path, 'email'], `'${email}' is listed twice`);
      const userId = loader.person(email, member.name, member.id, path);
      organization.members.set(email, userId);
      if (member.role === 'owner') owners++;
      const isDefault = owners === 1 && member.role === 'owner' ? 1 : 0;
      return { organization_id: organization.id, user_id: userId, role: member.role, added_at: now, is_default: isDefault };
    });
    if (owners === 0) loader.fail([...organization.path, 'members'], 'an organization needs at least one member with role owner');
    await loader.insertMany('organization_users', rows);
  },

  async function roles(loader, spec, organization) {
    await loader.customRoles(organization, '', spec.roles ?? [], [...organization.path, 'roles']);
    for (const [index, member] of spec.members.entries()) {
      const userId = organization.members.get(member.email.toLowerCase())!;
      await loader.assign(organization, '', userId, member.roles ?? [], [...organization.path, 'members', index, 'roles']);
    }
  },

  async function projects(loader, spec, organization) {
    const now = nowSeconds();
    const declared = [...(spec.projects ?? [])];
    const defaults = declared.filter((project) => project.default);
    if (defaults.length > 1) loader.fail([...organization.path, 'projects'], 'only one project can be the default project');
    if (defaults.length === 0) declared.unshift({ name: 'Default project', default: true });
    for (const [index, project] of declared.entries()) {
      const path = [...organization.path, 'projects', index - (defaults.length === 0 ? 1 : 0)];
      if (project.default && project.archived) loader.fail([...path, 'archived'], 'the default project cannot be archived');
      if (organization.projects.some((other) => other.name === project.name)) loader.fail([...path, 'name'], `two projects are named '${project.name}'`);
      const id = loader.id(project.id, 'proj_', [...path, 'id']);
      await loader.trx
        .insertInto('projects')
        .values({
          id,
          organization_id: organization.id,
          name: project.name,
          created_at: now,
          is_default: project.default ? 1 : 0,
          status: project.archived ? 'archived' : 'active',
          archived_at: project.archived ? now : null,
          external_key_id: null,
          residency: null,
        })
        .execute();
      const seated = { id, name: project.name, archived: Boolean(project.archived), path, members: new Set<string>(), spec: project };
      organization.projects.push(seated);
      await loader.customRoles(organization, id, project.roles ?? [], [...path, 'roles']);
      for (const [memberIndex, member] of (project.members ?? []).entries()) {
        const memberPath = [...path, 'members', memberIndex];
        const userId = loader.member(organization, member.email, [...memberPath, 'email']);
        if (seated.members.has(userId)) loader.fail([...memberPath, 'email'], `'${member.email}' is listed twice`);
        seated.members.add(userId);
        await loader.trx.insertInto('project_users').values({ project_id: id, organization_id: organization.id, user_id: userId, role: member.role, added_at: now }).execute();
        await loader.assign(organization, id, userId, member.roles ?? [], [...memberPath, 'roles']);
      }
    }
  },

  async function groupsAndSeats(loader, spec, organization) {
    const now = nowSeconds();
    const byName = new Map<string, string>();
    const scope = organizationScope(organization.id);
    for (const [index, group] of (spec.groups ?? []).entries()) {
      const path = [...organization.path, 'groups', index];
      if (group.name.trim() === '') loader.fail([...path, 'name'], 'a group name cannot be blank');
      if (byName.has(groups.nameKey(group.name))) loader.fail([...path, 'name'], `two groups are named '${group.name}' (names ignore case)`);
      const id = loader.id(group.id, 'group_', [...path, 'id']);
      byName.set(groups.nameKey(group.name), id);
      await groups.insertGroup(loader.trx, organization.id, { id, name: group.name, created_at: now, is_scim_managed: 0 });
      const members = new Set<string>();
      for (const [memberIndex, email] of (group.members ?? []).entries()) {
        const userId = loader.member(organization, email, [...path, 'members', memberIndex]);
        if (members.has(userId)) loader.fail([...path, 'members', memberIndex], `'${email}' is listed twice`);
        members.add(userId);
        await groupMembers.insertGroupMember(loader.trx, { group_id: id, organization_id: organization.id, user_id: userId, added_at: now });
      }
      for (const [roleIndex, role] of (group.roles ?? []).entries()) {
        await loader.grantGroupRole(organization, scope, id, role, [...path, 'roles', roleIndex]);
      }
    }
    for (const project of organization.projects) {
      const seated = new Set<string>();
      for (const [index, seat] of (project.spec.groups ?? []).entries()) {
        const path = [...project.path, 'groups', index];
        if (project.archived) loader.fail(path, `project '${project.name}' is archived`);
        const groupId =
          byName.get(groups.nameKey(seat.group)) ??
          ([...byName.values()].includes(seat.group) ? seat.group : loader.fail([...path, 'group'], `no group named '${seat.group}' in this organization`));
        if (seated.has(groupId)) loader.fail([...path, 'group'], `group '${seat.group}' is seated twice`);
        seated.add(groupId);
        await projectGroups.insertProjectGroup(loader.trx, { project_id: project.id, group_id: groupId, organization_id: organization.id, created_at: now });
        await loader.grantGroupRole(organization, scopeOfProject(organization.id, project), groupId, seat.role, [...path, 'role']);
      }
    }
  },

  async function invites(loader, spec, organization) {
    const pending = new Set<string>();
    for (const [index, invite] of (spec.invites ?? []).entries()) {
      const path = [...organization.path, 'invites', index];
      const email = invite.email.toLowerCase();
      if (organization.members.has(email)) loader.fail([...path, 'email'], `'${email}' is already a member of the organization`);
      if (pending.has(email)) loader.fail([...path, 'email'], `'${email}' already has an invite in this organization`);
      pending.add(email);
      const sentAt = invite.sent_at === undefined ? nowSeconds() : instantSeconds(invite.sent_at);
      const id = loader.id(invite.id, 'invite-', [...path, 'id']);
      const grants = (invite.projects ?? [{ project: organization.projects[0]!.id, role: 'member' as const }]).map((grant, grantIndex) => {
        const project = loader.project(organization, grant.project, [...path, 'projects', grantIndex, 'project']);
        if (project.archived) loader.fail([...path, 'projects', grantIndex, 'project'], `project '${grant.project}' is archived`);
        return { invite_id: id, project_id: project.id, role: grant.role };
      });
      await loader.trx
        .insertInto('invites')
        .values({ id, organization_id: organization.id, email, role: invite.role, status: 'pending', created_at: sentAt, expires_at: sentAt + INVITE_LIFETIME_SECONDS, accepted_at: null })
        .execute();
      if (grants.length > 0) await loader.trx.insertInto('invite_projects').values(grants).execute();
    }
  },

  async function adminKeys(loader, spec, organization) {
    const now = nowSeconds();
    for (const [index, key] of (spec.admin_keys ?? []).entries()) {
      const path = [...organization.path, 'admin_keys', index];
      const owner = loader.member(organization, key.owner, [...path, 'owner']);
      loader.claimKeyValue(key.value, [...path, 'value']);
      loader.keys.push({ organization_id: organization.id, organization_name: organization.name, name: key.name, value: key.value });
      await loader.trx
        .insertInto('admin_api_keys')
        .values({
          id: loader.id(key.id, 'key_', [...path, 'id']),
          organization_id: organization.id,
          owner_user_id: owner,
          name: key.name,
          secret_hash: hashSecret(key.value),
          redacted_value: redactSecret(key.value),
          created_at: now,
          expires_at: key.expires_in_seconds === undefined ? null : now + key.expires_in_seconds,
          last_used_at: null,
        })
        .execute();
    }
  },

  async function serviceAccounts(loader, _spec, organization) {
    const now = nowSeconds();
    for (const project of organization.projects) {
      for (const [index, account] of (project.spec.service_accounts ?? []).entries()) {
        const path = [...project.path, 'service_accounts', index];
        if (project.archived) loader.fail(path, `project '${project.name}' is archived: it has no service accounts`);
        const id = loader.id(account.id, 'svc_acct_', [...path, 'id']);
        await insertServiceAccount(loader.trx, organization.id, project.id, { id, name: account.name, role: account.role ?? 'member', created_at: now });
        const key = account.api_key ?? {};
        await loader.projectKey(organization, project, { type: 'service_account', id, name: account.name }, {
          owner: { serviceAccountId: id },
          name: key.name ?? 'Secret Key',
          scopes: [],
          expiresInSeconds: key.expires_in_seconds,
          value: key.value,
          id: loader.id(key.id, 'key_', [...path, 'api_key', 'id']),
        }, [...path, 'api_key', 'value']);
      }
    }
  },

  async function projectKeys(loader, _spec, organization) {
    for (const project of organization.projects) {
      for (const [index, key] of (project.spec.api_keys ?? []).entries()) {
        const path = [...project.path, 'api_keys', index];
        if (project.archived) loader.fail(path, `project '${project.name}' is archived: it takes no new keys`);
        const userId = loader.member(organization, key.owner, [...path, 'owner']);
        if (!project.members.has(userId)) loader.fail([...path, 'owner'], `'${key.owner}' is not a member of project '${project.name}'`);
        await loader.projectKey(organization, project, { type: 'user', id: userId, email: key.owner.toLowerCase() }, {
          owner: { userId },
          name: key.name,
          scopes: key.scopes ?? [],
          expiresInSeconds: key.expires_in_seconds,
          value: key.value,
          id: loader.id(key.id, 'key_', [...path, 'id']),
        }, [...path, 'value']);
      }
    }
  },
];

/** Seeds a fixture inside one transaction, checking what the API's rules would refuse. */
class FixtureLoader {
  readonly trx: Transaction<Database>;
  readonly #seed: Seed;
  /** Everyone mentioned so far, by email; a later mention may still rename them. */
  readonly #people = new Map<string, { id: string; email: string; name: string | null; created_at: number }>();
  readonly #ids = new Set<string>();
  readonly keys: SeededKey[] = [];
  readonly projectKeys: SeededProjectKey[] = [];
  readonly #keyValues = new Set<string>();

  constructor(trx: Transaction<Database>, seed: Seed) {
    this.trx = trx;
    this.#seed = seed;
  }

  fail(path: Path, reason: string): never {
    throw new FixtureError(`${this.#seed.where(path)}: ${reason}`);
  }

  async load(fixture: Fixture): Promise<void> {
    for (const [index, person] of (fixture.people ?? []).entries()) {
      const email = person.email.toLowerCase();
      if (this.#people.has(email)) this.fail(['people', index, 'email'], `'${email}' is listed twice`);
      this.person(email, person.name, person.id, ['people', index]);
    }
    for (const [index, spec] of fixture.organizations.entries()) {
      const path = ['organizations', index];
      const id = this.id(spec.id, 'org-', [...path, 'id']);
      await this.trx.insertInto('organizations').values({ id, name: spec.name, created_at: nowSeconds() }).execute();
      const organization: Organization = { id, name: spec.name, path, members: new Map(), projects: [], roles: new Map() };
      for (const section of SECTIONS) await section(this, spec, organization);
    }
    await this.insertMany('users', [...this.#people.values()]);
  }

  /** A given id (checked to be unused) or a new one. */
  id(given: string | undefined, prefix: string, path: Path): string {
    if (given === undefined) return newId(prefix);
    if (this.#ids.has(given)) this.fail(path, `the id '${given}' is used twice`);
    this.#ids.add(given);
    return given;
  }

  /**
   * The person with this email: made on first mention, by `people` or a member entry, and written
   * with everyone else at the end (one statement per thousand people, not one per person).
   */
  person(email: string, name: string | null | undefined, id: string | undefined, path: Path): string {
    const known = this.#people.get(email);
    if (known !== undefined) {
      if (id !== undefined && id !== known.id) this.fail([...path, 'id'], `'${email}' already has the id '${known.id}'`);
      if (name !== undefined) known.name = name;
      return known.id;
    }
    const person = { id: this.id(id, 'user-', [...path, 'id']), email, name: name ?? null, created_at: nowSeconds() };
    this.#people.set(email, person);
    return person.id;
  }


  /** Every key value the fixture declares must be its own (keys are found by their value's digest). */
  claimKeyValue(value: string, path: Path): void {
    if (this.#keyValues.has(value)) this.fail(path, 'another key of this fixture has this value');
    this.#keyValues.add(value);
  }

  /** Writes a project key through the project-key service, and keeps its clear value for the caller. */
  async projectKey(organization: Organization, project: SeededProject, owner: SeededProjectKey['owner'], key: NewKeyFor, valuePath: Path): Promise<void> {
    if (key.value !== undefined) this.claimKeyValue(key.value, valuePath);
    const created = await insertProjectKey(this.trx, organization.id, project.id, key);
    this.projectKeys.push({
      id: created.id,
      name: created.name,
      value: created.value,
      organization_id: organization.id,
      project_id: project.id,
      project_name: project.name,
      owner,
      expires_at: created.expires_at,
    });
  }

  /**
   * Gives a group a role of the scope, named as the fixture may name it: a custom role the fixture
   * declared, a predefined role (`owner`), or any role id of the scope.
   */
  async grantGroupRole(organization: Organization, scope: RoleScope, groupId: string, reference: string, path: Path): Promise<void> {
    const custom = organization.roles.get(scope.project?.id ?? '')?.get(reference);
    const predefined = predefinedRoleNames(scope.resourceType).find((name) => name === reference);
    const roleId = custom ?? (predefined && predefinedRoleId(scope.resourceType, predefined, scope.resourceId)) ?? reference;
    const found: FoundRole | undefined = await findRoleInScope(this.trx, scope, roleId);
    if (!found) this.fail(path, `no role '${reference}' in this ${scope.project ? 'project' : 'organization'}`);
    await insertGroupRole(this.trx, scope, groupId, found, null);
  }

  async insertMany<T extends keyof Database>(table: T, rows: Insertable<Database[T]>[]): Promise<void> {
    for (let start = 0; start < rows.length; start += BULK_ROWS) {
      await this.trx.insertInto(table).values(rows.slice(start, start + BULK_ROWS) as never).execute();
    }
  }

  member(organization: Organization, email: string, path: Path): string {
    const userId = organization.members.get(email.toLowerCase());
    if (userId === undefined) this.fail(path, `'${email}' is not a member of this organization`);
    return userId;
  }

  project(organization: Organization, nameOrId: string, path: Path) {
    const project = organization.projects.find((p) => p.id === nameOrId || p.name === nameOrId);
    if (!project) this.fail(path, `no project named '${nameOrId}' in this organization`);
    return project;
  }

  async customRoles(organization: Organization, scope: string, roles: FixtureRole[], path: Path): Promise<void> {
    const byName = new Map<string, string>();
    organization.roles.set(scope, byName);
    const now = nowSeconds();
    for (const [index, role] of roles.entries()) {
      if (byName.has(role.name)) this.fail([...path, index, 'name'], `two roles are named '${role.name}'`);
      const unknown = role.permissions.findIndex((permission) => !isPermission(permission));
      if (unknown >= 0) this.fail([...path, index, 'permissions', unknown], `unknown permission '${role.permissions[unknown]}'`);
      const id = this.id(role.id, 'role_', [...path, index, 'id']);
      byName.set(role.name, id);
      await this.trx
        .insertInto('roles')
        .values({
          id,
          organization_id: organization.id,
          project_id: scope || null,
          name: role.name,
          description: role.description ?? null,
          permissions: JSON.stringify(role.permissions),
          created_at: now,
          updated_at: now,
          created_by: null,
        })
        .execute();
    }
  }

  async assign(organization: Organization, scope: string, userId: string, roleNames: string[], path: Path): Promise<void> {
    const byName = organization.roles.get(scope)!;
    for (const [index, name] of roleNames.entries()) {
      const roleId = byName.get(name);
      if (roleId === undefined) this.fail([...path, index], `no custom role named '${name}' ${scope ? 'in this project' : 'in this organization'}`);
      await this.trx
        .insertInto('user_role_assignments')
        .values({ role_id: roleId, user_id: userId, organization_id: organization.id, project_id: scope || null, created_at: nowSeconds(), created_by: null })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }
}
