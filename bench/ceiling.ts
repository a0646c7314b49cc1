import http from 'node:http';

/**
 * The ceiling: the fastest answer Node.js can give on this machine, a bare `node:http` server that
 * sends one fixed organization user for every request. roster is measured against it, in the same
 * run, with the same load generator, so the ratio says how much roster's own work costs.
 */
const CEILING_BODY = JSON.stringify({
  object: 'organization.user',
  id: 'user-0TjqT3dW1wZ4kQy7bR2mN8vX',
  name: 'Person 417',
  email: 'person-0417@small.example',
  role: 'reader',
  added_at: 1767225600,
  created: 1767225600,
  is_default: false,
  is_service_account: false,
  is_scim_managed: false,
  api_key_last_used_at: null,
  technical_level: null,
  developer_persona: null,
});

const port = Number(process.env.PORT ?? 0);
const server = http.createServer((request, response) => {
  // Request bodies (modify scenario) are read and dropped so the connection stays usable.
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(CEILING_BODY) });
    response.end(CEILING_BODY);
  });
});
server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
