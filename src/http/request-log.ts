import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * One structured line per finished request, with its request id (pino's `reqId`), status and
 * duration, instead of Fastify's two. Keys, headers and bodies are never logged.
 */
export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request failed');
    else reply.log.info(line, 'request');
  }
}
