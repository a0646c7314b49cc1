import Fastify from 'fastify';
import { requestLogging } from '../src/http/request-log.ts';
import { FIXED_USER_BODY } from './fixed-user.ts';

/**
 * The framework floor: Fastify with roster's own request logging (one JSON line per request, at
 * info, to a file) and nothing else, answering every request with the ceiling's fixed body. What
 * separates it from the ceiling is the framework and the log line; what separates roster from it
 * is roster's own work (keys, the store, validation, the real answer).
 */
const app = Fastify({ logger: { level: 'info' }, ...requestLogging });
// Any method, any path: the scenarios' requests, bodies included, all get the fixed user.
app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, _body, done) => done(null, undefined));
app.all('/*', (_request, reply) => reply.type('application/json; charset=utf-8').send(FIXED_USER_BODY));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
