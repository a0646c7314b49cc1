import { Type, type Static } from 'typebox';
import { NextCursorPage, NextCursorQuery } from '../../http/pagination.ts';
import { Nullable, StringEnum } from '../../http/schema-types.ts';

export const ResourceTypeSchema = StringEnum(['api.organization', 'api.project'], {
  description: 'What the role applies to: the organization (`api.organization`) or a project (`api.project`).',
});

export const Role = Type.Object(
  {
    object: Type.Literal('role'),
    id: Type.String(),
    name: Type.String({ description: 'Unique within the organization or project.' }),
    description: Nullable(Type.String()),
    permissions: Type.Array(Type.String(), { description: 'What the role allows.' }),
    resource_type: ResourceTypeSchema,
    predefined_role: Type.Boolean({ description: 'True for the built-in roles, which cannot be changed or deleted.' }),
  },
  { description: 'A role that can be given to members of an organization or project.' },
);
export type Role = Static<typeof Role>;

export const RoleList = NextCursorPage(Role);

export const RoleDeleted = Type.Object({
  object: Type.Literal('role.deleted'),
  id: Type.String(),
  deleted: Type.Boolean(),
});

export const ListRolesQuery = Type.Object(NextCursorQuery);
export type ListRolesQuery = Static<typeof ListRolesQuery>;

const RoleName = Type.String({ minLength: 1, maxLength: 255, description: 'Unique within the organization or project.' });
const Description = Type.String({ maxLength: 1000 });
const Permissions = Type.Array(Type.String({ maxLength: 200 }), {
  maxItems: 1000,
  description: 'Permission strings from the catalogue; an empty list is allowed.',
});

export const CreateRoleBody = Type.Object(
  {
    role_name: RoleName,
    permissions: Permissions,
    description: Type.Optional(Nullable(Description)),
  },
  { additionalProperties: false },
);
export type CreateRoleBody = Static<typeof CreateRoleBody>;

export const UpdateRoleBody = Type.Object(
  {
    role_name: Type.Optional(Nullable(RoleName)),
    permissions: Type.Optional(Nullable(Permissions)),
    description: Type.Optional(Nullable(Description)),
  },
  { additionalProperties: false, description: 'Omitted or null name and permissions stay as they are; a null description clears it.' },
);
export type UpdateRoleBody = Static<typeof UpdateRoleBody>;

export const OrganizationRoleParams = Type.Object({ role_id: Type.String({ description: 'The id of the role.' }) });
export const ProjectParams = Type.Object({ project_id: Type.String({ description: 'The id of the project.' }) });
export const ProjectRoleParams = Type.Object({ ...ProjectParams.properties, ...OrganizationRoleParams.properties });
