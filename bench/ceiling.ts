import http from 'node:http';
import { FIXED_USER_BODY } from './fixed-user.ts';

/**
 * The ceiling: the fastest answer Node.js can give on this machine, a bare `node:http` server that
 * sends one fixed organization user for every request. roster is measured against it, in the same
 * run, with the same load generator, so the ratio says how much roster's own work costs.
 */
const port = Number(process.env.PORT ?? 0);
const server = http.createServer((request, response) => {
  // Request bodies (modify scenario) are read and dropped so the connection stays usable.
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(FIXED_USER_BODY) });
    response.end(FIXED_USER_BODY);
  });
});
server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
