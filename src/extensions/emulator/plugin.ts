import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../../http/api-error.ts';
import type { Invite } from '../../api/invites/schemas.ts';
import { OpenAiRateLimits } from './faults.ts';
import { emulatorRoutes } from './routes.ts';
import type { Emulator } from './service.ts';

export const CONTROL_PREFIX = '/roster/v1/emulator';

declare module 'fastify' {
  interface FastifyRequest {
    /** The fault rule that acted on this request, for the journal. */
    emulatorFault: string | null;
  }
}

const isControl = (request: FastifyRequest) => request.url.startsWith(CONTROL_PREFIX);

/**
 * Puts the emulator into an application: rate limits and fault rules ahead of everything else on
 * every API request, the journal and the invite outbox after it, and the control routes. With no
 * rule installed a request pays one check for it.
 */
export async function installEmulator(app: FastifyInstance, emulator: Emulator): Promise<void> {
  app.decorateRequest('emulatorFault', null);

  app.addHook('onRequest', async (request, reply) => {
    if (isControl(request)) return;
    if (emulator.rateLimits) {
      const waitSeconds = emulator.rateLimits.take(request);
      if (waitSeconds > 0) {
        reply.header('retry-after', String(waitSeconds));
        throw OpenAiRateLimits.exceeded(request, waitSeconds);
      }
    }
    if (emulator.faults.empty) return;
    const action = emulator.faults.actionFor(request);
    if (action === undefined) return;
    request.emulatorFault = action.rule;
    if (action.latencyMs > 0) await sleep(action.latencyMs);
    if (action.drop) {
      emulator.journal.record(request, null, action.rule);
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    if (action.error) {
      if (action.retryAfterSeconds !== undefined) reply.header('retry-after', String(action.retryAfterSeconds));
      throw action.error;
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    if (!isControl(request)) emulator.journal.record(request, reply.statusCode, request.emulatorFault);
  });

  // The invite e-mail roster would send: read from the answer, so it is exactly what was created.
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode === 200 && request.routeOptions.schema?.operationId === 'inviteUser' && typeof payload === 'string') {
      emulator.emails.record(JSON.parse(payload) as Invite, `${request.protocol}://${request.host}`);
    }
    return payload;
  });

  await app.register(
    async (controls) => {
      controls.addHook('onRequest', async (request) => {
        const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
        if (!emulator.acceptsToken(match?.[1])) {
          throw new ApiError(401, 'The emulator controls need the emulator token (printed when roster emulate starts) as a Bearer token.', {
            code: 'invalid_emulator_token',
          });
        }
      });
      await controls.register(emulatorRoutes(emulator));
    },
    { prefix: CONTROL_PREFIX },
  );
}
