import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { bundle } from '../../../console/build.ts';
import { CONSOLE_ASSETS } from '../../../src/extensions/console/routes.ts';

// The built console is committed so that `npm ci && npm start` serves it without a build step.

test('the committed console/dist is what the console source builds to (run `npm run console:build`)', async () => {
  const built = await bundle();
  assert.deepEqual(readdirSync(CONSOLE_ASSETS).sort(), [...built.keys()].sort());
  for (const [name, text] of built) assert.equal(readFileSync(CONSOLE_ASSETS + name, 'utf8'), text, `console/dist/${name} is stale`);
});

test('the first load stays under 250 KB of gzipped JavaScript', () => {
  const scripts = readdirSync(CONSOLE_ASSETS).filter((name) => name.endsWith('.js'));
  const gzipped = scripts.reduce((sum, name) => sum + gzipSync(readFileSync(CONSOLE_ASSETS + name)).length, 0);
  assert.ok(gzipped <= 250 * 1024, `${gzipped} bytes gzipped`);
});
