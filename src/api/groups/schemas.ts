import { Type, type Static } from 'typebox';
import { NextCursorPage, nextCursorQueryWith } from '../../http/pagination.ts';
import { StringEnum } from '../../http/schema-types.ts';

export const GroupType = StringEnum(['group', 'tenant_group'], { description: 'Always `group` for groups made through this API.' });

export const Group = Type.Object(
  {
    id: Type.String(),
    name: Type.String({ description: 'Unique within the organization, ignoring case.' }),
    created_at: Type.Integer({ description: 'When the group was created (Unix seconds).' }),
    is_scim_managed: Type.Boolean({ description: 'False for groups made through this API.' }),
    group_type: GroupType,
  },
  { description: 'A group of organization members, which can hold roles and be seated in projects.' },
);
export type Group = Static<typeof Group>;

export const GroupList = NextCursorPage(Group);

/** How a group is shown inside a `group.role` answer (note `scim_managed`, not `is_scim_managed`). */
export const GroupSummary = Type.Object({
  object: Type.Literal('group'),
  id: Type.String(),
  name: Type.String(),
  created_at: Type.Integer(),
  scim_managed: Type.Boolean(),
});
export type GroupSummary = Static<typeof GroupSummary>;

export const GroupDeleted = Type.Object({
  object: Type.Literal('group.deleted'),
  id: Type.String(),
  deleted: Type.Boolean(),
});

export const ListGroupsQuery = Type.Object(nextCursorQueryWith({ maximum: 1000, default: 100 }));
export type ListGroupsQuery = Static<typeof ListGroupsQuery>;

const GroupName = Type.String({ minLength: 1, maxLength: 255, description: '1 to 255 characters, unique within the organization ignoring case.' });

export const GroupNameBody = Type.Object({ name: GroupName }, { additionalProperties: false });
export type GroupNameBody = Static<typeof GroupNameBody>;

export const GroupId = Type.String({ description: 'The id of the group.' });
export const GroupParams = Type.Object({ group_id: GroupId });
