import { route, routeTable } from '../../http/route-table.ts';
import { LEVELS, scopeRef } from '../policy/scope.ts';
import { ProjectHostedToolPermissions, UpdateHostedToolPermissionsBody } from './schemas.ts';
import * as service from './service.ts';

const url = `${LEVELS.project.prefix}/hosted_tool_permissions`;
const params = LEVELS.project.params();

/** `/v1/organization/projects/{project_id}/hosted_tool_permissions`: which hosted tools a project may use. */
export const hostedToolPermissionsRoutes = routeTable(['Project hosted tool permissions'], [
  route.get(
    url,
    { operationId: 'retrieve-project-hosted-tool-permissions', summary: 'Get the hosted tools a project may use', params, response: ProjectHostedToolPermissions },
    ({ db, principal, params }) => service.retrieveHostedToolPermissions(db, scopeRef(principal, params)),
  ),
  route.post(
    url,
    {
      operationId: 'update-project-hosted-tool-permissions',
      summary: 'Enable or disable hosted tools for a project',
      params,
      body: UpdateHostedToolPermissionsBody,
      response: ProjectHostedToolPermissions,
    },
    ({ db, principal, params, body }) => service.updateHostedToolPermissions(db, principal, scopeRef(principal, params), body),
  ),
]);
