import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import type { Principal } from '../../http/auth.ts';
import { ApiError, invalidRequest, notFound } from '../../http/api-error.ts';
import { forgetCachedKeys } from '../../http/key-cache.ts';
import { toPage, type Page } from '../../http/pagination.ts';
import { newId } from '../../lib/ids.ts';
import { nowSeconds } from '../../lib/time.ts';
import { recordAuditEvent } from '../audit-logs/record.ts';
import * as projects from './repository.ts';
import { isTrue, type CreateProjectBody, type ListProjectsQuery, type ModifyProjectBody, type Project } from './schemas.ts';

export function toProject(row: projects.ProjectRow): Project {
  const project: Project = {
    id: row.id,
    object: 'organization.project',
    name: row.name,
    created_at: row.created_at,
    archived_at: row.archived_at,
    status: row.status,
  };
  if (row.external_key_id !== null) project.external_key_id = row.external_key_id;
  if (row.residency !== null) project.residency = row.residency as Project['residency'];
  return project;
}

/** The error every write to an archived project gets; `param` names where the id was given. */
export function projectArchived(projectId: string, param: string | null = null): ApiError {
  return invalidRequest(`Project '${projectId}' is archived. Archived projects are read-only and have no users.`, param, 'project_archived');
}

/** The project, or a 404 naming the id: used by every route that addresses a project. */
export async function requireProject(db: Db, organizationId: string, projectId: string): Promise<projects.ProjectRow> {
  const row = await projects.findProject(db, organizationId, projectId);
  if (!row) throw notFound('project', projectId, 'project_id');
  return row;
}

/** An active project of the organization: unknown is a 404, archived a 400 (it has no members). */
export async function requireActiveProject(db: Db, organizationId: string, projectId: string): Promise<projects.ProjectRow> {
  const project = await requireProject(db, organizationId, projectId);
  if (project.status === 'archived') throw projectArchived(projectId, 'project_id');
  return project;
}

/**
 * Takes the project's row lock for the rest of the transaction and returns the project, so what
 * the caller checks (above all, that it is active) cannot change before the transaction ends.
 */
export async function lockProject(trx: Db, organizationId: string, projectId: string): Promise<projects.ProjectRow | undefined> {
  await projects.lockProject(trx, organizationId, projectId);
  return projects.findProject(trx, organizationId, projectId);
}

/** Locks the project the path names, refusing unknown (404) and archived (400) projects. */
export async function lockActiveProject(trx: Db, organizationId: string, projectId: string): Promise<projects.ProjectRow> {
  const row = await lockProject(trx, organizationId, projectId);
  if (!row) throw notFound('project', projectId, 'project_id');
  if (row.status === 'archived') throw projectArchived(projectId, 'project_id');
  return row;
}

export function auditProject(row: Pick<projects.ProjectRow, 'id' | 'name'>) {
  return { id: row.id, name: row.name };
}

/** `geography` is what the reference called residency before; accepting it silently would mislead. */
function refuseGeography(geography: string | null | undefined): void {
  if (geography != null) {
    throw invalidRequest("'geography' is no longer supported; send 'residency' instead.", 'geography', 'unsupported_parameter');
  }
}

function checkName(name: string): void {
  if (name.trim() === '') throw invalidRequest('A project name cannot be blank.', 'name', 'invalid_value');
}

export async function listProjects(db: Db, principal: Principal, query: ListProjectsQuery): Promise<Page<Project>> {
  const rows = await projects.listProjects(db, principal.organizationId, {
    limit: query.limit,
    after: query.after,
    includeArchived: isTrue(query.include_archived),
  });
  return toPage(rows, query.limit, toProject);
}

export async function retrieveProject(db: Db, principal: Principal, projectId: string): Promise<Project> {
  return toProject(await requireProject(db, principal.organizationId, projectId));
}

export async function createProject(db: Kysely<Database>, principal: Principal, body: CreateProjectBody): Promise<Project> {
  refuseGeography(body.geography);
  checkName(body.name);
  const row: projects.ProjectRow = {
    id: newId('proj_'),
    name: body.name,
    created_at: nowSeconds(),
    archived_at: null,
    status: 'active',
    is_default: 0,
    external_key_id: body.external_key_id ?? null,
    residency: body.residency ?? null,
  };
  return db.transaction().execute(async (trx) => {
    await projects.insertProject(trx, principal.organizationId, row);
    await recordAuditEvent(trx, principal, {
      type: 'project.created',
      resourceId: row.id,
      details: { data: { name: row.name } },
      project: auditProject(row),
    });
    return toProject(row);
  });
}

export async function modifyProject(
  db: Kysely<Database>,
  principal: Principal,
  projectId: string,
  body: ModifyProjectBody,
): Promise<Project> {
  refuseGeography(body.geography);
  if (body.name != null) checkName(body.name);
  const organizationId = principal.organizationId;
  return db.transaction().execute(async (trx) => {
    const current = await lockActiveProject(trx, organizationId, projectId);
    const changes: Parameters<typeof projects.updateProject>[3] = {};
    if (body.name != null && body.name !== current.name) changes.name = body.name;
    if (body.external_key_id !== undefined && body.external_key_id !== current.external_key_id) {
      changes.external_key_id = body.external_key_id;
    }
    if (Object.keys(changes).length === 0) return toProject(current);
    if (current.is_default === 1) {
      throw invalidRequest('The default project cannot be modified.', changes.name !== undefined ? 'name' : 'external_key_id', 'default_project');
    }

    await projects.updateProject(trx, organizationId, projectId, changes);
    const updated = { ...current, ...changes };
    // The reference's event names the project's name `title`.
    const { name, ...rest } = changes;
    await recordAuditEvent(trx, principal, {
      type: 'project.updated',
      resourceId: projectId,
      details: { changes_requested: { ...(name !== undefined && { title: name }), ...rest } },
      project: auditProject(updated),
    });
    return toProject(updated);
  });
}

export async function archiveProject(db: Kysely<Database>, principal: Principal, projectId: string): Promise<Project> {
  const organizationId = principal.organizationId;
  const archived = await db.transaction().execute(async (trx) => {
    const current = await lockActiveProject(trx, organizationId, projectId);
    if (current.is_default === 1) throw invalidRequest('The default project cannot be archived.', 'project_id', 'default_project');
    const changes = { status: 'archived' as const, archived_at: nowSeconds() };
    await projects.updateProject(trx, organizationId, projectId, changes);
    await recordAuditEvent(trx, principal, { type: 'project.archived', resourceId: projectId, project: auditProject(current) });
    return toProject({ ...current, ...changes });
  });
  forgetCachedKeys(db); // the project's keys are refused by this instance's very next key check
  return archived;
}
