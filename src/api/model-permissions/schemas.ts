import { Type, type Static } from 'typebox';
import { StringEnum } from '../../http/schema-types.ts';

const Mode = StringEnum(['allow_list', 'deny_list'], { description: '`allow_list`: only these models; `deny_list`: all but these.' });
const ModelIds = Type.Array(Type.String(), { description: 'Model ids of the catalogue.' });

export const ProjectModelPermissions = Type.Object({
  object: Type.Literal('project.model_permissions'),
  mode: Mode,
  model_ids: ModelIds,
});
export type ProjectModelPermissions = Static<typeof ProjectModelPermissions>;

export const UpdateModelPermissionsBody = Type.Object({ mode: Mode, model_ids: ModelIds }, { additionalProperties: false });
export type UpdateModelPermissionsBody = Static<typeof UpdateModelPermissionsBody>;

export const ModelPermissionsDeleted = Type.Object({
  object: Type.Literal('project.model_permissions.deleted'),
  deleted: Type.Boolean(),
});
