import { Type, type Static } from 'typebox';
import { NextCursorPage, nextCursorQueryWith } from '../../http/pagination.ts';
import { GroupId, GroupType } from '../groups/schemas.ts';

export const ProjectGroup = Type.Object(
  {
    object: Type.Literal('project.group'),
    project_id: Type.String(),
    group_id: Type.String(),
    group_name: Type.String(),
    group_type: GroupType,
    created_at: Type.Integer({ description: 'When the group was added to the project (Unix seconds).' }),
  },
  { description: 'A group seated in a project: its members reach the project with the roles the group holds there.' },
);
export type ProjectGroup = Static<typeof ProjectGroup>;

export const ProjectGroupList = NextCursorPage(ProjectGroup);

export const ProjectGroupRemoved = Type.Object({
  object: Type.Literal('project.group.deleted'),
  deleted: Type.Boolean(),
});

export const ListProjectGroupsQuery = Type.Object(nextCursorQueryWith({ maximum: 100, default: 20 }));
export type ListProjectGroupsQuery = Static<typeof ListProjectGroupsQuery>;

export const AddProjectGroupBody = Type.Object(
  {
    group_id: Type.String({ minLength: 1, description: 'The group to add to the project.' }),
    role: Type.String({ minLength: 1, description: 'The id of the project role the group gets: predefined (short or scoped form) or custom.' }),
  },
  { additionalProperties: false },
);
export type AddProjectGroupBody = Static<typeof AddProjectGroupBody>;

const ProjectId = Type.String({ description: 'The id of the project.' });
export const ProjectParams = Type.Object({ project_id: ProjectId });
export const ProjectGroupParams = Type.Object({ project_id: ProjectId, group_id: GroupId });
export const RetrieveProjectGroupQuery = Type.Object({
  group_type: Type.Optional(GroupType),
});
export type RetrieveProjectGroupQuery = Static<typeof RetrieveProjectGroupQuery>;
