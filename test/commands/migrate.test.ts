import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';
import { migrationProvider } from '../../src/db/migrations/index.ts';
import { childProcessEnv, openTestStore } from '../support/store.ts';

const run = promisify(execFile);

describe('roster migrate', () => {
  test('applies every migration to an empty store, then finds nothing left to do', async (t) => {
    const testStore = await openTestStore();
    t.after(() => testStore.close());
    const storeEnv = childProcessEnv(t, testStore);
    if (!storeEnv) return;
    const env = { ...process.env, ...storeEnv };
    const names = Object.keys(await migrationProvider(testStore.store.dialect).getMigrations());

    const first = await run(process.execPath, ['src/cli.ts', 'migrate'], { env });
    assert.equal(first.stdout, `applied: ${names.join(', ')}\n`);
    const tables = (await testStore.store.db.introspection.getTables()).map((table) => table.name);
    assert.ok(tables.includes('organization_users') && tables.includes('audit_logs'), tables.join(', '));

    const second = await run(process.execPath, ['src/cli.ts', 'migrate'], { env });
    assert.equal(second.stdout, 'already up to date\n');
  });
});
