/**
 * Predefined roles have ids built from their name and scope, e.g.
 * `role-api-organization-owner__api-organization__<org id>`. The short form without the scope
 * (`role-api-organization-owner`) is accepted on input; the scoped form is what roster returns.
 */
export const ORGANIZATION_ROLES = ['owner', 'reader'] as const;
export type OrganizationRoleName = (typeof ORGANIZATION_ROLES)[number];

export function organizationRoleId(name: OrganizationRoleName, organizationId: string): string {
  return `role-api-organization-${name}__api-organization__${organizationId}`;
}

/** The predefined organization role an id names within this organization, if any. */
export function predefinedOrganizationRole(roleId: string, organizationId: string): OrganizationRoleName | undefined {
  return ORGANIZATION_ROLES.find(
    (name) => roleId === `role-api-organization-${name}` || roleId === organizationRoleId(name, organizationId),
  );
}
