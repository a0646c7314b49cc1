import type { Generated, Kysely, Transaction } from 'kysely';

/**
 * Row types of every table. Columns are snake_case and timestamps are Unix seconds, as on the
 * wire; booleans are stored as 0/1 integers so the same rows read alike on SQLite and PostgreSQL.
 * Every tenant-owned row carries `organization_id`: queries always filter on it, so one
 * organization's key can never reach another's data.
 */
export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: number;
}

/** A person, shared by the organizations they belong to. Emails are stored lower-cased. */
export interface UsersTable {
  id: string;
  email: string;
  name: string | null;
  created_at: number;
}

/** Membership of a user in an organization: what the API calls an organization user. */
export interface OrganizationUsersTable {
  organization_id: string;
  user_id: string;
  role: 'owner' | 'reader';
  added_at: number;
  technical_level: string | null;
  developer_persona: string | null;
  is_default: Generated<number>;
  is_service_account: Generated<number>;
  is_scim_managed: Generated<number>;
  api_key_last_used_at: number | null;
}

export interface AdminApiKeysTable {
  id: string;
  organization_id: string;
  owner_user_id: string;
  name: string;
  /** SHA-256 of the key; the clear value is never stored. */
  secret_hash: string;
  redacted_value: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
}

/** Append-only record of every change, written in the same transaction as the change. */
export interface AuditLogsTable {
  id: string;
  organization_id: string;
  type: string;
  effective_at: number;
  project_id: string | null;
  project_name: string | null;
  /** The acting user; `actor_key_id` is the admin key they used. */
  actor_id: string | null;
  actor_key_id: string | null;
  actor_email: string | null;
  /** JSON of the OpenAI `actor` object. */
  actor: string;
  /** Where the request came from; kept even where the OpenAI actor object has no field for it. */
  ip_address: string | null;
  user_agent: string | null;
  resource_id: string | null;
  /** JSON of the event's details, served under a key named after the event type. */
  details: string;
}

export interface ProjectsTable {
  id: string;
  organization_id: string;
  name: string;
  created_at: number;
  archived_at: number | null;
  status: Generated<'active' | 'archived'>;
  /** The project every organization is created with; it cannot be archived or renamed. */
  is_default: Generated<number>;
  external_key_id: string | null;
  residency: string | null;
}

/** Membership of an organization user in a project. */
export interface ProjectUsersTable {
  project_id: string;
  organization_id: string;
  user_id: string;
  /** The member's predefined project role: `owner`, `member` or `viewer`. */
  role: string;
  added_at: number;
}

export interface InvitesTable {
  id: string;
  organization_id: string;
  /** Lower-cased, like users.email. */
  email: string;
  role: 'owner' | 'reader';
  /** Stored `pending` until accepted; a pending invite past `expires_at` reads as `expired`. */
  status: 'pending' | 'accepted' | 'expired';
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
}

/** The projects an invite grants on acceptance. */
export interface InviteProjectsTable {
  invite_id: string;
  project_id: string;
  role: 'owner' | 'member';
}

/** A custom role of an organization (`project_id` null) or of one of its projects. */
export interface RolesTable {
  id: string;
  organization_id: string;
  project_id: string | null;
  name: string;
  description: string | null;
  /** JSON array of permission strings. */
  permissions: string;
  created_at: number;
  updated_at: number;
  created_by: string | null;
}

/** A custom role held by a member; predefined roles live in the membership's `role` column. */
export interface UserRoleAssignmentsTable {
  role_id: string;
  user_id: string;
  organization_id: string;
  project_id: string | null;
  created_at: number;
  created_by: string | null;
}

/** A group of organization members; `name_key` is the name lower-cased, unique per organization. */
export interface GroupsTable {
  id: string;
  organization_id: string;
  name: string;
  name_key: string;
  created_at: number;
  is_scim_managed: Generated<number>;
}

/** Membership of an organization user in a group. */
export interface GroupUsersTable {
  group_id: string;
  organization_id: string;
  user_id: string;
  added_at: number;
}

/** A group seated in a project: its members reach the project through the roles it holds there. */
export interface ProjectGroupsTable {
  project_id: string;
  group_id: string;
  organization_id: string;
  created_at: number;
}

/**
 * A role held by a group, in the organization (`project_id` null) or in a project it is seated in.
 * Groups hold predefined roles as rows too (`role_id` is the scoped id, `custom_role_id` null).
 */
export interface GroupRoleAssignmentsTable {
  group_id: string;
  role_id: string;
  custom_role_id: string | null;
  organization_id: string;
  project_id: string | null;
  created_at: number;
  created_by: string | null;
}

/** A service account of a project: a non-person owner of project API keys. */
export interface ServiceAccountsTable {
  id: string;
  organization_id: string;
  project_id: string;
  name: string;
  /** `none` for an account created with `create_service_account_only`: it holds no project role. */
  role: 'owner' | 'member' | 'none';
  created_at: number;
}

/** A key that calls models in one project, owned by a person or by a service account. */
export interface ProjectApiKeysTable {
  id: string;
  organization_id: string;
  project_id: string;
  owner_user_id: string | null;
  owner_service_account_id: string | null;
  name: string;
  /** SHA-256 of the key; the clear value is never stored. */
  secret_hash: string;
  redacted_value: string;
  /** JSON array of scope strings; empty means the owner's full access. */
  scopes: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  /** Set when the key is deleted; the row stays so the key check can answer `deleted`. */
  deleted_at: number | null;
}

/** Credentials outside every organization: the operator's key and the gateways' token. */
export interface PlatformCredentialsTable {
  kind: 'operator' | 'gateway';
  secret_hash: string;
  created_at: number;
}

/** An uploaded X.509 certificate; `active` is its activation for the organization itself. */
export interface CertificatesTable {
  id: string;
  organization_id: string;
  name: string | null;
  content: string;
  fingerprint: string;
  valid_at: number;
  expires_at: number;
  created_at: number;
  active: Generated<number>;
}

/** A certificate of the organization activated for one of its projects. */
export interface ProjectCertificatesTable {
  project_id: string;
  certificate_id: string;
  organization_id: string;
  activated_at: number;
}

/**
 * Policy settings that exist for the organization and for each project are keyed by `scope_id`:
 * the organization's id, or the project's (then `project_id` is set too).
 */
export interface DataRetentionTable {
  scope_id: string;
  organization_id: string;
  project_id: string | null;
  retention_type: string;
  updated_at: number;
}

export interface SpendLimitsTable {
  scope_id: string;
  organization_id: string;
  project_id: string | null;
  threshold_amount: number;
  currency: string;
  interval: string;
  updated_at: number;
}

export interface SpendAlertsTable {
  id: string;
  organization_id: string;
  scope_id: string;
  project_id: string | null;
  threshold_amount: number;
  currency: string;
  interval: string;
  /** JSON of the notification channel. */
  notification_channel: string;
  created_at: number;
}

export interface ModelPermissionsTable {
  project_id: string;
  organization_id: string;
  mode: 'allow_list' | 'deny_list';
  /** JSON array of model ids. */
  model_ids: string;
  updated_at: number;
}

export interface HostedToolPermissionsTable {
  project_id: string;
  organization_id: string;
  /** JSON object of tool name → enabled. */
  tools: string;
  updated_at: number;
}

/** A project's changes to the model catalogue's default rate limits for one model. */
export interface ProjectRateLimitsTable {
  project_id: string;
  model: string;
  organization_id: string;
  /** JSON object of limit field → value. */
  limits: string;
  updated_at: number;
}

/** Where an organization wants its audit events pushed. */
export interface WebhookEndpointsTable {
  id: string;
  organization_id: string;
  url: string;
  description: string | null;
  /** JSON array of the event types sent, or null for every type. */
  event_types: string | null;
  /** The signing secret (`whsec_…`); stored in clear because every delivery is signed with it. */
  secret: string;
  status: 'enabled' | 'disabled';
  disabled_reason: string | null;
  created_at: number;
  updated_at: number;
}

/** One audit event to send to one endpoint: queued in the event's transaction. */
export interface WebhookDeliveriesTable {
  id: string;
  organization_id: string;
  endpoint_id: string;
  audit_log_id: string;
  status: 'pending' | 'delivered' | 'failed';
  attempt_count: Generated<number>;
  /** Milliseconds: when the next attempt is due. */
  next_attempt_at_ms: number;
  /** Milliseconds: until when a worker holds the delivery; null when none does. */
  lease_expires_at_ms: number | null;
  /** Milliseconds of the first attempt since the delivery was queued or re-sent. */
  first_attempt_at_ms: number | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

export interface WebhookAttemptsTable {
  id: string;
  endpoint_id: string;
  delivery_id: string;
  attempted_at: number;
  status_code: number | null;
  error: string | null;
  latency_ms: number;
  succeeded: number;
}

export interface Database {
  organizations: OrganizationsTable;
  users: UsersTable;
  organization_users: OrganizationUsersTable;
  admin_api_keys: AdminApiKeysTable;
  audit_logs: AuditLogsTable;
  projects: ProjectsTable;
  project_users: ProjectUsersTable;
  invites: InvitesTable;
  invite_projects: InviteProjectsTable;
  roles: RolesTable;
  user_role_assignments: UserRoleAssignmentsTable;
  groups: GroupsTable;
  group_users: GroupUsersTable;
  project_groups: ProjectGroupsTable;
  group_role_assignments: GroupRoleAssignmentsTable;
  service_accounts: ServiceAccountsTable;
  project_api_keys: ProjectApiKeysTable;
  platform_credentials: PlatformCredentialsTable;
  certificates: CertificatesTable;
  project_certificates: ProjectCertificatesTable;
  data_retention: DataRetentionTable;
  spend_limits: SpendLimitsTable;
  spend_alerts: SpendAlertsTable;
  model_permissions: ModelPermissionsTable;
  hosted_tool_permissions: HostedToolPermissionsTable;
  project_rate_limits: ProjectRateLimitsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}

/** Either the database or an open transaction: data functions accept both. */
export type Db = Kysely<Database> | Transaction<Database>;
