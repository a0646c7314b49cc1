import { type Kysely } from 'kysely';
import { idType, type Dialect } from './column-types.ts';

/**
 * Groups of organization members, the projects groups are seated in, and the roles groups hold.
 * Everything that hangs from a group, a membership or a seat goes with it through foreign keys, so
 * a delete is one statement and a concurrent insert either lands before it (and is taken along) or
 * fails its key check after it.
 */
export function groups(dialect: Dialect) {
  const id = idType(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('groups')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('organization_id', id, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        // The name lower-cased: names are unique within the organization ignoring case.
        .addColumn('name_key', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('is_scim_managed', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('groups_unique_name').on('groups').columns(['organization_id', 'name_key']).unique().execute();
      await db.schema.createIndex('groups_by_organization').on('groups').columns(['organization_id', 'id']).execute();

      await db.schema
        .createTable('group_users')
        .addColumn('group_id', id, (c) => c.notNull().references('groups.id').onDelete('cascade'))
        .addColumn('organization_id', id, (c) => c.notNull())
        .addColumn('user_id', id, (c) => c.notNull())
        .addColumn('added_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('group_users_pk', ['group_id', 'user_id'])
        // Only organization members belong to groups; leaving the organization leaves them all.
        .addForeignKeyConstraint(
          'group_users_member_fk',
          ['organization_id', 'user_id'],
          'organization_users',
          ['organization_id', 'user_id'],
          (c) => c.onDelete('cascade'),
        )
        .execute();
      // A user's groups: what effective roles are computed from.
      await db.schema.createIndex('group_users_by_member').on('group_users').columns(['organization_id', 'user_id', 'group_id']).execute();

      await db.schema
        .createTable('project_groups')
        .addColumn('project_id', id, (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('group_id', id, (c) => c.notNull().references('groups.id').onDelete('cascade'))
        .addColumn('organization_id', id, (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('project_groups_pk', ['project_id', 'group_id'])
        .execute();
      await db.schema.createIndex('project_groups_by_group').on('project_groups').columns(['group_id']).execute();

      await db.schema
        .createTable('group_role_assignments')
        .addColumn('group_id', id, (c) => c.notNull().references('groups.id').onDelete('cascade'))
        // The role as served: a custom role's id, or a predefined role's scoped id.
        .addColumn('role_id', id, (c) => c.notNull())
        // Set for custom roles only, so that deleting the role ends its assignments.
        .addColumn('custom_role_id', id, (c) => c.references('roles.id').onDelete('cascade'))
        .addColumn('organization_id', id, (c) => c.notNull())
        // The project for a project role, null for an organization role.
        .addColumn('project_id', id)
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('created_by', id)
        .addPrimaryKeyConstraint('group_role_assignments_pk', ['group_id', 'role_id'])
        // Project roles are held only while the group is seated in the project.
        .addForeignKeyConstraint(
          'group_role_assignments_seat_fk',
          ['project_id', 'group_id'],
          'project_groups',
          ['project_id', 'group_id'],
          (c) => c.onDelete('cascade'),
        )
        .execute();
      await db.schema.createIndex('group_role_assignments_by_role').on('group_role_assignments').columns(['custom_role_id']).execute();
    },
  };
}
