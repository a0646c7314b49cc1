import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyHttpOptions, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isStoreUnavailable } from '../db/postgres.ts';
import { ApiError } from './api-error.ts';
import { parseQueryString } from './query-string.ts';
import { newRequestId } from './request-log.ts';
import { describeValidationError } from './validation.ts';

function sendError(request: FastifyRequest, reply: FastifyReply, error: ApiError): FastifyReply {
  // Set here as well as in the onRequest hook: router-level errors are answered before any hook runs.
  reply.header('x-request-id', request.id);
  if (error.status === 503) reply.header('retry-after', '1');
  return reply.code(error.status).type('application/json; charset=utf-8').send(JSON.stringify(error.toJSON()));
}

/** The store cannot be reached (PostgreSQL restarting, a dropped connection): retrying may succeed. */
function storeUnavailable(): ApiError {
  return new ApiError(503, 'The database is unavailable at the moment. Retry the request shortly.', {
    type: 'server_error',
    code: 'database_unavailable',
  });
}

/** Maps what Fastify itself raises (bad JSON, oversized bodies, bad content types) to envelopes. */
function fromFastifyError(error: FastifyError): ApiError {
  if (error.validation) return describeValidationError(error.validation, error.validationContext ?? 'body');
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'The request body is too large.', { code: 'request_too_large' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, 'Unsupported Content-Type: send the request body as application/json.', {
        code: 'unsupported_media_type',
      });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError(400, 'The Content-Length header does not match the request body.');
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new ApiError(
      400,
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
      { code: 'invalid_json' },
    );
  }
  if (isStoreUnavailable(error)) return storeUnavailable();
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return new ApiError(status, error.message);
  return new ApiError(500, 'The server had an error while processing your request.', { type: 'server_error' });
}

/** Long paths (a fuzzer's 10,000-character id) are cut in messages; the status says enough. */
const ECHOED_PATH_LENGTH = 200;

/** The real API answers unknown routes and unsupported methods alike with this 404. */
function invalidUrl(request: FastifyRequest): ApiError {
  const path = request.url.split('?')[0]!;
  const shown = path.length > ECHOED_PATH_LENGTH ? `${path.slice(0, ECHOED_PATH_LENGTH)}…` : path;
  return new ApiError(404, `Invalid URL (${request.method} ${shown})`);
}

export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const apiError = error instanceof ApiError ? error : fromFastifyError(error);
    if (apiError.status === 503) request.log.warn({ err: { message: error.message, code: error.code } }, 'store unavailable');
    else if (apiError.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendError(request, reply, apiError);
  });
  app.setNotFoundHandler((request, reply) => sendError(request, reply, invalidUrl(request)));
}

/**
 * What the router finds wrong before any route runs: a path that cannot be percent-decoded
 * (`/v1/organization/users/%zz`) is a 400, and a path parameter longer than any id roster makes is
 * the 404 an unknown id gets anyway (not Fastify's 414).
 */
function answerRouterError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return sendError(request, reply, invalidUrl(request));
  return sendError(request, reply, new ApiError(400, 'The URL is not valid: it contains a malformed percent-encoding.', { code: 'invalid_url' }));
}

/**
 * Requests Node's HTTP parser refuses never reach Fastify: headers over the size limit (431), a
 * request that did not arrive in time (408), bytes that are not HTTP (400). They get the envelope
 * and a request id too, and `Connection: close`, since the connection cannot carry another request.
 * The raw bytes are never logged: they hold the Authorization header.
 */
function answerClientError(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const apiError =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new ApiError(431, 'The request headers are too large.', { code: 'request_header_fields_too_large' })
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new ApiError(408, 'The request did not arrive in time.', { code: 'request_timeout' })
        : new ApiError(400, 'The request is not valid HTTP/1.1.', { code: 'malformed_request' });
  const requestId = newRequestId();
  this.log.info({ reqId: requestId, status: apiError.status, code: error.code }, 'refused by the HTTP parser');
  // A response already under way on this socket cannot be followed by another.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const body = JSON.stringify(apiError.toJSON());
    // The parser gave up on the request, but its first bytes still say whether it was a HEAD.
    const head = (error as { rawPacket?: Buffer }).rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
    socket.end(
      `HTTP/1.1 ${apiError.status} ${STATUS_CODES[apiError.status]}\r\n` +
        `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `x-request-id: ${requestId}\r\nconnection: close\r\n\r\n${head ? '' : body}`,
    );
  }
  // The client may keep sending; give the answer a moment to leave, then let go of the socket.
  setTimeout(() => socket.destroy(), 1000).unref();
}

/**
 * A path parameter longer than this is no id roster has made; the router refuses it (as a 404)
 * before any query runs.
 */
const MAX_PARAM_LENGTH = 1000;

/** Slow clients cannot hold a connection forever: headers within 10 s, the whole request within 30 s. */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Fastify options for everything before a route runs: how the URL and query are read, router- and
 * parser-level errors answered with the envelope, and bounded waits.
 */
export const protocolOptions = {
  frameworkErrors: answerRouterError,
  clientErrorHandler: answerClientError,
  requestTimeout: REQUEST_TIMEOUT_MS,
  // Node checks the two timeouts above only every connectionsCheckingInterval (30 s by default).
  http: { headersTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 1_000 },
  routerOptions: { querystringParser: parseQueryString, maxParamLength: MAX_PARAM_LENGTH },
} satisfies FastifyHttpOptions<Server>;
