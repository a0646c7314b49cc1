import type OpenAI from 'openai';
import type { NextCursorPage, PagePromise } from 'openai/core/pagination';
import type { Role, RoleUpdateParams } from 'openai/resources/admin/organization/roles';
import type { RoleCreateResponse, RoleDeleteResponse, RoleListResponse } from 'openai/resources/admin/organization/users/roles';
import { createProject } from './fixtures.ts';
import type { TestRoster } from './roster.ts';

/**
 * The roles users hold in one scope (the organization, or a project) driven through the SDK, with
 * the legacy `role` field of the same membership beside it, so one test body covers both scopes.
 */
export interface Holdings {
  noun: 'organization' | 'project';
  organizationId: string;
  resourceId: string;
  resourceType: 'api.organization' | 'api.project';
  /** The predefined role a new member holds, and the other predefined roles of the scope. */
  baseline: string;
  others: string[];
  /** The other predefined roles `setLegacyRole` can name: a project's legacy `role` has no viewer. */
  legacyOthers: string[];
  list(userId: string, query?: { limit?: number; order?: 'asc' | 'desc' }): PagePromise<NextCursorPage<RoleListResponse>, RoleListResponse>;
  assign(userId: string, roleId: string): Promise<RoleCreateResponse>;
  retrieve(userId: string, roleId: string): Promise<RoleListResponse>;
  unassign(userId: string, roleId: string): Promise<RoleDeleteResponse>;
  createRole(name: string): Promise<Role>;
  updateRole(roleId: string, body: RoleUpdateParams): Promise<Role>;
  deleteRole(roleId: string): Promise<unknown>;
  predefinedId(name: string): string;
  /** A new member of the scope, holding the baseline role; returns their user id. */
  newMember(): Promise<string>;
  legacyRole(userId: string): Promise<string | null | undefined>;
  setLegacyRole(userId: string, role: string): Promise<void>;
  /** Ends the membership. */
  removeMember(userId: string): Promise<void>;
}

let members = 0;

async function addOrganizationMember(roster: TestRoster, sdk: OpenAI): Promise<string> {
  const email = `holder-${++members}@example.com`;
  await roster.addMembers([{ email, name: `Holder ${members}` }]);
  return (await sdk.admin.organization.users.list({ emails: [email] })).data[0]!.id;
}

export function organizationHoldings(roster: TestRoster, sdk: OpenAI = roster.client()): Holdings {
  const organizationId = roster.org.organizationId;
  const roles = sdk.admin.organization.users.roles;
  return {
    noun: 'organization',
    organizationId,
    resourceId: organizationId,
    resourceType: 'api.organization',
    baseline: 'reader',
    others: ['owner'],
    legacyOthers: ['owner'],
    list: (userId, query) => roles.list(userId, query),
    assign: (userId, roleId) => roles.create(userId, { role_id: roleId }),
    retrieve: (userId, roleId) => roles.retrieve(roleId, { user_id: userId }),
    unassign: (userId, roleId) => roles.delete(roleId, { user_id: userId }),
    createRole: (name) => sdk.admin.organization.roles.create({ role_name: name, permissions: ['api.usage.read'] }),
    updateRole: (roleId, body) => sdk.admin.organization.roles.update(roleId, body),
    deleteRole: (roleId) => sdk.admin.organization.roles.delete(roleId),
    predefinedId: (name) => `role-api-organization-${name}__api-organization__${organizationId}`,
    newMember: () => addOrganizationMember(roster, sdk),
    legacyRole: async (userId) => (await sdk.admin.organization.users.retrieve(userId)).role,
    setLegacyRole: async (userId, role) => void (await sdk.admin.organization.users.update(userId, { role: role as 'owner' | 'reader' })),
    removeMember: async (userId) => void (await sdk.admin.organization.users.delete(userId)),
  };
}

/** The roles held in a new project of the test organization. */
export async function projectHoldings(roster: TestRoster, sdk: OpenAI = roster.client()): Promise<Holdings> {
  const organizationId = roster.org.organizationId;
  const projectId = await createProject(sdk, `Project ${++members}`);
  const seats = sdk.admin.organization.projects.users;
  const roles = seats.roles;
  return {
    noun: 'project',
    organizationId,
    resourceId: projectId,
    resourceType: 'api.project',
    baseline: 'member',
    others: ['owner', 'viewer'],
    legacyOthers: ['owner'],
    list: (userId, query) => roles.list(userId, { project_id: projectId, ...query }),
    assign: (userId, roleId) => roles.create(userId, { project_id: projectId, role_id: roleId }),
    retrieve: (userId, roleId) => roles.retrieve(roleId, { project_id: projectId, user_id: userId }),
    unassign: (userId, roleId) => roles.delete(roleId, { project_id: projectId, user_id: userId }),
    createRole: (name) => sdk.admin.organization.projects.roles.create(projectId, { role_name: name, permissions: ['api.model.request'] }),
    updateRole: (roleId, body) => sdk.admin.organization.projects.roles.update(roleId, { project_id: projectId, ...body }),
    deleteRole: (roleId) => sdk.admin.organization.projects.roles.delete(roleId, { project_id: projectId }),
    predefinedId: (name) => `role-api-project-${name}__api-project__${projectId}`,
    async newMember() {
      const userId = await addOrganizationMember(roster, sdk);
      await seats.create(projectId, { user_id: userId, role: 'member' });
      return userId;
    },
    legacyRole: async (userId) => (await seats.retrieve(userId, { project_id: projectId })).role,
    setLegacyRole: async (userId, role) => void (await seats.update(userId, { project_id: projectId, role: role as 'owner' | 'member' })),
    removeMember: async (userId) => void (await seats.delete(userId, { project_id: projectId })),
  };
}
