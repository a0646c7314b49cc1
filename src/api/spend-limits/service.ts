import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import { ApiError, invalidRequest } from '../../http/api-error.ts';
import type { Principal } from '../../http/auth.ts';
import { nowSeconds } from '../../lib/time.ts';
import { lockOrganization } from '../organization-users/repository.ts';
import { readableScope, recordSettingChange, writableScope, type PolicyScope, type ScopeRef } from '../policy/scope.ts';
import * as limits from './repository.ts';
import type { UpdateSpendLimitBody } from './schemas.ts';

type SpendLimit = {
  object: 'organization.spend_limit' | 'project.spend_limit';
  threshold_amount: number;
  currency: 'USD';
  interval: 'month';
  // roster records no spend, so a limit is never reached.
  enforcement: { status: 'inactive' | 'enforcing' };
};

function toSpendLimit(scope: PolicyScope, row: limits.SpendLimitRow): SpendLimit {
  return {
    object: scope.project ? 'project.spend_limit' : 'organization.spend_limit',
    threshold_amount: row.threshold_amount,
    currency: row.currency as 'USD',
    interval: row.interval as 'month',
    enforcement: { status: 'inactive' },
  };
}

function noLimit(scope: PolicyScope): ApiError {
  const whose = scope.project ? `project '${scope.project.id}'` : 'the organization';
  return new ApiError(404, `No spend limit is set for ${whose}.`, { code: 'not_found' });
}

export async function retrieveSpendLimit(db: Db, ref: ScopeRef): Promise<SpendLimit> {
  const scope = await readableScope(db, ref);
  const row = await limits.findSpendLimit(db, scope.scopeId);
  if (!row) throw noLimit(scope);
  return toSpendLimit(scope, row);
}

/**
 * A project's limit may not exceed its organization's, so both levels are set under the
 * organization's row lock (taken before the project's, the order every writer uses): neither can
 * move past the other while the check runs.
 */
async function refuseCrossingLimits(trx: Db, scope: PolicyScope, amount: number): Promise<void> {
  if (scope.project) {
    const organizationLimit = await limits.findSpendLimit(trx, scope.organizationId);
    if (organizationLimit && amount > organizationLimit.threshold_amount) {
      throw invalidRequest(
        `A project's spend limit cannot exceed its organization's: ${amount} is above the organization's limit of ${organizationLimit.threshold_amount} cents.`,
        'threshold_amount',
        'spend_limit_above_organization',
      );
    }
    return;
  }
  const highest = await limits.highestProjectLimit(trx, scope.organizationId);
  if (highest && highest.threshold_amount > amount) {
    throw invalidRequest(
      `Project '${highest.project_id}' has a spend limit of ${highest.threshold_amount} cents, above ${amount}; lower it first, since a project's limit cannot exceed its organization's.`,
      'threshold_amount',
      'spend_limit_below_project',
    );
  }
}

export async function updateSpendLimit(db: Kysely<Database>, principal: Principal, ref: ScopeRef, body: UpdateSpendLimitBody): Promise<SpendLimit> {
  return db.transaction().execute(async (trx) => {
    await lockOrganization(trx, ref.organizationId);
    const scope = await writableScope(trx, ref);
    await refuseCrossingLimits(trx, scope, body.threshold_amount);
    const limit = { threshold_amount: body.threshold_amount, currency: body.currency, interval: body.interval };
    const current = await limits.findSpendLimit(trx, scope.scopeId);
    const unchanged = current && Object.entries(limit).every(([key, value]) => current[key as keyof typeof limit] === value);
    if (!unchanged) {
      await limits.saveSpendLimit(trx, scope, limit, nowSeconds());
      await recordSettingChange(trx, principal, scope, { spend_limit: limit });
    }
    return toSpendLimit(scope, limit);
  });
}

export async function deleteSpendLimit(db: Kysely<Database>, principal: Principal, ref: ScopeRef) {
  return db.transaction().execute(async (trx) => {
    const scope = await writableScope(trx, ref);
    if (!(await limits.deleteSpendLimit(trx, scope.scopeId))) throw noLimit(scope);
    await recordSettingChange(trx, principal, scope, { spend_limit: null });
    return { object: scope.project ? ('project.spend_limit.deleted' as const) : ('organization.spend_limit.deleted' as const), deleted: true };
  });
}

/** The limit that applies to a project: its own, else its organization's; null when neither has one. */
export async function effectiveSpendLimit(db: Db, organizationId: string, projectId: string) {
  const set = await limits.findSpendLimits(db, [projectId, organizationId]);
  const own = set.get(projectId);
  const row = own ?? set.get(organizationId);
  if (!row) return null;
  return { threshold_amount: row.threshold_amount, currency: row.currency, interval: row.interval, set_by: own ? ('project' as const) : ('organization' as const) };
}
