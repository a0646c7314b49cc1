import { build, type BuildOptions } from 'esbuild';
import { readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Bundles the console into console/dist/, which is committed: `npm ci && npm start` then serves it
 * with no build step and no install script (esbuild's own install script is not needed at run time).
 * `test/extensions/console/bundle.test.ts` rebuilds in memory and fails when dist/ is stale.
 *
 *   node console/build.ts
 */
const here = fileURLToPath(new URL('.', import.meta.url));

export const bundleOptions: BuildOptions = {
  entryPoints: { app: `${here}src/main.tsx` },
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  loader: { '.css': 'css' },
  legalComments: 'none',
  logLevel: 'warning',
};

/** The bundle's files by name (app.js, app.css) and the page that loads them. */
export async function bundle(): Promise<Map<string, string>> {
  const result = await build({ ...bundleOptions, write: false, outdir: 'dist' });
  const files = new Map<string, string>();
  for (const file of result.outputFiles) files.set(file.path.split('/').at(-1)!, file.text);
  files.set('index.html', readFileSync(`${here}index.html`, 'utf8'));
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = `${here}dist/`;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  for (const [name, text] of await bundle()) writeFileSync(out + name, text);
  process.stdout.write(`console built into ${out}\n`);
}
