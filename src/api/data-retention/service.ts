import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import type { Principal } from '../../http/auth.ts';
import { nowSeconds } from '../../lib/time.ts';
import { readableScope, recordSettingChange, writableScope, type PolicyScope, type ScopeRef } from '../policy/scope.ts';
import * as retention from './repository.ts';
import type { OrganizationRetentionType, ProjectRetentionType, UpdateDataRetentionBody } from './schemas.ts';

/**
 * An organization that never chose an arrangement reads as `modified_abuse_monitoring`: the
 * reference has no value for "none" at the organization level, and this is the one closest to
 * OpenAI's standard retention. A project follows its organization until it sets its own.
 */
export const DEFAULT_ORGANIZATION_RETENTION: OrganizationRetentionType = 'modified_abuse_monitoring';
const DEFAULT_PROJECT_RETENTION: ProjectRetentionType = 'organization_default';

type DataRetention =
  | { object: 'organization.data_retention'; type: OrganizationRetentionType }
  | { object: 'project.data_retention'; type: ProjectRetentionType };

function toDataRetention(scope: PolicyScope, type: string | undefined): DataRetention {
  return scope.project
    ? { object: 'project.data_retention', type: (type ?? DEFAULT_PROJECT_RETENTION) as ProjectRetentionType }
    : { object: 'organization.data_retention', type: (type ?? DEFAULT_ORGANIZATION_RETENTION) as OrganizationRetentionType };
}

export async function retrieveDataRetention(db: Db, ref: ScopeRef): Promise<DataRetention> {
  const scope = await readableScope(db, ref);
  return toDataRetention(scope, await retention.findRetention(db, scope.scopeId));
}

/**
 * What applies to requests of a project: its own arrangement, or its organization's when it
 * follows the organization. `none` means no arrangement.
 */
export async function effectiveRetention(db: Db, organizationId: string, projectId: string): Promise<Exclude<ProjectRetentionType, 'organization_default'>> {
  const set = await retention.findRetentions(db, [projectId, organizationId]);
  const own = set.get(projectId) ?? DEFAULT_PROJECT_RETENTION;
  if (own !== 'organization_default') return own as Exclude<ProjectRetentionType, 'organization_default'>;
  return (set.get(organizationId) ?? DEFAULT_ORGANIZATION_RETENTION) as OrganizationRetentionType;
}

/** Sets the arrangement; setting the one in force changes nothing and is not audited. */
export async function updateDataRetention(
  db: Kysely<Database>,
  principal: Principal,
  ref: ScopeRef,
  body: UpdateDataRetentionBody,
): Promise<DataRetention> {
  return db.transaction().execute(async (trx) => {
    const scope = await writableScope(trx, ref);
    const current = toDataRetention(scope, await retention.findRetention(trx, scope.scopeId));
    if (current.type === body.retention_type) return current;
    await retention.saveRetention(trx, scope, body.retention_type, nowSeconds());
    await recordSettingChange(trx, principal, scope, { data_retention: body.retention_type });
    return toDataRetention(scope, body.retention_type);
  });
}
