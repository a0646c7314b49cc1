import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import type { Principal } from '../../http/auth.ts';
import { nowSeconds } from '../../lib/time.ts';
import { readableScope, recordSettingChange, writableScope, type ScopeRef } from '../policy/scope.ts';
import * as tools from './repository.ts';
import { HOSTED_TOOLS, type ProjectHostedToolPermissions, type UpdateHostedToolPermissionsBody } from './schemas.ts';

/** Every hosted tool is enabled until the project switches it off. */
function toPermissions(switches: tools.ToolSwitches): ProjectHostedToolPermissions {
  return Object.fromEntries(HOSTED_TOOLS.map((tool) => [tool, { enabled: switches[tool] ?? true }])) as ProjectHostedToolPermissions;
}

export async function retrieveHostedToolPermissions(db: Db, ref: ScopeRef): Promise<ProjectHostedToolPermissions> {
  const scope = await readableScope(db, ref);
  return toPermissions(await tools.findToolSwitches(db, scope.scopeId));
}

/** What a project may use, for the effective policy. */
export async function hostedToolsInForce(db: Db, projectId: string): Promise<ProjectHostedToolPermissions> {
  return toPermissions(await tools.findToolSwitches(db, projectId));
}

/** Switches the named tools; the others keep their permission. Switching nothing is not audited. */
export async function updateHostedToolPermissions(
  db: Kysely<Database>,
  principal: Principal,
  ref: ScopeRef,
  body: UpdateHostedToolPermissionsBody,
): Promise<ProjectHostedToolPermissions> {
  return db.transaction().execute(async (trx) => {
    const scope = await writableScope(trx, ref);
    const switches = await tools.findToolSwitches(trx, scope.scopeId);
    const current = toPermissions(switches);
    const changes: tools.ToolSwitches = {};
    for (const tool of HOSTED_TOOLS) {
      const wanted = body[tool]?.enabled;
      if (wanted !== undefined && wanted !== current[tool].enabled) changes[tool] = wanted;
    }
    if (Object.keys(changes).length === 0) return current;
    await tools.saveToolSwitches(trx, scope.organizationId, scope.scopeId, { ...switches, ...changes }, nowSeconds());
    await recordSettingChange(trx, principal, scope, {
      hosted_tool_permissions: Object.fromEntries(Object.entries(changes).map(([tool, enabled]) => [tool, { enabled }])),
    });
    return toPermissions({ ...switches, ...changes });
  });
}
