import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import type { Principal } from '../../http/auth.ts';
import { invalidRequest, notFound, type ApiError } from '../../http/api-error.ts';
import { toPage, type Page } from '../../http/pagination.ts';
import { newId } from '../../lib/ids.ts';
import { nowSeconds } from '../../lib/time.ts';
import { recordAuditEvent } from '../audit-logs/record.ts';
import * as members from '../organization-users/repository.ts';
import type { OrganizationUser } from '../organization-users/schemas.ts';
import { toOrganizationUser } from '../organization-users/service.ts';
import { findOrCreateUser } from '../organizations/service.ts';
import * as seats from '../project-users/repository.ts';
import { constraintViolation } from '../../db/constraint-violation.ts';
import { findDefaultProject } from '../projects/repository.ts';
import { auditProject, lockProject, projectArchived } from '../projects/service.ts';
import * as invites from './repository.ts';
import type { AcceptInviteBody, CreateInviteBody, Invite, ListInvitesQuery } from './schemas.ts';

/** Invites lapse seven days after they are sent, as the real API's do. */
export const INVITE_LIFETIME_SECONDS = 7 * 24 * 60 * 60;

const EMAIL = /^[^@\s]+@[^@\s]+$/;

export function toInvite(row: invites.InviteRow, grants: invites.ProjectGrantRow[], now: number): Invite {
  // Lapsed invites are still stored as pending; they read as expired from the moment they lapse.
  const status = row.status === 'pending' && row.expires_at <= now ? 'expired' : row.status;
  return {
    object: 'organization.invite',
    id: row.id,
    email: row.email,
    role: row.role,
    status,
    created_at: row.created_at,
    expires_at: row.expires_at,
    accepted_at: row.accepted_at,
    projects: grants.map((grant) => ({ id: grant.project_id, role: grant.role })),
  };
}

async function isMember(db: Db, organizationId: string, email: string): Promise<boolean> {
  const found = await members.listMembers(db, organizationId, { limit: 1, emails: [email] });
  return found.length > 0;
}

function alreadyMember(email: string, param: string | null): ApiError {
  return invalidRequest(`'${email}' is already a member of the organization.`, param, 'user_already_member');
}

function alreadyAccepted(inviteId: string, action: string): ApiError {
  return invalidRequest(`Invite '${inviteId}' was already accepted, so it cannot be ${action}.`, 'invite_id', 'invite_already_accepted');
}

/**
 * The projects an invite will grant, each locked and checked to be active. Omitted means the
 * default project as a member, as the real API does; an empty list means none.
 */
async function resolveGrants(trx: Db, organizationId: string, requested: CreateInviteBody['projects']): Promise<invites.ProjectGrantRow[]> {
  if (requested === undefined) {
    const fallback = await findDefaultProject(trx, organizationId);
    return fallback ? [{ project_id: fallback.id, role: 'member' }] : [];
  }
  const grants: invites.ProjectGrantRow[] = [];
  for (const [index, { id, role }] of requested.entries()) {
    const param = `projects[${index}].id`;
    if (grants.some((grant) => grant.project_id === id)) throw invalidRequest(`Project '${id}' is listed twice.`, param, 'invalid_value');
    const project = await lockProject(trx, organizationId, id);
    if (!project) throw invalidRequest(`No project found with id '${id}'.`, param, 'invalid_value');
    if (project.status === 'archived') throw projectArchived(id, param);
    grants.push({ project_id: id, role });
  }
  return grants;
}

export async function listInvites(db: Db, principal: Principal, query: ListInvitesQuery): Promise<Page<Invite>> {
  const rows = await invites.listInvites(db, principal.organizationId, { limit: query.limit, after: query.after });
  const grants = await invites.grantsOf(db, rows.map((row) => row.id));
  const now = nowSeconds();
  return toPage(rows, query.limit, (row) => toInvite(row, grants.get(row.id)!, now));
}

async function requireInvite(db: Db, organizationId: string, inviteId: string): Promise<invites.InviteRow> {
  const row = await invites.findInvite(db, organizationId, inviteId);
  if (!row) throw notFound('invite', inviteId, 'invite_id');
  return row;
}

export async function retrieveInvite(db: Db, principal: Principal, inviteId: string): Promise<Invite> {
  const row = await requireInvite(db, principal.organizationId, inviteId);
  const grants = await invites.grantsOf(db, [inviteId]);
  return toInvite(row, grants.get(inviteId)!, nowSeconds());
}

export async function createInvite(db: Kysely<Database>, principal: Principal, body: CreateInviteBody): Promise<Invite> {
  const email = body.email.toLowerCase();
  if (!EMAIL.test(email)) throw invalidRequest(`'${body.email}' is not an email address.`, 'email', 'invalid_value');
  const organizationId = principal.organizationId;
  return db.transaction().execute(async (trx) => {
    const now = nowSeconds();
    if (await isMember(trx, organizationId, email)) throw alreadyMember(email, 'email');
    const grants = await resolveGrants(trx, organizationId, body.projects);
    await invites.expireLapsedInvite(trx, organizationId, email, now);
    const row: invites.InviteRow = {
      id: newId('invite-'),
      email,
      role: body.role,
      status: 'pending',
      created_at: now,
      expires_at: now + INVITE_LIFETIME_SECONDS,
      accepted_at: null,
    };
    try {
      await invites.insertInvite(trx, organizationId, row, grants);
    } catch (error) {
      // The one-pending-invite-per-email index decides, so two concurrent invites cannot both pass.
      if (constraintViolation(error) !== 'unique') throw error;
      throw invalidRequest(`'${email}' already has a pending invite. Delete it to send a new one.`, 'email', 'invite_already_pending');
    }
    await recordAuditEvent(trx, principal, { type: 'invite.sent', resourceId: row.id, details: { data: { email, role: body.role } } });
    return toInvite(row, grants, now);
  });
}

export async function deleteInvite(db: Kysely<Database>, principal: Principal, inviteId: string) {
  const organizationId = principal.organizationId;
  return db.transaction().execute(async (trx) => {
    if (!(await invites.deleteUnacceptedInvite(trx, organizationId, inviteId))) {
      await requireInvite(trx, organizationId, inviteId);
      throw alreadyAccepted(inviteId, 'deleted');
    }
    await recordAuditEvent(trx, principal, { type: 'invite.deleted', resourceId: inviteId });
    return { object: 'organization.invite.deleted' as const, id: inviteId, deleted: true };
  });
}

/** Why an invite could not be marked accepted: unknown, accepted already, or expired. */
async function notAcceptable(db: Db, organizationId: string, inviteId: string): Promise<ApiError> {
  const row = await requireInvite(db, organizationId, inviteId);
  if (row.status === 'accepted') return alreadyAccepted(inviteId, 'accepted again');
  return invalidRequest(`Invite '${inviteId}' has expired. Send a new invite.`, 'invite_id', 'invite_expired');
}

/**
 * roster's stand-in for the web page where a person accepts an invite: in one transaction it
 * creates the person if roster does not know them, makes them a member with the invite's role,
 * seats them in the granted projects, and marks the invite accepted. If a granted project was
 * archived after the invite was sent, nothing happens: the invite no longer describes what the
 * person would get, so it must be replaced rather than half-honoured.
 */
export async function acceptInvite(
  db: Kysely<Database>,
  principal: Principal,
  inviteId: string,
  body: AcceptInviteBody,
): Promise<OrganizationUser> {
  const organizationId = principal.organizationId;
  return db.transaction().execute(async (trx) => {
    const now = nowSeconds();
    // The guarded update is what makes a second (or concurrent) acceptance fail.
    if (!(await invites.markAccepted(trx, organizationId, inviteId, now))) throw await notAcceptable(trx, organizationId, inviteId);
    const invite = (await invites.findInvite(trx, organizationId, inviteId))!;
    const grants = (await invites.grantsOf(trx, [inviteId])).get(inviteId)!;

    const granted = [];
    for (const grant of grants) {
      const project = (await lockProject(trx, organizationId, grant.project_id))!;
      if (project.status === 'archived') {
        throw invalidRequest(
          `Invite '${inviteId}' grants project '${project.id}', which has been archived since. Delete the invite and send a new one.`,
          'invite_id',
          'project_archived',
        );
      }
      granted.push({ project, role: grant.role });
    }

    const userId = await findOrCreateUser(trx, invite.email, body.name ?? null, now);
    try {
      await invites.insertMember(trx, organizationId, userId, invite.role, now);
    } catch (error) {
      // Someone may have joined by another way (e.g. an import) since the invite was sent.
      if (constraintViolation(error) !== 'unique') throw error;
      throw alreadyMember(invite.email, 'invite_id');
    }
    await seats.insertProjectMembers(trx, organizationId, granted.map(({ project, role }) => ({ projectId: project.id, userId, role })), now);

    await recordAuditEvent(trx, principal, { type: 'invite.accepted', resourceId: inviteId });
    await recordAuditEvent(trx, principal, { type: 'user.added', resourceId: userId, details: { data: { role: invite.role } } });
    for (const { project, role } of granted) {
      await recordAuditEvent(trx, principal, { type: 'user.added', resourceId: userId, details: { data: { role } }, project: auditProject(project) });
    }
    return toOrganizationUser((await members.findMember(trx, organizationId, userId))!);
  });
}
