import { sql, type Kysely } from 'kysely';
import { idType, type Dialect } from './column-types.ts';

/** Projects, their members, and invites (with the projects each invite grants). */
export function projects(dialect: Dialect) {
  const id = idType(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('projects')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('organization_id', id, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('archived_at', 'bigint')
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active', 'archived')`))
        .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('external_key_id', 'text')
        .addColumn('residency', 'text')
        .execute();
      await db.schema.createIndex('projects_by_organization').on('projects').columns(['organization_id', 'id']).execute();

      await db.schema
        .createTable('project_users')
        .addColumn('project_id', id, (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('organization_id', id, (c) => c.notNull())
        .addColumn('user_id', id, (c) => c.notNull())
        // Checked by the service, not here: the predefined project roles may grow (e.g. `viewer`).
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('added_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('project_users_pk', ['project_id', 'user_id'])
        // Only organization members can be project members; leaving the organization empties these.
        .addForeignKeyConstraint(
          'project_users_member_fk',
          ['organization_id', 'user_id'],
          'organization_users',
          ['organization_id', 'user_id'],
          (c) => c.onDelete('cascade'),
        )
        .execute();
      await db.schema.createIndex('project_users_by_member').on('project_users').columns(['organization_id', 'user_id']).execute();

      await db.schema
        .createTable('invites')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('organization_id', id, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('owner', 'reader')`))
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'accepted', 'expired')`))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('accepted_at', 'bigint')
        .execute();
      await db.schema.createIndex('invites_by_organization').on('invites').columns(['organization_id', 'id']).execute();
      // At most one pending invite per email and organization, enforced by the store itself.
      await db.schema
        .createIndex('invites_one_pending_per_email')
        .on('invites')
        .columns(['organization_id', 'email'])
        .unique()
        .where(sql.ref('status'), '=', 'pending')
        .execute();

      await db.schema
        .createTable('invite_projects')
        .addColumn('invite_id', id, (c) => c.notNull().references('invites.id').onDelete('cascade'))
        .addColumn('project_id', id, (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('owner', 'member')`))
        .addPrimaryKeyConstraint('invite_projects_pk', ['invite_id', 'project_id'])
        .execute();
    },
  };
}
