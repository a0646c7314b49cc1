import { Command } from 'commander';
import { loadConfig } from './config.ts';
import { migrateToLatest, openMigratedStore, openStore } from './db/connect.ts';
import { firstOrganizationId } from './api/organizations/service.ts';
import { ImportError, importUsers } from './commands/import-users.ts';
import { serve } from './commands/serve.ts';
import { organizationCommands } from './commands/organizations.ts';
import { registerEmulatorCommands } from './commands/emulate.ts';
import { VERSION } from './lib/version.ts';

const program = new Command()
  .name('roster')
  .description('A self-hostable server for the identity and access plane of the OpenAI Admin API.')
  .version(VERSION, '-v, --version', 'print the version and exit');

program
  .command('serve')
  .description('migrate the store, create the first organization if it is empty, and serve the API')
  .action(() => serve(loadConfig()));

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(async () => {
    const store = openStore(loadConfig());
    try {
      const applied = await migrateToLatest(store);
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'already up to date\n');
    } finally {
      await store.db.destroy();
    }
  });

program
  .command('import')
  .description('add users from a JSON Lines file ({"email", "name", "role"} per line) in one transaction')
  .argument('<file>', 'path to the .jsonl file')
  .option('--org <id>', 'organization to fill (default: the one created on first start)')
  .action(async (file: string, options: { org?: string }) => {
    const store = await openMigratedStore(loadConfig());
    try {
      const organizationId = options.org ?? (await firstOrganizationId(store.db));
      if (!organizationId) throw new ImportError('the store has no organization yet: start roster once, or pass --org');
      const started = performance.now();
      const count = await importUsers(store.db, organizationId, file, { progress: Boolean(process.stderr.isTTY) });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(`imported ${count} users into ${organizationId} in ${seconds} s\n`);
    } catch (error) {
      if (!(error instanceof ImportError)) throw error;
      process.stderr.write(`import failed, nothing was written: ${error.message}\n`);
      process.exitCode = 1;
    } finally {
      await store.db.destroy();
    }
  });

program.addCommand(organizationCommands());
registerEmulatorCommands(program);

/**
 * A command that fails says why in one line and exits with 1: a stack trace tells an operator
 * nothing about a taken port or a mistyped variable. ROSTER_LOG_LEVEL=debug (or trace) adds the
 * stack, for the failures that are roster's own fault.
 */
try {
  await program.parseAsync();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`roster: ${message.split('\n')[0]}\n`);
  if (/^(debug|trace)$/.test(process.env.ROSTER_LOG_LEVEL ?? '') && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  // Whatever the failed command left open (a pool, a server) must not keep the process alive.
  process.exit(1);
}
