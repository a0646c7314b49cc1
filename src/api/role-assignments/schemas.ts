import { Type, type Static } from 'typebox';
import { NextCursorPage, NextCursorQuery } from '../../http/pagination.ts';
import { Nullable } from '../../http/schema-types.ts';
import { GroupId, GroupSummary } from '../groups/schemas.ts';
import { OrganizationUser } from '../organization-users/schemas.ts';
import { ResourceTypeSchema, Role } from '../roles/schemas.ts';

/**
 * A role a user holds, with who created the role and when. Predefined roles are managed by
 * OpenAI (here: by roster), so their authoring fields are null.
 */
export const AssignedRole = Type.Object({
  id: Type.String({ description: 'The id of the role.' }),
  name: Type.String(),
  description: Nullable(Type.String()),
  permissions: Type.Array(Type.String()),
  resource_type: ResourceTypeSchema,
  predefined_role: Type.Boolean(),
  created_at: Nullable(Type.Integer({ description: 'When the role was created (Unix seconds).' })),
  updated_at: Nullable(Type.Integer({ description: 'When the role was last changed (Unix seconds).' })),
  created_by: Nullable(Type.String({ description: 'The id of the user who created the role.' })),
  created_by_user_obj: Nullable(
    Type.Object({ id: Type.String(), name: Nullable(Type.String()), email: Nullable(Type.String()) }, { description: 'The user who created the role.' }),
  ),
  metadata: Nullable(Type.Object({}, { additionalProperties: true })),
  assignment_sources: Nullable(
    Type.Array(Type.Object({ principal_id: Type.String(), principal_type: Type.String() }), {
      description: 'Whom the role comes from when a group gives it: the groups, and the user if they also hold it directly; null for a role held only directly.',
    }),
  ),
});
export type AssignedRole = Static<typeof AssignedRole>;

export const AssignedRoleList = NextCursorPage(AssignedRole);

export const ListAssignedRolesQuery = Type.Object(NextCursorQuery);
export type ListAssignedRolesQuery = Static<typeof ListAssignedRolesQuery>;

export const AssignRoleBody = Type.Object(
  { role_id: Type.String({ minLength: 1, description: 'The id of the role to give the user.' }) },
  { additionalProperties: false },
);
export type AssignRoleBody = Static<typeof AssignRoleBody>;

export const UserRoleAssignment = Type.Object({
  object: Type.Literal('user.role'),
  user: OrganizationUser,
  role: Role,
});
export type UserRoleAssignment = Static<typeof UserRoleAssignment>;

export const UserRoleUnassigned = Type.Object({
  object: Type.Literal('user.role.deleted'),
  deleted: Type.Boolean(),
});

const UserId = Type.String({ description: 'The id of the user.' });
const RoleId = Type.String({ description: 'The id of the role.' });
const ProjectId = Type.String({ description: 'The id of the project.' });

export const UserParams = Type.Object({ user_id: UserId });
export const UserRoleParams = Type.Object({ user_id: UserId, role_id: RoleId });
export const ProjectUserParams = Type.Object({ project_id: ProjectId, user_id: UserId });
export const ProjectUserRoleParams = Type.Object({ project_id: ProjectId, user_id: UserId, role_id: RoleId });

export const GroupRoleAssignment = Type.Object({
  object: Type.Literal('group.role'),
  group: GroupSummary,
  role: Role,
});
export type GroupRoleAssignment = Static<typeof GroupRoleAssignment>;

export const GroupRoleUnassigned = Type.Object({
  object: Type.Literal('group.role.deleted'),
  deleted: Type.Boolean(),
});

export const GroupRoleParams = Type.Object({ group_id: GroupId, role_id: RoleId });
export const ProjectGroupParams = Type.Object({ project_id: ProjectId, group_id: GroupId });
export const ProjectGroupRoleParams = Type.Object({ project_id: ProjectId, group_id: GroupId, role_id: RoleId });
