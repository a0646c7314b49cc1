import { Command } from 'commander';
import type { Kysely } from 'kysely';
import { loadConfig } from '../config.ts';
import { migrateToLatest, openStore } from '../db/connect.ts';
import type { Database } from '../db/schema.ts';
import { ApiError } from '../http/api-error.ts';
import { createOrganization, deleteOrganization, listOrganizations } from '../extensions/organizations/service.ts';

/** Runs `work` on the configured store, migrated; a refused request is reported, not thrown. */
async function onStore(work: (db: Kysely<Database>) => Promise<void>): Promise<void> {
  const store = openStore(loadConfig());
  try {
    await migrateToLatest(store);
    await work(store.db);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } finally {
    await store.db.destroy();
  }
}

/**
 * `roster org create|list|delete`: what `/roster/v1/organizations` does with the operator key,
 * done on the store directly (whoever can reach the store needs no key).
 */
export function organizationCommands(): Command {
  const org = new Command('org').description("manage organizations (the platform's customers)");

  org
    .command('create')
    .description('create an organization with its first owner and admin key (printed once)')
    .requiredOption('--name <name>', 'name of the organization')
    .requiredOption('--owner-email <email>', 'email of the first owner')
    .option('--owner-name <name>', 'name of the first owner')
    .action((options: { name: string; ownerEmail: string; ownerName?: string }) =>
      onStore(async (db) => {
        const created = await createOrganization(db, { name: options.name, owner_email: options.ownerEmail, owner_name: options.ownerName });
        process.stdout.write(`created ${created.id} (${created.name}), owner ${created.owner.email}\n`);
        process.stdout.write(`admin key (shown once, store it now): ${created.admin_key.value}\n`);
      }),
    );

  org
    .command('list')
    .description('list the organizations, oldest first, one per line: id, created (Unix seconds), name')
    .action(() =>
      onStore(async (db) => {
        let after: string | undefined;
        for (;;) {
          const page = await listOrganizations(db, { limit: 100, after });
          for (const o of page.data) process.stdout.write(`${o.id}\t${o.created_at}\t${o.name}\n`);
          if (!page.has_more) break;
          after = page.last_id!;
        }
      }),
    );

  org
    .command('delete')
    .description('delete an organization and everything in it')
    .argument('<id>', 'the organization id')
    .action((id: string) =>
      onStore(async (db) => {
        await deleteOrganization(db, id);
        process.stdout.write(`deleted ${id}\n`);
      }),
    );

  return org;
}
