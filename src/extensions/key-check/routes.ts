import { route, routeTable } from '../../http/route-table.ts';
import { KeyCheck, KeyCheckBody } from './schemas.ts';
import { checkKey } from './service.ts';

/**
 * `/roster/v1/keys/check`: what a gateway in front of a model server asks on every request.
 * Called with the gateway token or an admin key; the answer is always a 200 saying whether the
 * key is active, so a refused key is never mistaken for a failed check.
 */
export const keyCheckRoutes = routeTable(
  ['Key check'],
  [
    route.post(
      '/keys/check',
      {
        operationId: 'roster-check-key',
        summary: 'Say whether a project API key is active and what it grants',
        body: KeyCheckBody,
        response: KeyCheck,
      },
      ({ db, request, body }) => checkKey(db, request.caller, body, request.server.modelCatalogue),
    ),
  ],
);
