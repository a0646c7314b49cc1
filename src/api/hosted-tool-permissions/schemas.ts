import { Type, type Static } from 'typebox';
import { Nullable } from '../../http/schema-types.ts';

export const HOSTED_TOOLS = ['file_search', 'web_search', 'image_generation', 'mcp', 'code_interpreter'] as const;
export type HostedTool = (typeof HOSTED_TOOLS)[number];

const Permission = Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false });

export const ProjectHostedToolPermissions = Type.Object({
  file_search: Permission,
  web_search: Permission,
  image_generation: Permission,
  mcp: Permission,
  code_interpreter: Permission,
});
export type ProjectHostedToolPermissions = Static<typeof ProjectHostedToolPermissions>;

/** A tool left out, or sent as null, keeps its permission. */
const Change = Type.Optional(Nullable(Permission));

export const UpdateHostedToolPermissionsBody = Type.Object(
  { file_search: Change, web_search: Change, image_generation: Change, mcp: Change, code_interpreter: Change },
  { additionalProperties: false },
);
export type UpdateHostedToolPermissionsBody = Static<typeof UpdateHostedToolPermissionsBody>;
