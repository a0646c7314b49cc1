import { route, routeTable } from '../../http/route-table.ts';
import { LEVELS, scopeRef } from '../policy/scope.ts';
import { ModelPermissionsDeleted, ProjectModelPermissions, UpdateModelPermissionsBody } from './schemas.ts';
import * as service from './service.ts';

const url = `${LEVELS.project.prefix}/model_permissions`;
const params = LEVELS.project.params();

/** `/v1/organization/projects/{project_id}/model_permissions`: which models a project may use. */
export const modelPermissionsRoutes = routeTable(['Project model permissions'], [
  route.get(url, { operationId: 'retrieve-project-model-permissions', summary: 'Get the models a project may use', params, response: ProjectModelPermissions }, ({ db, principal, params }) =>
    service.retrieveModelPermissions(db, scopeRef(principal, params)),
  ),
  route.post(
    url,
    { operationId: 'update-project-model-permissions', summary: "Replace a project's allow or deny list of models", params, body: UpdateModelPermissionsBody, response: ProjectModelPermissions },
    ({ db, principal, params, body, request }) => service.updateModelPermissions(db, principal, request.server.modelCatalogue, scopeRef(principal, params), body),
  ),
  route.delete(url, { operationId: 'delete-project-model-permissions', summary: "Remove a project's list of models", params, response: ModelPermissionsDeleted }, ({ db, principal, params }) =>
    service.deleteModelPermissions(db, principal, scopeRef(principal, params)),
  ),
]);
