import type { Db } from '../../db/schema.ts';
import type { HostedTool } from './schemas.ts';

export type ToolSwitches = Partial<Record<HostedTool, boolean>>;

/** The tools the project switched, on or off; the others are on. */
export async function findToolSwitches(db: Db, projectId: string): Promise<ToolSwitches> {
  const row = await db.selectFrom('hosted_tool_permissions').select('tools').where('project_id', '=', projectId).executeTakeFirst();
  return row ? (JSON.parse(row.tools) as ToolSwitches) : {};
}

export async function saveToolSwitches(db: Db, organizationId: string, projectId: string, switches: ToolSwitches, now: number): Promise<void> {
  const tools = JSON.stringify(switches);
  await db
    .insertInto('hosted_tool_permissions')
    .values({ project_id: projectId, organization_id: organizationId, tools, updated_at: now })
    .onConflict((conflict) => conflict.column('project_id').doUpdateSet({ tools, updated_at: now }))
    .execute();
}
