import { Type, type TObject, type TProperties } from 'typebox';
import type { Db } from '../../db/schema.ts';
import type { Principal } from '../../http/auth.ts';
import { recordAuditEvent } from '../audit-logs/record.ts';
import { auditProject, lockActiveProject, requireProject } from '../projects/service.ts';

/**
 * Most policy settings exist twice, for the organization (`/organization/...`) and for each of its
 * projects (`/organization/projects/{project_id}/...`). A scope says which one a request is about,
 * so each resource is written once for both.
 */
export interface PolicyScope {
  organizationId: string;
  /** The organization's id or the project's: the key of settings held at both levels. */
  scopeId: string;
  /** Null for the organization; the project otherwise, for its audit events. */
  project: { id: string; name: string } | null;
}

export type Level = 'organization' | 'project';

/** What a request names: the caller's organization and, on project routes, the project. */
export interface ScopeRef {
  organizationId: string;
  projectId?: string;
}

export function scopeRef(principal: Principal, params: unknown): ScopeRef {
  return { organizationId: principal.organizationId, projectId: (params as { project_id?: string } | undefined)?.project_id };
}

/** How one level is addressed: its path prefix and the path parameters it brings. */
export interface LevelRoutes {
  level: Level;
  prefix: string;
  /** The level's path parameters plus `extra`, or undefined when there are none. */
  params(extra?: TProperties): TObject | undefined;
}

const ProjectId = Type.String({ description: 'The id of the project.' });

export const LEVELS: Record<Level, LevelRoutes> = {
  organization: {
    level: 'organization',
    prefix: '/organization',
    params: (extra) => (extra ? Type.Object(extra) : undefined),
  },
  project: {
    level: 'project',
    prefix: '/organization/projects/:project_id',
    params: (extra) => Type.Object({ project_id: ProjectId, ...extra }),
  },
};

function organizationScope(organizationId: string): PolicyScope {
  return { organizationId, scopeId: organizationId, project: null };
}

/** The scope to read; an unknown project, or another organization's, is a 404. */
export async function readableScope(db: Db, ref: ScopeRef): Promise<PolicyScope> {
  if (ref.projectId === undefined) return organizationScope(ref.organizationId);
  const project = await requireProject(db, ref.organizationId, ref.projectId);
  return { organizationId: ref.organizationId, scopeId: project.id, project: auditProject(project) };
}

/**
 * The scope to change, inside the change's transaction. A project is locked for the rest of it
 * and must be active: archived projects are read-only for their policy as for everything else.
 */
export async function writableScope(trx: Db, ref: ScopeRef): Promise<PolicyScope> {
  if (ref.projectId === undefined) return organizationScope(ref.organizationId);
  const project = await lockActiveProject(trx, ref.organizationId, ref.projectId);
  return { organizationId: ref.organizationId, scopeId: project.id, project: auditProject(project) };
}

/**
 * Records a change to a setting the reference has no event type of its own for: as
 * `organization.updated` or `project.updated`, naming the setting in `changes_requested`.
 */
export async function recordSettingChange(trx: Db, principal: Principal, scope: PolicyScope, changes: Record<string, unknown>): Promise<void> {
  await recordAuditEvent(trx, principal, {
    type: scope.project ? 'project.updated' : 'organization.updated',
    resourceId: scope.scopeId,
    details: { changes_requested: changes },
    project: scope.project,
  });
}
