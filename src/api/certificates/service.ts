import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import { invalidRequest, notFound } from '../../http/api-error.ts';
import type { Principal } from '../../http/auth.ts';
import { newId } from '../../lib/ids.ts';
import { nowSeconds } from '../../lib/time.ts';
import { recordAuditEvent } from '../audit-logs/record.ts';
import { lockOrganization } from '../organization-users/repository.ts';
import { pageOf } from '../policy/listing.ts';
import { readableScope, writableScope, type PolicyScope, type ScopeRef } from '../policy/scope.ts';
import { parseCertificate } from './pem.ts';
import * as certificates from './repository.ts';
import type {
  Certificate,
  CertificateList,
  ListCertificatesQuery,
  ListedCertificate,
  ModifyCertificateBody,
  Activation,
  Deactivation,
  UploadCertificateBody,
} from './schemas.ts';

/** The reference's cap on the certificates one organization holds. */
const MAX_CERTIFICATES = 50;

function toCertificate(row: certificates.CertificateRow, withContent = false): Certificate {
  const details: Certificate['certificate_details'] = { valid_at: row.valid_at, expires_at: row.expires_at };
  if (withContent) details.content = row.content;
  return { object: 'certificate', id: row.id, name: row.name, created_at: row.created_at, certificate_details: details };
}

function toListed(scope: PolicyScope, row: certificates.LevelCertificateRow): ListedCertificate {
  return {
    object: scope.project ? 'organization.project.certificate' : 'organization.certificate',
    id: row.id,
    name: row.name,
    created_at: row.created_at,
    certificate_details: { valid_at: row.valid_at, expires_at: row.expires_at },
    active: Number(row.active) === 1,
  } as ListedCertificate;
}

async function requireCertificate(db: Db, organizationId: string, certificateId: string): Promise<certificates.CertificateRow> {
  const row = await certificates.findCertificate(db, organizationId, certificateId);
  if (!row) throw notFound('certificate', certificateId, 'certificate_id');
  return row;
}

/** The organization's certificates with their activation at the level (organization or project). */
export async function listCertificates(db: Db, ref: ScopeRef, query: ListCertificatesQuery): Promise<CertificateList> {
  const scope = await readableScope(db, ref);
  const rows = await certificates.levelCertificates(db, scope.organizationId, scope.project?.id ?? null);
  return pageOf(rows.map((row) => toListed(scope, row)), query) as CertificateList;
}

export async function retrieveCertificate(db: Db, principal: Principal, certificateId: string, include: string[] = []): Promise<Certificate> {
  return toCertificate(await requireCertificate(db, principal.organizationId, certificateId), include.includes('content'));
}

/**
 * Stores a certificate, inactive. Every certificate write holds the organization's row lock, so
 * the cap, the one-copy rule and "delete only what nothing uses" cannot be raced past.
 */
export async function uploadCertificate(db: Kysely<Database>, principal: Principal, body: UploadCertificateBody): Promise<Certificate> {
  const now = nowSeconds();
  const parsed = parseCertificate(body.certificate, now);
  const organizationId = principal.organizationId;
  return db.transaction().execute(async (trx) => {
    await lockOrganization(trx, organizationId);
    if ((await certificates.countCertificates(trx, organizationId)) >= MAX_CERTIFICATES) {
      throw invalidRequest(`An organization holds at most ${MAX_CERTIFICATES} certificates; delete one first.`, null, 'certificate_limit_reached');
    }
    if (await certificates.holdsFingerprint(trx, organizationId, parsed.fingerprint)) {
      throw invalidRequest('This certificate has already been uploaded to the organization.', 'certificate', 'certificate_exists');
    }
    const row = { id: newId('cert_'), name: body.name ?? null, content: parsed.content, valid_at: parsed.valid_at, expires_at: parsed.expires_at, created_at: now };
    await certificates.insertCertificate(trx, { ...row, organization_id: organizationId, fingerprint: parsed.fingerprint });
    await recordAuditEvent(trx, principal, { type: 'certificate.created', resourceId: row.id, details: { name: row.name } });
    return toCertificate(row);
  });
}

/** Renames a certificate, the one thing about it that can change. */
export async function modifyCertificate(db: Kysely<Database>, principal: Principal, certificateId: string, body: ModifyCertificateBody): Promise<Certificate> {
  return db.transaction().execute(async (trx) => {
    await lockOrganization(trx, principal.organizationId);
    const row = await requireCertificate(trx, principal.organizationId, certificateId);
    if (body.name === undefined || body.name === row.name) return toCertificate(row);
    await certificates.renameCertificate(trx, certificateId, body.name);
    await recordAuditEvent(trx, principal, { type: 'certificate.updated', resourceId: certificateId, details: { name: body.name } });
    return toCertificate({ ...row, name: body.name });
  });
}

/** Deletes a certificate that is active nowhere: not for the organization, not in an active project. */
export async function deleteCertificate(db: Kysely<Database>, principal: Principal, certificateId: string) {
  return db.transaction().execute(async (trx) => {
    await lockOrganization(trx, principal.organizationId);
    const row = await requireCertificate(trx, principal.organizationId, certificateId);
    const [organizationWide] = await certificates.levelCertificates(trx, principal.organizationId, null, [certificateId]);
    if (Number(organizationWide!.active) === 1) {
      throw invalidRequest(`Certificate '${certificateId}' is active for the organization; deactivate it first.`, 'certificate_id', 'certificate_active');
    }
    const projects = await certificates.activeProjectsUsing(trx, certificateId);
    if (projects.length > 0) {
      throw invalidRequest(
        `Certificate '${certificateId}' is active in project${projects.length > 1 ? 's' : ''} ${projects.join(', ')}; deactivate it there first.`,
        'certificate_id',
        'certificate_active',
      );
    }
    await certificates.deleteCertificate(trx, certificateId);
    await recordAuditEvent(trx, principal, {
      type: 'certificate.deleted',
      resourceId: certificateId,
      details: { name: row.name, certificate: row.content },
    });
    return { object: 'certificate.deleted' as const, id: certificateId };
  });
}

/**
 * Activates or deactivates the named certificates at the level, leaving the others as they are.
 * Naming one already in the wanted state changes nothing for it; the audit event lists only the
 * certificates that changed, and there is none when nothing did. A project can only use the
 * organization's certificates: any other id is refused and nothing changes.
 */
async function toggleCertificates(db: Kysely<Database>, principal: Principal, ref: ScopeRef, requested: string[], activate: boolean) {
  return db.transaction().execute(async (trx) => {
    await lockOrganization(trx, ref.organizationId);
    const scope = await writableScope(trx, ref);
    const projectId = scope.project?.id ?? null;
    const ids = [...new Set(requested)];
    const rows = await certificates.levelCertificates(trx, scope.organizationId, projectId, ids);
    const missing = requested.findIndex((id) => !rows.some((row) => row.id === id));
    if (missing >= 0) {
      throw invalidRequest(`No certificate '${requested[missing]}' in this organization.`, `certificate_ids[${missing}]`, 'certificate_not_found');
    }
    const changing = rows.filter((row) => (Number(row.active) === 1) !== activate).map((row) => row.id);
    if (changing.length > 0) {
      if (projectId === null) await certificates.setOrganizationActivation(trx, changing, activate);
      else if (activate) await certificates.activateInProject(trx, scope.organizationId, projectId, changing, nowSeconds());
      else await certificates.deactivateInProject(trx, projectId, changing);
      await recordAuditEvent(trx, principal, {
        type: activate ? 'certificates.activated' : 'certificates.deactivated',
        resourceId: scope.scopeId,
        details: { certificates: rows.filter((row) => changing.includes(row.id)).map((row) => ({ id: row.id, name: row.name })) },
        project: scope.project,
      });
    }
    const level = projectId === null ? 'organization.certificate' : 'organization.project.certificate';
    const data = ids.map((id) => toListed(scope, { ...rows.find((row) => row.id === id)!, active: activate ? 1 : 0 }));
    return { object: `${level}.${activate ? 'activation' : 'deactivation'}`, data };
  });
}

export async function activateCertificates(db: Kysely<Database>, principal: Principal, ref: ScopeRef, ids: string[]): Promise<Activation> {
  return (await toggleCertificates(db, principal, ref, ids, true)) as Activation;
}

export async function deactivateCertificates(db: Kysely<Database>, principal: Principal, ref: ScopeRef, ids: string[]): Promise<Deactivation> {
  return (await toggleCertificates(db, principal, ref, ids, false)) as Deactivation;
}
