import { sql, type Kysely } from 'kysely';
import { idType, type Dialect } from './column-types.ts';

/**
 * The key plane: service accounts, the project API keys that call models, and the platform
 * credentials (the operator's key, the gateways' token) that stand outside every organization.
 */
export function keyplane(dialect: Dialect) {
  const id = idType(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('service_accounts')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('organization_id', id, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
        .addColumn('project_id', id, (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('owner', 'member', 'none')`))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('service_accounts_by_project').on('service_accounts').columns(['project_id', 'id']).execute();

      // Deleted keys keep their row (with `deleted_at`), so the key check can tell a revoked key
      // from one that never existed. Only the digest of the value is stored.
      await db.schema
        .createTable('project_api_keys')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('organization_id', id, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
        .addColumn('project_id', id, (c) => c.notNull().references('projects.id').onDelete('cascade'))
        // Exactly one owner: a person (who may leave the project while the key stays) or a
        // service account (whose deletion deletes its keys).
        .addColumn('owner_user_id', id)
        .addColumn('owner_service_account_id', id)
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
        .addColumn('redacted_value', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint')
        .addColumn('last_used_at', 'bigint')
        .addColumn('deleted_at', 'bigint')
        .addCheckConstraint('project_api_keys_one_owner', sql`(owner_user_id is null) <> (owner_service_account_id is null)`)
        .execute();
      await db.schema.createIndex('project_api_keys_by_project').on('project_api_keys').columns(['project_id', 'id']).execute();
      await db.schema
        .createIndex('project_api_keys_by_service_account')
        .on('project_api_keys')
        .columns(['owner_service_account_id'])
        .execute();

      await db.schema
        .createTable('platform_credentials')
        .addColumn('kind', 'text', (c) => c.primaryKey().check(sql`kind in ('operator', 'gateway')`))
        .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  };
}
