import { ProjectParams } from '../../api/project-api-keys/schemas.ts';
import { createUserKey } from '../../api/project-api-keys/service.ts';
import { route, routeTable } from '../../http/route-table.ts';
import { CreatedUserApiKey, CreateUserApiKeyBody } from './schemas.ts';

/**
 * `/roster/v1/projects/{project_id}/api_keys`: a person's project key. The real service makes
 * these in its dashboard, not through the API; the rules and the audit record are those of every
 * project key (src/api/project-api-keys/service.ts).
 */
export const userApiKeysRoutes = routeTable(
  ['Project API keys'],
  [
    route.post(
      '/projects/:project_id/api_keys',
      {
        operationId: 'roster-create-user-api-key',
        summary: 'Create a project API key owned by a project member; its value is shown only once',
        params: ProjectParams,
        body: CreateUserApiKeyBody,
        response: CreatedUserApiKey,
      },
      ({ db, principal, params, body }) => createUserKey(db, principal, params.project_id, body),
    ),
  ],
);
