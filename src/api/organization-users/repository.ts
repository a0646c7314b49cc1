import { compiledQuery, compiledWrite, type Arg } from '../../db/compiled-query.ts';
import type { Db } from '../../db/schema.ts';

/** Member rows joined with the person they describe: everything an organization user shows. */
function members(db: Db, organizationId: string) {
  return db
    .selectFrom('organization_users as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select([
      'm.user_id as id',
      'u.name',
      'u.email',
      'u.created_at',
      'm.role',
      'm.added_at',
      'm.technical_level',
      'm.developer_persona',
      'm.is_default',
      'm.is_service_account',
      'm.is_scim_managed',
      'm.api_key_last_used_at',
    ])
    .where('m.organization_id', '=', organizationId);
}

export type MemberRow = NonNullable<Awaited<ReturnType<ReturnType<typeof members>['executeTakeFirst']>>>;

// The lookups every retrieve, modify and list runs, compiled once (see compiledQuery).
const memberById = compiledQuery((db, arg: Arg<{ organizationId: string; userId: string }>) =>
  members(db, arg('organizationId')).where('m.user_id', '=', arg('userId')),
);
const firstPage = compiledQuery((db, arg: Arg<{ organizationId: string; rows: number }>) =>
  members(db, arg('organizationId')).orderBy('m.user_id').limit(arg('rows')),
);
const pageAfter = compiledQuery((db, arg: Arg<{ organizationId: string; after: string; rows: number }>) =>
  members(db, arg('organizationId')).where('m.user_id', '>', arg('after')).orderBy('m.user_id').limit(arg('rows')),
);

export async function findMember(db: Db, organizationId: string, userId: string): Promise<MemberRow | undefined> {
  return (await memberById(db, { organizationId, userId }))[0];
}

/** One page in id order, reading `limit + 1` rows so the caller can tell whether more follow. */
export function listMembers(
  db: Db,
  organizationId: string,
  options: { limit: number; after?: string; emails?: string[]; roles?: MemberRow['role'][] },
): Promise<MemberRow[]> {
  const { after, emails, roles } = options;
  const rows = options.limit + 1;
  if (emails === undefined && roles === undefined) {
    return after === undefined ? firstPage(db, { organizationId, rows }) : pageAfter(db, { organizationId, after, rows });
  }
  // An `in` list changes the SQL with its length, so a filtered page is built each time.
  let query = members(db, organizationId);
  if (emails !== undefined) query = query.where('u.email', 'in', emails);
  if (roles !== undefined) {
    // A subquery on the (organization, role) index: SQLite then reads just the holders (the few
    // owners of a large organization) in id order, instead of walking every member in id order.
    const holders = db.selectFrom('organization_users').select('user_id').where('organization_id', '=', organizationId).where('role', 'in', roles);
    query = query.where('m.user_id', 'in', holders);
  }
  if (after !== undefined) query = query.where('m.user_id', '>', after);
  return query.orderBy('m.user_id').limit(rows).execute();
}

export async function countOwners(db: Db, organizationId: string): Promise<number> {
  const row = await db
    .selectFrom('organization_users')
    .select((eb) => eb.fn.countAll<number | string>().as('owners'))
    .where('organization_id', '=', organizationId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.owners);
}

/**
 * Takes the organization's row lock for the rest of the transaction. Changes that could remove
 * the last owner take it first, so two of them can never both see "another owner remains". (On
 * SQLite every write transaction is already serialized; on PostgreSQL this blocks the other.)
 */
export async function lockOrganization(db: Db, organizationId: string): Promise<void> {
  await db.updateTable('organizations').set((eb) => ({ id: eb.ref('id') })).where('id', '=', organizationId).execute();
}

type MemberChanges = Partial<Pick<MemberRow, 'role' | 'technical_level' | 'developer_persona'>>;

/**
 * One compiled update per set of changed fields: the SQL differs only in its `set` list. Nobody
 * reads its result or handles its failure, so on PostgreSQL it leaves with what follows it in
 * the transaction (the audit record and the commit) instead of in a round trip of its own.
 */
const updatesByFields = new Map<string, ReturnType<typeof compileUpdate>>();

function compileUpdate(fields: (keyof MemberChanges)[]) {
  return compiledWrite((db, arg: Arg<MemberChanges & { organizationId: string; userId: string }>) =>
    db
      .updateTable('organization_users')
      .set(Object.fromEntries(fields.map((field) => [field, arg(field)])))
      .where('organization_id', '=', arg('organizationId'))
      .where('user_id', '=', arg('userId')),
  );
}

export async function updateMember(db: Db, organizationId: string, userId: string, changes: MemberChanges): Promise<void> {
  const fields = (Object.keys(changes) as (keyof MemberChanges)[]).sort();
  const key = fields.join();
  let update = updatesByFields.get(key);
  if (update === undefined) updatesByFields.set(key, (update = compileUpdate(fields)));
  await update(db, { ...changes, organizationId, userId });
}

/** Removes the membership; foreign keys take everything that hangs from it (keys, project seats). */
export async function deleteMember(db: Db, organizationId: string, userId: string): Promise<void> {
  await db.deleteFrom('organization_users').where('organization_id', '=', organizationId).where('user_id', '=', userId).execute();
}
