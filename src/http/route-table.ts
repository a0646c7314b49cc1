import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Static, TSchema } from 'typebox';
import type { Database } from '../db/schema.ts';
import type { Principal } from './auth.ts';

/**
 * One shape for every operation: a resource's routes are a table of `route.get|post|delete`
 * entries, each naming its path, operation id, schemas and a one-line handler. The table is turned
 * into Fastify routes in one place, so validation, the OpenAPI document and the handler's types all
 * come from the same schemas, and a hundred operations do not mean a hundred copies of the same
 * registration boilerplate.
 */

type Input<S> = S extends TSchema ? Static<S> : undefined;

/** What a handler is given: the store, the caller, and the validated request parts. */
export interface Call<Params, Query, Body> {
  db: Kysely<Database>;
  principal: Principal;
  params: Params;
  query: Query;
  body: Body;
  request: FastifyRequest;
  /** For the few handlers that answer with something other than JSON (a stream) and set its headers. */
  reply: FastifyReply;
}

export interface Operation<P, Q, B, R> {
  operationId: string;
  summary: string;
  description?: string;
  params?: P;
  querystring?: Q;
  body?: B;
  /** The schema of the 200 answer; it also shapes the serialized response. */
  response: R;
  /** A request may leave the body out; the handler then sees `{}`. */
  optionalBody?: boolean;
}

type Method = 'GET' | 'POST' | 'DELETE';

export interface Route {
  method: Method;
  url: string;
  operation: Operation<TSchema | undefined, TSchema | undefined, TSchema | undefined, TSchema>;
  handle: (call: Call<any, any, any>) => unknown;
}

function define(method: Method) {
  return <R extends TSchema, P extends TSchema | undefined = undefined, Q extends TSchema | undefined = undefined, B extends TSchema | undefined = undefined>(
    url: string,
    operation: Operation<P, Q, B, R>,
    handle: (call: Call<Input<P>, Input<Q>, Input<B>>) => Promise<Static<R>> | Static<R>,
  ): Route => ({ method, url, operation, handle: handle as Route['handle'] });
}

export const route = { get: define('GET'), post: define('POST'), delete: define('DELETE') };

function definedParts(parts: Record<string, TSchema | undefined>): Record<string, TSchema> {
  return Object.fromEntries(Object.entries(parts).filter(([, schema]) => schema !== undefined)) as Record<string, TSchema>;
}

/** A Fastify plugin serving `routes`, each tagged with `tags` in the OpenAPI document. */
export function routeTable(tags: string[], routes: Route[]): FastifyPluginAsync {
  return async (app) => {
    for (const { method, url, operation, handle } of routes) {
      const { operationId, summary, description, params, querystring, body, response, optionalBody } = operation;
      app.route({
        method,
        url,
        // Parts a route does not take are left out, not set to undefined (Fastify warns about those).
        schema: { operationId, summary, description, tags, ...definedParts({ params, querystring, body }), response: { 200: response } },
        preValidation: optionalBody
          ? async (request) => {
              request.body ??= {};
            }
          : undefined,
        handler: (request, reply) =>
          handle({
            db: app.db,
            principal: request.principal,
            params: request.params,
            query: request.query,
            body: request.body,
            request,
            reply,
          }),
      });
    }
  };
}
