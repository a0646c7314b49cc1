import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import { invalidRequest, notFound } from '../../http/api-error.ts';
import type { Principal } from '../../http/auth.ts';
import type { Page } from '../../http/pagination.ts';
import { nowSeconds } from '../../lib/time.ts';
import { recordAuditEvent } from '../audit-logs/record.ts';
import { pageOf } from '../policy/listing.ts';
import { readableScope, writableScope, type ScopeRef } from '../policy/scope.ts';
import { LIMIT_FIELDS, type Limits, type ModelCatalogue } from './catalogue.ts';
import * as rateLimits from './repository.ts';
import type { ListRateLimitsQuery, ProjectRateLimit, UpdateRateLimitBody } from './schemas.ts';

/**
 * A project has one rate limit per model of the catalogue: the catalogue's defaults, with the
 * project's own changes on top. Only the changes are stored, so replacing the catalogue moves
 * every limit a project has not set.
 */
const ID_PREFIX = 'rl_';

function rateLimitId(model: string): string {
  return `${ID_PREFIX}${model}`;
}

/** A model's limits in force: the catalogue's, with the project's changes on top. */
export function limitsInForce(defaults: Limits, overrides: rateLimits.Overrides): Limits {
  return { ...defaults, ...overrides };
}

function toRateLimit(model: string, limits: Limits): ProjectRateLimit {
  return { object: 'project.rate_limit', id: rateLimitId(model), model, ...limits };
}

export async function listRateLimits(db: Db, catalogue: ModelCatalogue, ref: ScopeRef, query: ListRateLimitsQuery): Promise<Page<ProjectRateLimit>> {
  const scope = await readableScope(db, ref);
  const overrides = await rateLimits.projectOverrides(db, scope.scopeId);
  const all = [...catalogue].map(([model, defaults]) => toRateLimit(model, limitsInForce(defaults, overrides.get(model) ?? {})));
  return pageOf(all, query);
}

/**
 * Changes some of a model's limits for the project. Only the limits the model has can be set;
 * setting the values in force changes nothing and is not audited.
 */
export async function updateRateLimit(
  db: Kysely<Database>,
  principal: Principal,
  catalogue: ModelCatalogue,
  ref: ScopeRef,
  id: string,
  body: UpdateRateLimitBody,
): Promise<ProjectRateLimit> {
  const model = id.startsWith(ID_PREFIX) ? id.slice(ID_PREFIX.length) : undefined;
  const defaults = model === undefined ? undefined : catalogue.get(model);
  if (model === undefined || !defaults) throw notFound('rate limit', id, 'rate_limit_id');
  for (const field of LIMIT_FIELDS) {
    if (body[field] !== undefined && defaults[field] === undefined) {
      throw invalidRequest(`Model '${model}' has no ${field} limit.`, field, 'unsupported_parameter');
    }
  }
  return db.transaction().execute(async (trx) => {
    const scope = await writableScope(trx, ref);
    const overrides = await rateLimits.modelOverrides(trx, scope.scopeId, model);
    const current = limitsInForce(defaults, overrides);
    const changes = Object.fromEntries(Object.entries(body).filter(([field, value]) => value !== undefined && current[field as keyof Limits] !== value));
    if (Object.keys(changes).length === 0) return toRateLimit(model, current);
    await rateLimits.saveOverrides(trx, scope.organizationId, scope.scopeId, model, { ...overrides, ...changes }, nowSeconds());
    await recordAuditEvent(trx, principal, {
      type: 'rate_limit.updated',
      resourceId: rateLimitId(model),
      details: { changes_requested: changes },
      project: scope.project,
    });
    return toRateLimit(model, { ...current, ...changes });
  });
}
