import type { Kysely } from 'kysely';
import { createOrganization as createWithOwner } from '../../api/organizations/service.ts';
import type { Database, Db } from '../../db/schema.ts';
import { invalidRequest, notFound } from '../../http/api-error.ts';
import { forgetCachedKeys } from '../../http/key-cache.ts';
import { toPage, type Page } from '../../http/pagination.ts';
import * as organizations from './repository.ts';
import type { CreatedOrganization, CreateOrganizationBody, ListOrganizationsQuery, Organization } from './schemas.ts';

/**
 * What the platform's operator does: make an organization for each customer, list them, remove one
 * with everything in it. Made by the operator key or by `roster org` on the store itself.
 */
export function toOrganization(row: organizations.OrganizationRow): Organization {
  return { object: 'roster.organization', id: row.id, name: row.name, created_at: row.created_at };
}

async function requireOrganization(db: Db, id: string): Promise<organizations.OrganizationRow> {
  const row = await organizations.findOrganization(db, id);
  if (!row) throw notFound('organization', id, 'organization_id');
  return row;
}

/** The organization with its default project, its first owner and their admin key, whose value is shown this once. */
export async function createOrganization(db: Kysely<Database>, body: CreateOrganizationBody): Promise<CreatedOrganization> {
  if (body.name.trim() === '') throw invalidRequest('An organization name cannot be blank.', 'name', 'invalid_value');
  if (!/^[^@\s]+@[^@\s]+$/.test(body.owner_email)) throw invalidRequest(`'${body.owner_email}' is not an email address.`, 'owner_email', 'invalid_value');
  const created = await createWithOwner(db, { name: body.name, owner: { email: body.owner_email, name: body.owner_name ?? null } });
  const row = await requireOrganization(db, created.organizationId);
  return {
    ...toOrganization(row),
    owner: { id: created.ownerId, email: body.owner_email.toLowerCase() },
    admin_key: { id: created.adminKeyId, value: created.adminKeyValue },
  };
}

export async function listOrganizations(db: Db, query: ListOrganizationsQuery): Promise<Page<Organization>> {
  return toPage(await organizations.listOrganizations(db, query), query.limit, toOrganization);
}

export async function retrieveOrganization(db: Db, id: string): Promise<Organization> {
  return toOrganization(await requireOrganization(db, id));
}

/** Deletes the organization and everything in it, in one transaction; its keys stop working at once. */
export async function deleteOrganization(db: Kysely<Database>, id: string) {
  await db.transaction().execute(async (trx) => {
    await requireOrganization(trx, id);
    await organizations.deleteOrganization(trx, id);
  });
  forgetCachedKeys(db);
  return { object: 'roster.organization.deleted' as const, id, deleted: true };
}
