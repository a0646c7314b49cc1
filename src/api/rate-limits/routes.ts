import { route, routeTable } from '../../http/route-table.ts';
import { LEVELS, scopeRef } from '../policy/scope.ts';
import { ListRateLimitsQuery, ProjectRateLimit, ProjectRateLimitList, RateLimitId, UpdateRateLimitBody } from './schemas.ts';
import * as service from './service.ts';

const project = LEVELS.project;
const url = `${project.prefix}/rate_limits`;

/** `/v1/organization/projects/{project_id}/rate_limits`: one per model of the catalogue. */
export const rateLimitsRoutes = routeTable(['Project rate limits'], [
  route.get(
    url,
    { operationId: 'list-project-rate-limits', summary: "List the project's rate limit for each model", params: project.params(), querystring: ListRateLimitsQuery, response: ProjectRateLimitList },
    ({ db, principal, params, query, request }) => service.listRateLimits(db, request.server.modelCatalogue, scopeRef(principal, params), query),
  ),
  route.post(
    `${url}/:rate_limit_id`,
    { operationId: 'update-project-rate-limits', summary: "Change some of the project's limits for one model", params: project.params(RateLimitId), body: UpdateRateLimitBody, response: ProjectRateLimit },
    ({ db, principal, params, body, request }) =>
      service.updateRateLimit(db, principal, request.server.modelCatalogue, scopeRef(principal, params), (params as { rate_limit_id: string }).rate_limit_id, body),
  ),
]);
