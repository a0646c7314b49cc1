import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import type { Caller } from '../../http/auth.ts';
import { cachedPolicies, cachedProjectKeys } from '../../http/key-cache.ts';
import { hashSecret } from '../../lib/secrets.ts';
import { nowSeconds } from '../../lib/time.ts';
import { predefinedRole, type OrganizationRoleName, type ProjectRoleName } from '../../api/roles/predefined.ts';
import { organizationScope, scopeOfProject } from '../../api/roles/scope.ts';
import { effectiveRoles } from '../../api/role-assignments/effective.ts';
import { effectivePolicy } from '../../api/policy/service.ts';
import type { ModelCatalogue } from '../../api/rate-limits/catalogue.ts';
import * as keys from './repository.ts';
import type { InactiveReason, KeyCheck } from './schemas.ts';

/** `last_used_at` is written at most once a minute per key, as for admin keys. */
const LAST_USED_RESOLUTION_SECONDS = 60;

/** Who a key acts for, and the roles that make up what they may do in the key's project. */
export type KeyHolder =
  | {
      type: 'user';
      userId: string;
      organizationId: string;
      projectId: string;
      organizationRole: OrganizationRoleName;
      projectRole: ProjectRoleName;
    }
  | { type: 'service_account'; projectRole: ProjectRoleName };

/**
 * Everything `holder` may do in the key's project: the union of the permissions of every role
 * they hold there. A person's roles are their effective roles in the organization and in the
 * project (predefined, custom, and those their groups hold), as the role-assignment lists show
 * them. This is the one place that computes it.
 */
export async function effectivePermissions(db: Db, holder: KeyHolder): Promise<string[]> {
  if (holder.type === 'service_account') return [...(predefinedRole('api.project', holder.projectRole)?.permissions ?? [])].sort();
  const { organizationId, projectId, userId } = holder;
  const [inOrganization, inProject] = await Promise.all([
    effectiveRoles(db, organizationScope(organizationId), userId, holder.organizationRole),
    // The scope's project name only labels audit events; nothing is recorded here.
    effectiveRoles(db, scopeOfProject(organizationId, { id: projectId, name: '' }), userId, holder.projectRole),
  ]);
  return [...new Set([...inOrganization, ...inProject].flatMap(({ found }) => found.role.permissions))].sort();
}

/**
 * A key's scopes narrow its owner's permissions: an empty list keeps them all, `api.all.read`
 * keeps every read permission, any other scope keeps itself.
 */
export function narrowToScopes(permissions: string[], scopes: string[]): string[] {
  if (scopes.length === 0) return permissions;
  const readAll = scopes.includes('api.all.read');
  return permissions.filter((permission) => scopes.includes(permission) || (readAll && permission.endsWith('.read')));
}

/** What the cache keeps for a key: the stored row and, when its owner has access, what it grants. */
interface ResolvedKey {
  row: keys.CheckedKeyRow;
  owner: NonNullable<KeyCheck['owner']> | null;
  scopes: string[];
  permissions: string[];
}

function ownerOf(row: keys.CheckedKeyRow): { owner: ResolvedKey['owner']; holder: KeyHolder | null } {
  if (row.owner_service_account_id !== null) {
    const role = row.service_account_role;
    if (role === null || role === 'none') return { owner: null, holder: null };
    return {
      owner: { type: 'service_account', id: row.owner_service_account_id, name: row.service_account_name, email: null, role },
      holder: { type: 'service_account', projectRole: role },
    };
  }
  if (row.user_project_role === null || row.user_organization_role === null) return { owner: null, holder: null };
  const projectRole = row.user_project_role as ProjectRoleName;
  return {
    owner: { type: 'user', id: row.owner_user_id!, name: row.user_name, email: row.user_email, role: projectRole },
    holder: {
      type: 'user',
      userId: row.owner_user_id!,
      organizationId: row.organization_id,
      projectId: row.project_id,
      organizationRole: row.user_organization_role,
      projectRole,
    },
  };
}

async function resolveKey(db: Db, presented: string): Promise<ResolvedKey | undefined> {
  const row = await keys.findKeyByHash(db, hashSecret(presented));
  if (!row) return undefined;
  const scopes = JSON.parse(row.scopes) as string[];
  const { owner, holder } = ownerOf(row);
  const permissions = holder && row.deleted_at === null ? narrowToScopes(await effectivePermissions(db, holder), scopes) : [];
  return { row, owner, scopes, permissions };
}

function inactive(reason: InactiveReason, row?: keys.CheckedKeyRow): KeyCheck {
  return {
    object: 'roster.key_check',
    active: false,
    reason,
    key_id: row?.id ?? null,
    organization_id: row?.organization_id ?? null,
    project_id: row?.project_id ?? null,
    owner: null,
    expires_at: row?.expires_at ?? null,
    scopes: [],
    permissions: [],
    policy: null,
  };
}

/**
 * Whether `presented` is an active project key, what it grants, and its project's policy (for
 * `model`, when named). Keys and policies are cached for at most half a second
 * (src/http/key-cache.ts), so a key revoked or a setting changed through any instance is seen by
 * all of them within that; expiry is checked against the clock on every call. An admin key only
 * sees its own organization's keys; the gateway token sees every organization's.
 */
export async function checkKey(
  db: Kysely<Database>,
  caller: Caller,
  request: { key: string; model?: string },
  catalogue: ModelCatalogue,
): Promise<KeyCheck> {
  const presented = request.key;
  const resolved = await cachedProjectKeys(db).lookup(presented, () => resolveKey(db, presented));
  if (!resolved) return inactive('unknown');
  const { row, owner, scopes, permissions } = resolved;
  if (caller.kind === 'admin_key' && row.organization_id !== caller.principal.organizationId) return inactive('unknown');

  const now = nowSeconds();
  if (row.deleted_at !== null) return inactive('deleted', row);
  if (row.project_status === 'archived') return inactive('project_archived', row);
  if (row.expires_at !== null && row.expires_at <= now) return inactive('expired', row);
  if (owner === null) return inactive('owner_not_in_project', row);

  if (row.last_used_at === null || now - row.last_used_at >= LAST_USED_RESOLUTION_SECONDS) {
    await keys.recordKeyUse(db, row.id, now);
    row.last_used_at = now; // the row is cached: later checks must not record the use again
  }
  const { model } = request;
  const policy = (await cachedPolicies(db).lookup(`${row.project_id}\n${model ?? ''}`, () =>
    effectivePolicy(db, row.organization_id, row.project_id, model, catalogue),
  ))!;
  return {
    object: 'roster.key_check',
    active: true,
    reason: null,
    key_id: row.id,
    organization_id: row.organization_id,
    project_id: row.project_id,
    owner,
    expires_at: row.expires_at,
    scopes,
    permissions,
    policy,
  };
}
