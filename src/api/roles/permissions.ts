/**
 * The permission strings a custom role may grant. OpenAI publishes no list, so this catalogue
 * holds exactly the strings seen in the reference (openai-admin-openapi.yaml) or in the real-world
 * material summarised in BEHAVIOR.md §3.1; each entry says where it comes from. A string outside
 * it is refused, so a typo never silently grants nothing.
 */
export const PERMISSION_CATALOGUE = {
  'api.all.read': 'SDK docs for project API key scopes (projects/api-keys.ts)',
  'api.audit_logs.read': 'scope named in "Missing scopes" errors for audit logs (Splunk add-on docs)',
  'api.files.read': 'SDK docs for project API key scopes (projects/api-keys.ts)',
  'api.groups.read': 'reference: organization role examples',
  'api.groups.write': 'reference: organization role examples',
  'api.management.read': 'admin key scope named in "Missing scopes" errors; 2025-01 Stainless spec',
  'api.management.write': 'admin key scope in the 2025-01 Stainless spec (admin key create/delete)',
  'api.model.read': 'RBAC guide / project key scopes',
  'api.model.request': 'reference: api_key.created audit payload description',
  'api.organization.projects.api_keys.read': 'reference: project role examples',
  'api.organization.projects.api_keys.write': 'reference: project role examples',
  'api.organization.read': 'official Terraform provider examples',
  'api.project.read': 'official Terraform provider examples',
  'api.responses.write': 'reference: service account API key example',
  'api.usage.read': 'scope named in "Missing scopes" errors for usage endpoints',
} as const;

export type Permission = keyof typeof PERMISSION_CATALOGUE;

export const PERMISSIONS = Object.keys(PERMISSION_CATALOGUE) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSION_CATALOGUE, value);
}
