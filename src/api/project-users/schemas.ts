import { Type, type Static } from 'typebox';
import { ListPage, ListQuery } from '../../http/pagination.ts';
import { Nullable, StringEnum } from '../../http/schema-types.ts';

/** The predefined project roles a member can hold through `role`. */
export const ProjectRole = StringEnum(['owner', 'member'], { description: '`owner` or `member`' });

export const ProjectUser = Type.Object(
  {
    object: Type.Literal('organization.project.user'),
    id: Type.String({ description: 'The id of the user.' }),
    name: Nullable(Type.String()),
    email: Nullable(Type.String()),
    role: Type.String({ description: '`owner` or `member`' }),
    added_at: Type.Integer({ description: 'When the user joined the project (Unix seconds).' }),
  },
  { description: 'A member of the organization who belongs to a project.' },
);
export type ProjectUser = Static<typeof ProjectUser>;

export const ProjectUserList = ListPage(ProjectUser);

export const ProjectUserDeleted = Type.Object({
  object: Type.Literal('organization.project.user.deleted'),
  id: Type.String(),
  deleted: Type.Boolean(),
});

export const ListProjectUsersQuery = Type.Object({ ...ListQuery });
export type ListProjectUsersQuery = Static<typeof ListProjectUsersQuery>;

export const ProjectUserParams = Type.Object({
  project_id: Type.String({ description: 'The id of the project.' }),
  user_id: Type.String({ description: 'The id of the user.' }),
});

export const AddProjectUserBody = Type.Object(
  {
    user_id: Type.Optional(Nullable(Type.String({ description: 'The id of an organization member.' }))),
    email: Type.Optional(Nullable(Type.String({ description: 'The email of an organization member.' }))),
    role: ProjectRole,
  },
  { additionalProperties: false, description: 'Names the person by `user_id` or `email` (or both, if they agree).' },
);
export type AddProjectUserBody = Static<typeof AddProjectUserBody>;

export const ModifyProjectUserBody = Type.Object({ role: Type.Optional(Nullable(ProjectRole)) }, { additionalProperties: false });
export type ModifyProjectUserBody = Static<typeof ModifyProjectUserBody>;
