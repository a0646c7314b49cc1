import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest, onSendHookHandler } from 'fastify';
import { ApiError } from '../../http/api-error.ts';
import { authenticate } from '../../http/auth.ts';
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

/** Rate limits and fault rules, for a request they may apply to. */
async function applyFaults(emulator: Emulator, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (emulator.rateLimits) {
    const waitSeconds = emulator.rateLimits.take(request);
    if (waitSeconds > 0) {
      reply.header('retry-after', String(waitSeconds));
      throw OpenAiRateLimits.exceeded(request, waitSeconds);
    }
  }
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
}

/**
 * Puts the emulator into an application: rate limits and fault rules ahead of everything else on
 * every API request, the journal and the invite outbox after it, and the control routes.
 */
export async function installEmulator(app: FastifyInstance, emulator: Emulator): Promise<void> {
  app.decorateRequest('emulatorFault', null);

  // Callback-style hooks, not async ones: with no rule installed the request path pays a check and
  // a journal entry, and no promise.
  app.addHook('onRequest', (request, reply, done) => {
    if ((emulator.faults.empty && !emulator.rateLimits) || isControl(request)) return done();
    applyFaults(emulator, request, reply).then(() => done(), done);
  });

  app.addHook('onResponse', (request, reply, done) => {
    if (!isControl(request)) emulator.journal.record(request, reply.statusCode, request.emulatorFault);
    done();
  });

  // The invite e-mail roster would send, read from the answer so it is exactly what was created;
  // hooked on that one route only.
  app.addHook('onRoute', (route) => {
    if (route.schema?.operationId !== 'inviteUser') return;
    const recordEmail: onSendHookHandler = (request, reply, payload, done) => {
      if (reply.statusCode === 200 && typeof payload === 'string') emulator.emails.record(JSON.parse(payload) as Invite, `${request.protocol}://${request.host}`);
      done(null, payload);
    };
    route.onSend = [...(Array.isArray(route.onSend) ? route.onSend : route.onSend ? [route.onSend] : []), recordEmail];
  });

  await app.register(
    async (controls) => {
      controls.addHook('onRequest', async (request) => {
        const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
        if (emulator.acceptsToken(match?.[1])) return;
        // The operator key, checked the way every route checks it; any other credential is refused alike.
        const operator = await authenticate(emulator.store.db, request, ['operator']).catch(() => undefined);
        if (operator?.kind !== 'operator') {
          throw new ApiError(401, 'The emulator controls need the emulator token (printed when roster emulate starts) or the operator key as a Bearer token.', {
            code: 'invalid_emulator_token',
          });
        }
      });
      await controls.register(emulatorRoutes(emulator));
    },
    { prefix: CONTROL_PREFIX },
  );
}
