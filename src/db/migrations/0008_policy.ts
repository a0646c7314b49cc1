import type { Kysely } from 'kysely';
import { idType, type Dialect } from './column-types.ts';

/**
 * What an organization and its projects may do and spend: certificates, rate limits, data
 * retention, model and hosted-tool permissions, spend alerts and spend limits. Settings that exist
 * at both levels are keyed by `scope_id`, the organization's id or the project's (ids carry their
 * kind's prefix, so the two never collide). A missing row means the default.
 */
export function policy(dialect: Dialect) {
  const id = idType(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('certificates')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('organization_id', id, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
        .addColumn('name', 'text')
        // The PEM as uploaded, served with `include[]=content`.
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('valid_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        // Active for the organization (0/1); project activations are rows of project_certificates.
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('certificates_by_organization').on('certificates').columns(['organization_id', 'id']).execute();
      // One organization holds a certificate once.
      await db.schema.createIndex('certificates_unique_fingerprint').on('certificates').columns(['organization_id', 'fingerprint']).unique().execute();

      await db.schema
        .createTable('project_certificates')
        .addColumn('project_id', id, (c) => c.notNull().references('projects.id').onDelete('cascade'))
        // Deleting a certificate is refused while an active project uses it; archived projects'
        // activations go with it.
        .addColumn('certificate_id', id, (c) => c.notNull().references('certificates.id').onDelete('cascade'))
        .addColumn('organization_id', id, (c) => c.notNull())
        .addColumn('activated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('project_certificates_pk', ['project_id', 'certificate_id'])
        .execute();
      await db.schema.createIndex('project_certificates_by_certificate').on('project_certificates').columns(['certificate_id']).execute();

      await db.schema
        .createTable('data_retention')
        .addColumn('scope_id', id, (c) => c.primaryKey())
        .addColumn('organization_id', id, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
        .addColumn('project_id', id, (c) => c.references('projects.id').onDelete('cascade'))
        .addColumn('retention_type', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('spend_limits')
        .addColumn('scope_id', id, (c) => c.primaryKey())
        .addColumn('organization_id', id, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
        .addColumn('project_id', id, (c) => c.references('projects.id').onDelete('cascade'))
        .addColumn('threshold_amount', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('interval', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('spend_limits_by_organization').on('spend_limits').columns(['organization_id', 'threshold_amount']).execute();

      await db.schema
        .createTable('spend_alerts')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('organization_id', id, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
        .addColumn('scope_id', id, (c) => c.notNull())
        .addColumn('project_id', id, (c) => c.references('projects.id').onDelete('cascade'))
        .addColumn('threshold_amount', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('interval', 'text', (c) => c.notNull())
        // JSON of the notification channel, as sent.
        .addColumn('notification_channel', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('spend_alerts_by_scope').on('spend_alerts').columns(['scope_id', 'id']).execute();

      await db.schema
        .createTable('model_permissions')
        .addColumn('project_id', id, (c) => c.primaryKey().references('projects.id').onDelete('cascade'))
        .addColumn('organization_id', id, (c) => c.notNull())
        .addColumn('mode', 'text', (c) => c.notNull())
        // JSON array of model ids.
        .addColumn('model_ids', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('hosted_tool_permissions')
        .addColumn('project_id', id, (c) => c.primaryKey().references('projects.id').onDelete('cascade'))
        .addColumn('organization_id', id, (c) => c.notNull())
        // JSON object of tool name → enabled; tools not named are enabled.
        .addColumn('tools', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      // Only a project's changes to the catalogue's defaults are stored, one row per model.
      await db.schema
        .createTable('project_rate_limits')
        .addColumn('project_id', id, (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('organization_id', id, (c) => c.notNull())
        // JSON object of the limits set, by field name.
        .addColumn('limits', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('project_rate_limits_pk', ['project_id', 'model'])
        .execute();
    },
  };
}
