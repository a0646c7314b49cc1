import type { Db } from '../../db/schema.ts';
import { projectArchived, requireProject } from '../projects/service.ts';
import type { ResourceType } from './predefined.ts';

/**
 * Where roles live: the organization itself, or one of its projects. Roles, assignments and their
 * audit events are all described by a scope, so the organization and project routes share code.
 */
export interface RoleScope {
  resourceType: ResourceType;
  organizationId: string;
  /** The organization's id, or the project's. */
  resourceId: string;
  /** Null for the organization; project events are attributed to the project in the audit log. */
  project: { id: string; name: string } | null;
}

export function organizationScope(organizationId: string): RoleScope {
  return { resourceType: 'api.organization', organizationId, resourceId: organizationId, project: null };
}

/** What changes a project: refused once it is archived. */
export type Access = 'read' | 'write';

/**
 * A project of the caller's organization as a scope; an unknown project, or another
 * organization's, is a 404. Archived projects can be read but not changed.
 */
export async function projectScope(db: Db, organizationId: string, projectId: string, access: Access): Promise<RoleScope> {
  const project = await requireProject(db, organizationId, projectId);
  if (access === 'write' && project.status === 'archived') throw projectArchived(projectId, 'project_id');
  return scopeOfProject(organizationId, project);
}

/** A project already read (and checked) as a scope. */
export function scopeOfProject(organizationId: string, project: { id: string; name: string }): RoleScope {
  return { resourceType: 'api.project', organizationId, resourceId: project.id, project: { id: project.id, name: project.name } };
}

/** `organization` or `project`, for messages. */
export function scopeNoun(scope: RoleScope): string {
  return scope.project ? 'project' : 'organization';
}
