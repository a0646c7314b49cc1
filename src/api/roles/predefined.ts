import type { Permission } from './permissions.ts';

/**
 * Every organization has the predefined roles `owner` and `reader`, every project `owner`,
 * `member` and `viewer`. They have no rows: their ids are built from name and scope, e.g.
 * `role-api-organization-owner__api-organization__<org id>` or
 * `role-api-project-member__api-project__<project id>`. The short form without the scope
 * (`role-api-project-member`) is accepted on input; the scoped form is what roster returns.
 */
export type ResourceType = 'api.organization' | 'api.project';

export const ORGANIZATION_ROLES = ['owner', 'reader'] as const;
export type OrganizationRoleName = (typeof ORGANIZATION_ROLES)[number];
export const PROJECT_ROLES = ['owner', 'member', 'viewer'] as const;
export type ProjectRoleName = (typeof PROJECT_ROLES)[number];
export type PredefinedRoleName = OrganizationRoleName | ProjectRoleName;

interface PredefinedRole {
  description: string;
  permissions: readonly Permission[];
}

// Permissions follow the coverage of OpenAI's RBAC guide (BEHAVIOR.md §3.1), expressed with the
// strings of roster's catalogue: owners hold everything in their scope, readers and viewers read.
const PROJECT_DATA: readonly Permission[] = ['api.model.read', 'api.model.request', 'api.files.read', 'api.responses.write'];

const ORGANIZATION: Record<OrganizationRoleName, PredefinedRole> = {
  owner: {
    description: 'Full control of the organization: members, projects, billing and administration.',
    permissions: [
      'api.organization.read',
      'api.management.read',
      'api.management.write',
      'api.audit_logs.read',
      'api.usage.read',
      'api.groups.read',
      'api.groups.write',
      'api.project.read',
      'api.organization.projects.api_keys.read',
      'api.organization.projects.api_keys.write',
      'api.all.read',
      ...PROJECT_DATA,
    ],
  },
  reader: {
    description: 'Uses the API and reads basic information about the organization.',
    permissions: ['api.organization.read', 'api.groups.read', 'api.project.read', ...PROJECT_DATA],
  },
};

const PROJECT: Record<ProjectRoleName, PredefinedRole> = {
  owner: {
    description: 'Manages the project, its members, service accounts and API keys, and uses it.',
    permissions: [
      'api.project.read',
      'api.groups.read',
      'api.groups.write',
      'api.organization.projects.api_keys.read',
      'api.organization.projects.api_keys.write',
      ...PROJECT_DATA,
    ],
  },
  member: {
    description: 'Uses the project: makes model requests and reads and writes its data.',
    permissions: ['api.project.read', 'api.groups.read', 'api.groups.write', ...PROJECT_DATA],
  },
  viewer: {
    description: 'Reads the project without making model requests or changing anything.',
    permissions: ['api.project.read', 'api.groups.read', 'api.model.read', 'api.files.read'],
  },
};

const DEFINITIONS: Record<ResourceType, Partial<Record<PredefinedRoleName, PredefinedRole>>> = {
  'api.organization': ORGANIZATION,
  'api.project': PROJECT,
};

/** `api.project` → `api-project`, the form used inside role ids. */
function slug(resourceType: ResourceType): string {
  return resourceType.replace('.', '-');
}

export function predefinedRoleNames(resourceType: ResourceType): readonly PredefinedRoleName[] {
  return resourceType === 'api.organization' ? ORGANIZATION_ROLES : PROJECT_ROLES;
}

export function predefinedRole(resourceType: ResourceType, name: PredefinedRoleName): PredefinedRole | undefined {
  return DEFINITIONS[resourceType][name];
}

export function predefinedRoleId(resourceType: ResourceType, name: PredefinedRoleName, resourceId: string): string {
  return `role-${slug(resourceType)}-${name}__${slug(resourceType)}__${resourceId}`;
}

/** The predefined role an id names within this organization or project, if any. */
export function predefinedRoleName(resourceType: ResourceType, roleId: string, resourceId: string): PredefinedRoleName | undefined {
  return predefinedRoleNames(resourceType).find(
    (name) => roleId === `role-${slug(resourceType)}-${name}` || roleId === predefinedRoleId(resourceType, name, resourceId),
  );
}

/** Whether an id has the shape of a predefined role of this kind, for any organization or project. */
export function looksPredefined(resourceType: ResourceType, roleId: string): boolean {
  return roleId.startsWith(`role-${slug(resourceType)}-`);
}

