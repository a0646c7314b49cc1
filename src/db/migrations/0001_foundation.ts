import { sql, type Kysely } from 'kysely';
import { idType, type Dialect } from './column-types.ts';

/** Organizations, people and their memberships, admin keys, and the audit trail. */
export function foundation(dialect: Dialect) {
  const id = idType(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('organizations')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('organization_users')
        .addColumn('organization_id', id, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
        .addColumn('user_id', id, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('owner', 'reader')`))
        .addColumn('added_at', 'bigint', (c) => c.notNull())
        .addColumn('technical_level', 'text')
        .addColumn('developer_persona', 'text')
        .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('is_service_account', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('is_scim_managed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('api_key_last_used_at', 'bigint')
        .addPrimaryKeyConstraint('organization_users_pk', ['organization_id', 'user_id'])
        .execute();
      await db.schema
        .createIndex('organization_users_by_role')
        .on('organization_users')
        .columns(['organization_id', 'role'])
        .execute();
      await db.schema.createIndex('organization_users_by_user').on('organization_users').column('user_id').execute();

      await db.schema
        .createTable('admin_api_keys')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('organization_id', id, (c) => c.notNull())
        .addColumn('owner_user_id', id, (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
        .addColumn('redacted_value', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint')
        .addColumn('last_used_at', 'bigint')
        // A key belongs to a member: when they leave the organization, their keys go with them.
        .addForeignKeyConstraint(
          'admin_api_keys_owner_fk',
          ['organization_id', 'owner_user_id'],
          'organization_users',
          ['organization_id', 'user_id'],
          (c) => c.onDelete('cascade'),
        )
        .execute();
      await db.schema
        .createIndex('admin_api_keys_by_organization')
        .on('admin_api_keys')
        .columns(['organization_id', 'id'])
        .execute();

      // No foreign keys here on purpose: the trail outlives what it describes.
      await db.schema
        .createTable('audit_logs')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('organization_id', id, (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('effective_at', 'bigint', (c) => c.notNull())
        .addColumn('project_id', id)
        .addColumn('project_name', 'text')
        .addColumn('actor_id', id)
        .addColumn('actor_email', 'text')
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('ip_address', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('resource_id', id)
        .addColumn('details', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('audit_logs_by_organization')
        .on('audit_logs')
        .columns(['organization_id', 'id'])
        .execute();
    },
  };
}
