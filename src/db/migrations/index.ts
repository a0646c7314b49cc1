import type { Migration, MigrationProvider } from 'kysely/migration';
import type { Dialect } from './column-types.ts';
import { foundation } from './0001_foundation.ts';
import { projects } from './0002_projects.ts';
import { roles } from './0004_roles.ts';
import { keysAudit } from './0005_keys_audit.ts';
import { groups } from './0006_groups.ts';
import { keyplane } from './0007_keyplane.ts';
import { policy } from './0008_policy.ts';
import { webhooks } from './0009_webhooks.ts';

/**
 * Every migration, in order. They are listed here rather than read from the folder so that they
 * run the same from source, from a package, and under the test runner.
 */
export function migrationProvider(dialect: Dialect): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '0001_foundation': foundation(dialect),
    '0002_projects': projects(dialect),
    '0004_roles': roles(dialect),
    '0005_keys_audit': keysAudit(dialect),
    '0006_groups': groups(dialect),
    '0007_keyplane': keyplane(dialect),
    '0008_policy': policy(dialect),
    '0009_webhooks': webhooks(dialect),
  };
  return { getMigrations: async () => migrations };
}
