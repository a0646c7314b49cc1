import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { fileURLToPath } from 'node:url';

/** The built console (see console/build.ts); committed, so a fresh clone serves it without a build. */
export const CONSOLE_ASSETS = fileURLToPath(new URL('../../../console/dist/', import.meta.url));

/**
 * Serves the web console at `/`: its page and the two files it loads. The console talks to roster
 * only through the public `/v1` API with the admin key the user signs in with, so these files need
 * no key themselves. Exactly the built files are routed (no wildcard), so unknown paths still get
 * the API's 404 envelope. Anything that builds an app (`serve`, the emulator) gets the console by
 * calling this once.
 */
export async function serveConsole(app: FastifyInstance): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root: CONSOLE_ASSETS,
      wildcard: false,
      index: 'index.html',
      decorateReply: false,
      // Revalidated on every load (etag), so a new roster version is picked up at once.
      cacheControl: true,
      maxAge: 0,
    });
  });
}
