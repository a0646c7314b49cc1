import type { Db } from '../../db/schema.ts';
import { effectiveRetention } from '../data-retention/service.ts';
import type { ProjectRetentionType } from '../data-retention/schemas.ts';
import { hostedToolsInForce } from '../hosted-tool-permissions/service.ts';
import type { HostedTool } from '../hosted-tool-permissions/schemas.ts';
import { allowedModels } from '../model-permissions/service.ts';
import { requireProject } from '../projects/service.ts';
import { defaultModelCatalogue, type Limits, type ModelCatalogue } from '../rate-limits/catalogue.ts';
import { modelOverrides } from '../rate-limits/repository.ts';
import { limitsInForce } from '../rate-limits/service.ts';
import { effectiveSpendLimit } from '../spend-limits/service.ts';

/** Everything a gateway needs to decide what a project's key may do, resolved across levels. */
export interface EffectivePolicy {
  organization_id: string;
  project_id: string;
  /** The catalogue's models the project may use, after its allow or deny list. */
  allowed_models: string[];
  /** The model asked about, or null when none was. */
  model: {
    id: string;
    allowed: boolean;
    /** Its limits in force for the project; null for a model the catalogue does not know. */
    rate_limits: Limits | null;
  } | null;
  /** The project's hard limit, else the organization's, in cents; null when neither set one. */
  spend_limit: { threshold_amount: number; currency: string; interval: string; set_by: 'organization' | 'project' } | null;
  /** The project's arrangement, or its organization's when it follows it (`none`: no arrangement). */
  data_retention: Exclude<ProjectRetentionType, 'organization_default'>;
  hosted_tools: Record<HostedTool, boolean>;
}

/**
 * The effective policy of a project of an organization, for the key check: one call answers
 * allowed models, the asked-for model's rate limits, the spend limit, data retention and hosted
 * tools. Everything is read from the store on each call (no cache), so a change is seen by every
 * instance from its next call. An unknown project, or another organization's, is a 404.
 */
export async function effectivePolicy(
  db: Db,
  organizationId: string,
  projectId: string,
  model?: string,
  catalogue: ModelCatalogue = defaultModelCatalogue(),
): Promise<EffectivePolicy> {
  const defaults = model === undefined ? undefined : catalogue.get(model);
  // All reads at once: on PostgreSQL they go out on separate pooled connections, one round trip.
  const [, allowed, spendLimit, retention, tools, overrides] = await Promise.all([
    requireProject(db, organizationId, projectId),
    allowedModels(db, catalogue, projectId),
    effectiveSpendLimit(db, organizationId, projectId),
    effectiveRetention(db, organizationId, projectId),
    hostedToolsInForce(db, projectId),
    defaults ? modelOverrides(db, projectId, model!) : undefined,
  ]);
  return {
    organization_id: organizationId,
    project_id: projectId,
    allowed_models: allowed,
    model:
      model === undefined
        ? null
        : { id: model, allowed: allowed.includes(model), rate_limits: defaults ? limitsInForce(defaults, overrides ?? {}) : null },
    spend_limit: spendLimit,
    data_retention: retention,
    hosted_tools: Object.fromEntries(Object.entries(tools).map(([tool, permission]) => [tool, permission.enabled])) as Record<HostedTool, boolean>,
  };
}
