/**
 * Every event type the reference knows (its `AuditLogEventType`). The list endpoint accepts these in
 * `event_types[]` and serves whatever type a service recorded; roster itself emits the few that
 * describe its own mutations (see README).
 */
const ORGANIZATION_EVENT_TYPES = [
  'api_key.created', 'api_key.updated', 'api_key.deleted', 'certificate.created', 'certificate.updated',
  'certificate.deleted', 'certificates.activated', 'certificates.deactivated',
  'checkpoint.permission.created', 'checkpoint.permission.deleted', 'external_key.registered',
  'external_key.removed', 'group.created', 'group.updated', 'group.deleted', 'invite.sent',
  'invite.accepted', 'invite.deleted', 'ip_allowlist.created', 'ip_allowlist.updated',
  'ip_allowlist.deleted', 'ip_allowlist.config.activated', 'ip_allowlist.config.deactivated',
  'login.succeeded', 'login.failed', 'logout.succeeded', 'logout.failed', 'organization.updated',
  'project.created', 'project.updated', 'project.archived', 'project.deleted', 'rate_limit.updated',
  'rate_limit.deleted', 'resource.deleted', 'tunnel.created', 'tunnel.updated', 'tunnel.deleted',
  'workload_identity_provider.created', 'workload_identity_provider.updated',
  'workload_identity_provider.deleted', 'workload_identity_provider_mapping.created',
  'workload_identity_provider_mapping.updated', 'workload_identity_provider_mapping.deleted', 'role.created',
  'role.updated', 'role.deleted', 'role.assignment.created', 'role.assignment.deleted',
  'role.bound_to_resource', 'role.unbound_from_resource', 'scim.enabled', 'scim.disabled',
  'service_account.created', 'service_account.updated', 'service_account.deleted', 'user.added',
  'user.updated', 'user.deleted',
];

/** Tenant-wide events, listed only with `tenant_only=true`; the reference names them `tenant.*`. */
const TENANT_EVENT_SUFFIXES = [
  'metadata.updated', 'microsoft_entra_mapping.upserted', 'microsoft_entra_mapping.deleted',
  'workload_identity.provider.created', 'workload_identity.provider.updated',
  'workload_identity.provider.archived', 'workload_identity.mapping.created',
  'workload_identity.mapping.updated', 'workload_identity.mapping.archived',
  'workload_identity.binding.created', 'workload_identity.principal.provisioned',
  'workload_identity.access_token.issued', 'admin_api_key.created', 'admin_api_key.updated',
  'admin_api_key.deleted', 'project_api_key.created', 'chatgpt_access_token.revoked', 'migration.completed',
  'sso.migrated', 'domains.migrated', 'sso_connection.created', 'sso_connection.updated',
  'sso_connection.deleted', 'sso_connection.setup.started', 'policy.created', 'policy.updated',
  'policy.deleted', 'policy.attached', 'policy.detached', 'principal_authentication_policy.resolved',
  'scim.setup.started', 'scim.deletion.requested', 'scim.directory.created', 'product_access_policy.updated',
  'resource_share_grant.created', 'resource_share_grant.updated', 'resource_share_grant.accepted',
  'resource_share_grant.declined', 'resource_share_grant.revoked', 'resource_share_grant.deleted',
  'service_account.updated', 'service_account.deleted', 'service_account.token.revoked',
  'billing.overage_limit.updated', 'billing.alerts.updated', 'billing.info.updated',
  'usage_limit.workspace.updated', 'usage_limit.group.updated', 'usage_limit.user.updated',
  'usage_limit.increase_request.updated', 'usage_limit.increase_request.resolved', 'group.created',
  'group.updated', 'group.deleted', 'group.member.added', 'group.member.removed',
  'migration_rollout.status.updated', 'migration_rollout.tier.updated', 'role.metadata.updated',
  'custom_role.created', 'custom_role.updated', 'custom_role.deleted', 'role_assignment.created',
  'role_assignment.deleted', 'resource_role_assignment.created', 'resource_role_assignment.deleted',
  'resource_access.updated', 'resource_access.deleted', 'ads_account.onboarding.redemption',
  'session_policy.created', 'session_policy.updated', 'session_policy.deleted', 'session_revocation.started',
  'third_party_app_policy.updated', 'user.added', 'user.updated', 'user.removed', 'user.looked_up',
  'user.invited', 'membership.revoked', 'api_organization_invite.upserted',
  'api_organization_invite.deleted', 'chatgpt_workspace_invite.upserted', 'membership.accepted',
  'membership.declined', 'workspace_invite_email_settings.updated',
];

/** Events without the `tenant.` prefix that the reference nevertheless treats as tenant-scoped. */
const TENANT_SCOPED_ORGANIZATION_TYPES = ['role.bound_to_resource', 'role.unbound_from_resource'];

/**
 * Events of roster's own extensions, which the reference does not know. Clients check event types
 * against the reference, so these are listed only when `event_types[]` asks for them.
 */
export const ROSTER_EVENT_TYPES = [
  'roster.webhook.created', 'roster.webhook.updated', 'roster.webhook.secret_rotated', 'roster.webhook.disabled',
  'roster.webhook.deleted',
];

export const AUDIT_EVENT_TYPES: readonly string[] = [
  ...ORGANIZATION_EVENT_TYPES,
  ...TENANT_EVENT_SUFFIXES.map((suffix) => `tenant.${suffix}`),
  ...ROSTER_EVENT_TYPES,
];

export function isTenantScoped(type: string): boolean {
  return type.startsWith('tenant.') || TENANT_SCOPED_ORGANIZATION_TYPES.includes(type);
}

/** Listed as values rather than a `tenant.%` pattern so the type index serves `tenant_only`. */
export const TENANT_SCOPED_TYPES = AUDIT_EVENT_TYPES.filter(isTenantScoped);

/** What a listing without `event_types[]` leaves out on the organization side of the tenant line. */
export const UNLISTED_ORGANIZATION_TYPES = [...TENANT_SCOPED_TYPES, ...ROSTER_EVENT_TYPES];
