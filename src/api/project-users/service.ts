import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import type { Principal } from '../../http/auth.ts';
import { invalidRequest, notFound, type ApiError } from '../../http/api-error.ts';
import { forgetCachedKeys } from '../../http/key-cache.ts';
import { toPage, type Page } from '../../http/pagination.ts';
import { nowSeconds } from '../../lib/time.ts';
import { recordAuditEvent } from '../audit-logs/record.ts';
import * as members from '../organization-users/repository.ts';
import { constraintViolation } from '../../db/constraint-violation.ts';
import { auditProject, lockActiveProject, requireActiveProject } from '../projects/service.ts';
import { describeGroups } from '../groups/service.ts';
import { groupsSeatingUser } from '../project-groups/repository.ts';
import * as seats from './repository.ts';
import type { AddProjectUserBody, ListProjectUsersQuery, ModifyProjectUserBody, ProjectUser } from './schemas.ts';

export function toProjectUser(row: seats.ProjectMemberRow): ProjectUser {
  return { object: 'organization.project.user', id: row.id, name: row.name, email: row.email, role: row.role, added_at: row.added_at };
}

async function requireProjectMember(db: Db, organizationId: string, projectId: string, userId: string): Promise<seats.ProjectMemberRow> {
  const row = await seats.findProjectMember(db, organizationId, projectId, userId);
  if (!row) throw notFound('user', userId, 'user_id');
  return row;
}

export async function listProjectUsers(
  db: Db,
  principal: Principal,
  projectId: string,
  query: ListProjectUsersQuery,
): Promise<Page<ProjectUser>> {
  await requireActiveProject(db, principal.organizationId, projectId);
  const rows = await seats.listProjectMembers(db, principal.organizationId, projectId, { limit: query.limit, after: query.after });
  return toPage(rows, query.limit, toProjectUser);
}

export async function retrieveProjectUser(db: Db, principal: Principal, projectId: string, userId: string): Promise<ProjectUser> {
  await requireActiveProject(db, principal.organizationId, projectId);
  return toProjectUser(await requireProjectMember(db, principal.organizationId, projectId, userId));
}

function notAMember(who: string, param: string): ApiError {
  return invalidRequest(
    `${who} is not a member of the organization. Only organization members can join a project; invite them to the organization first.`,
    param,
    'user_not_in_organization',
  );
}

export function alreadyInProject(userId: string, projectId: string): ApiError {
  return invalidRequest(`User '${userId}' already exists in project '${projectId}'.`, 'user_id', 'user_already_in_project');
}

/** The organization member a request names by `user_id`, `email` or both (which must agree). */
async function resolveMember(db: Db, organizationId: string, body: AddProjectUserBody): Promise<members.MemberRow> {
  const { user_id: userId, email } = body;
  if (userId == null && email == null) {
    throw invalidRequest("Name the user to add with 'user_id' or 'email'.", 'user_id', 'missing_required_parameter');
  }
  let member: members.MemberRow | undefined;
  if (userId != null) {
    member = await members.findMember(db, organizationId, userId);
    if (!member) throw notAMember(`User '${userId}'`, 'user_id');
  }
  if (email != null) {
    const [byEmail] = await members.listMembers(db, organizationId, { limit: 1, emails: [email.toLowerCase()] });
    if (!byEmail) throw notAMember(`The person with email '${email}'`, 'email');
    if (member && member.id !== byEmail.id) {
      throw invalidRequest(`'user_id' and 'email' name different people; send one of them.`, 'email', 'invalid_value');
    }
    member = byEmail;
  }
  return member!;
}

export async function addProjectUser(
  db: Kysely<Database>,
  principal: Principal,
  projectId: string,
  body: AddProjectUserBody,
): Promise<ProjectUser> {
  const organizationId = principal.organizationId;
  return db.transaction().execute(async (trx) => {
    const project = await lockActiveProject(trx, organizationId, projectId);
    const member = await resolveMember(trx, organizationId, body);
    const now = nowSeconds();
    try {
      await seats.insertProjectMembers(trx, organizationId, [{ projectId, userId: member.id, role: body.role }], now);
    } catch (error) {
      // The keys decide, not the reads above: a concurrent add or removal from the organization lands here.
      const violated = constraintViolation(error);
      if (violated === 'unique') throw alreadyInProject(member.id, projectId);
      if (violated === 'foreign_key') throw notAMember(`User '${member.id}'`, 'user_id');
      throw error;
    }
    await recordAuditEvent(trx, principal, {
      type: 'user.added',
      resourceId: member.id,
      details: { data: { role: body.role } },
      project: auditProject(project),
    });
    return toProjectUser({ id: member.id, name: member.name, email: member.email, role: body.role, added_at: now });
  });
}

export async function modifyProjectUser(
  db: Kysely<Database>,
  principal: Principal,
  projectId: string,
  userId: string,
  body: ModifyProjectUserBody,
): Promise<ProjectUser> {
  const organizationId = principal.organizationId;
  return db.transaction().execute(async (trx) => {
    const project = await lockActiveProject(trx, organizationId, projectId);
    const current = await requireProjectMember(trx, organizationId, projectId, userId);
    const role = body.role ?? current.role;
    if (role === current.role) return toProjectUser(current);
    await seats.updateProjectMemberRole(trx, organizationId, projectId, userId, role);
    await recordAuditEvent(trx, principal, {
      type: 'user.updated',
      resourceId: userId,
      details: { changes_requested: { role } },
      project: auditProject(project),
    });
    return toProjectUser({ ...current, role });
  });
}

/**
 * Why a user without a seat of their own cannot be removed from a project: they reach it through
 * groups (400 naming them: remove them from the group, or the group from the project), or not at all (404).
 * A user with a seat of their own is removed from it and keeps what their groups give them.
 */
async function noSeatToRemove(trx: Db, organizationId: string, projectId: string, userId: string): Promise<ApiError> {
  const groups = await groupsSeatingUser(trx, organizationId, projectId, userId);
  if (groups.length === 0) return notFound('user', userId, 'user_id');
  return invalidRequest(
    `User '${userId}' is in project '${projectId}' only through group ${describeGroups(groups)}. Remove them from the group, or the group from the project.`,
    'user_id',
    'user_in_project_through_group',
  );
}

export async function removeProjectUser(db: Kysely<Database>, principal: Principal, projectId: string, userId: string) {
  const organizationId = principal.organizationId;
  const removed = await db.transaction().execute(async (trx) => {
    const project = await lockActiveProject(trx, organizationId, projectId);
    if (!(await seats.findProjectMember(trx, organizationId, projectId, userId))) throw await noSeatToRemove(trx, organizationId, projectId, userId);
    await seats.deleteProjectMember(trx, organizationId, projectId, userId);
    await recordAuditEvent(trx, principal, { type: 'user.deleted', resourceId: userId, project: auditProject(project) });
    return { object: 'organization.project.user.deleted' as const, id: userId, deleted: true };
  });
  forgetCachedKeys(db); // their project keys are refused by this instance's very next key check
  return removed;
}
