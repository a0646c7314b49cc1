import { Type, type Static } from 'typebox';
import { NextCursorPage, nextCursorQueryWith } from '../../http/pagination.ts';
import { Nullable, StringEnum } from '../../http/schema-types.ts';
import { GroupId } from '../groups/schemas.ts';

export const GroupUser = Type.Object(
  {
    id: Type.String(),
    name: Type.String({ description: "The user's name; empty when roster does not know it." }),
    email: Nullable(Type.String()),
  },
  { description: 'A member of a group, as group member lists show them.' },
);
export type GroupUser = Static<typeof GroupUser>;

export const GroupUserList = NextCursorPage(GroupUser);

export const GroupMemberUser = Type.Object(
  {
    ...GroupUser.properties,
    picture: Nullable(Type.String({ description: 'Always null: roster keeps no pictures.' })),
    is_service_account: Nullable(Type.Boolean()),
    user_type: StringEnum(['user', 'tenant_user']),
  },
  { description: 'A member of a group, retrieved on their own.' },
);
export type GroupMemberUser = Static<typeof GroupMemberUser>;

export const GroupUserAdded = Type.Object({
  object: Type.Literal('group.user'),
  user_id: Type.String(),
  group_id: Type.String(),
});

export const GroupUserRemoved = Type.Object({
  object: Type.Literal('group.user.deleted'),
  deleted: Type.Boolean(),
});

export const ListGroupUsersQuery = Type.Object(nextCursorQueryWith({ maximum: 1000, default: 100, order: 'desc' }));
export type ListGroupUsersQuery = Static<typeof ListGroupUsersQuery>;

export const AddGroupUserBody = Type.Object(
  { user_id: Type.String({ minLength: 1, description: 'The organization member to add.' }) },
  { additionalProperties: false },
);
export type AddGroupUserBody = Static<typeof AddGroupUserBody>;

const UserId = Type.String({ description: 'The id of the user.' });
export const GroupUserParams = Type.Object({ group_id: GroupId, user_id: UserId });
