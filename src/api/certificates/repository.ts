import { sql, type Insertable } from 'kysely';
import type { CertificatesTable, Db } from '../../db/schema.ts';

export type CertificateRow = Omit<CertificatesTable, 'organization_id' | 'fingerprint' | 'active'>;
/** A certificate as one level sees it: `active` is its activation there (organization or project). */
export type LevelCertificateRow = Omit<CertificateRow, 'content'> & { active: number };

const COLUMNS = ['c.id', 'c.name', 'c.content', 'c.valid_at', 'c.expires_at', 'c.created_at'] as const;
const LISTED = ['c.id', 'c.name', 'c.valid_at', 'c.expires_at', 'c.created_at'] as const;

function organizationCertificates(db: Db, organizationId: string) {
  return db.selectFrom('certificates as c').where('c.organization_id', '=', organizationId);
}

export function findCertificate(db: Db, organizationId: string, certificateId: string): Promise<CertificateRow | undefined> {
  return organizationCertificates(db, organizationId).select(COLUMNS).where('c.id', '=', certificateId).executeTakeFirst();
}

export async function holdsFingerprint(db: Db, organizationId: string, fingerprint: string): Promise<boolean> {
  const row = await organizationCertificates(db, organizationId).select('c.id').where('c.fingerprint', '=', fingerprint).executeTakeFirst();
  return row !== undefined;
}

export async function countCertificates(db: Db, organizationId: string): Promise<number> {
  const row = await organizationCertificates(db, organizationId).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * The organization's certificates (all, or those of `ids`) with their activation at the level:
 * the organization's own flag, or whether the project activated them.
 */
export function levelCertificates(db: Db, organizationId: string, projectId: string | null, ids?: string[]): Promise<LevelCertificateRow[]> {
  let query = organizationCertificates(db, organizationId);
  if (ids) query = query.where('c.id', 'in', ids);
  if (projectId === null) return query.select([...LISTED, 'c.active']).execute();
  return query
    .leftJoin('project_certificates as p', (join) => join.onRef('p.certificate_id', '=', 'c.id').on('p.project_id', '=', projectId))
    .select([...LISTED, sql<number>`case when p.project_id is null then 0 else 1 end`.as('active')])
    .execute();
}

export async function insertCertificate(db: Db, row: Insertable<CertificatesTable>): Promise<void> {
  await db.insertInto('certificates').values(row).execute();
}

export async function renameCertificate(db: Db, certificateId: string, name: string): Promise<void> {
  await db.updateTable('certificates').set({ name }).where('id', '=', certificateId).execute();
}

export async function deleteCertificate(db: Db, certificateId: string): Promise<void> {
  await db.deleteFrom('certificates').where('id', '=', certificateId).execute();
}

export async function setOrganizationActivation(db: Db, ids: string[], active: boolean): Promise<void> {
  await db.updateTable('certificates').set({ active: active ? 1 : 0 }).where('id', 'in', ids).execute();
}

export async function activateInProject(db: Db, organizationId: string, projectId: string, ids: string[], now: number): Promise<void> {
  await db
    .insertInto('project_certificates')
    .values(ids.map((id) => ({ project_id: projectId, certificate_id: id, organization_id: organizationId, activated_at: now })))
    .onConflict((conflict) => conflict.columns(['project_id', 'certificate_id']).doNothing())
    .execute();
}

export async function deactivateInProject(db: Db, projectId: string, ids: string[]): Promise<void> {
  await db.deleteFrom('project_certificates').where('project_id', '=', projectId).where('certificate_id', 'in', ids).execute();
}

/** The active projects that have the certificate activated. */
export async function activeProjectsUsing(db: Db, certificateId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('project_certificates as pc')
    .innerJoin('projects as p', 'p.id', 'pc.project_id')
    .select('p.id')
    .where('pc.certificate_id', '=', certificateId)
    .where('p.status', '=', 'active')
    .orderBy('p.id')
    .execute();
  return rows.map((row) => row.id);
}
