import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';
import { migrationProvider } from '../../src/db/migrations/index.ts';
import { openTestStoreForChildProcesses } from '../support/store.ts';

const run = promisify(execFile);

describe('roster migrate', () => {
  test('applies every migration to an empty store, then finds nothing left to do', async (t) => {
    const testStore = await openTestStoreForChildProcesses(t);
    if (!testStore) return;
    const env = { ...process.env, ...testStore.processEnv };
    const names = Object.keys(await migrationProvider(testStore.store.dialect).getMigrations());

    const first = await run(process.execPath, ['src/cli.ts', 'migrate'], { env });
    assert.equal(first.stdout, `applied: ${names.join(', ')}\n`);
    // The tables exist where this store looks for them (on PostgreSQL, its own schema).
    assert.deepEqual(await testStore.store.db.selectFrom('organization_users').select('user_id').execute(), []);

    const second = await run(process.execPath, ['src/cli.ts', 'migrate'], { env });
    assert.equal(second.stdout, 'already up to date\n');
  });
});
