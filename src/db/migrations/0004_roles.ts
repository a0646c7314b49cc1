import { sql, type Kysely } from 'kysely';
import { idType, type Dialect } from './column-types.ts';

/**
 * Custom roles and who holds them. Predefined roles (organization owner/reader, project
 * owner/member/viewer) have no rows: they are the same for every organization and project, and a
 * member's predefined role is the `role` column of their membership.
 */
export function roles(dialect: Dialect) {
  const id = idType(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('roles')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('organization_id', id, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
        // Null for an organization role; the project for a project role.
        .addColumn('project_id', id, (c) => c.references('projects.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        // JSON array of permission strings from the catalogue.
        .addColumn('permissions', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        // The member who created it; not a foreign key, the role outlives their membership.
        .addColumn('created_by', id)
        .execute();
      // Names are unique within their scope: one index per kind of scope, since NULLs never collide.
      await db.schema
        .createIndex('roles_unique_organization_name')
        .on('roles')
        .columns(['organization_id', 'name'])
        .unique()
        .where(sql.ref('project_id'), 'is', null)
        .execute();
      await db.schema
        .createIndex('roles_unique_project_name')
        .on('roles')
        .columns(['project_id', 'name'])
        .unique()
        .where(sql.ref('project_id'), 'is not', null)
        .execute();
      await db.schema.createIndex('roles_by_scope').on('roles').columns(['organization_id', 'project_id', 'id']).execute();

      await db.schema
        .createTable('user_role_assignments')
        .addColumn('role_id', id, (c) => c.notNull().references('roles.id').onDelete('cascade'))
        .addColumn('user_id', id, (c) => c.notNull())
        .addColumn('organization_id', id, (c) => c.notNull())
        // The role's project for a project role, null for an organization role.
        .addColumn('project_id', id)
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('created_by', id)
        .addPrimaryKeyConstraint('user_role_assignments_pk', ['role_id', 'user_id'])
        // Only members hold roles: leaving the organization, or the project, takes the assignments along.
        .addForeignKeyConstraint(
          'user_role_assignments_member_fk',
          ['organization_id', 'user_id'],
          'organization_users',
          ['organization_id', 'user_id'],
          (c) => c.onDelete('cascade'),
        )
        .addForeignKeyConstraint(
          'user_role_assignments_project_member_fk',
          ['project_id', 'user_id'],
          'project_users',
          ['project_id', 'user_id'],
          (c) => c.onDelete('cascade'),
        )
        .execute();
      await db.schema
        .createIndex('user_role_assignments_by_member')
        .on('user_role_assignments')
        .columns(['organization_id', 'user_id', 'role_id'])
        .execute();
      await db.schema
        .createIndex('user_role_assignments_by_project_member')
        .on('user_role_assignments')
        .columns(['project_id', 'user_id', 'role_id'])
        .execute();
    },
  };
}
