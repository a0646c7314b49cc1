import { Type, type Static } from 'typebox';
import { ListPage, ListQuery } from '../../http/pagination.ts';
import { Nullable, StringEnum } from '../../http/schema-types.ts';

export const OrganizationRole = StringEnum(['owner', 'reader']);

export const OrganizationUser = Type.Object(
  {
    object: Type.Literal('organization.user'),
    id: Type.String(),
    name: Nullable(Type.String()),
    email: Nullable(Type.String()),
    role: Nullable(Type.String({ description: '`owner` or `reader`' })),
    added_at: Type.Integer({ description: 'When the user joined the organization (Unix seconds).' }),
    created: Type.Integer({ description: 'When the user was created (Unix seconds).' }),
    is_default: Type.Boolean(),
    is_service_account: Type.Boolean(),
    is_scim_managed: Type.Boolean(),
    api_key_last_used_at: Nullable(Type.Integer()),
    technical_level: Nullable(Type.String()),
    developer_persona: Nullable(Type.String()),
  },
  { description: 'A member of the organization.' },
);
export type OrganizationUser = Static<typeof OrganizationUser>;

export const OrganizationUserList = ListPage(OrganizationUser);

export const OrganizationUserDeleted = Type.Object({
  object: Type.Literal('organization.user.deleted'),
  id: Type.String(),
  deleted: Type.Boolean(),
});

export const ListOrganizationUsersQuery = Type.Object({
  ...ListQuery,
  emails: Type.Optional(Type.Array(Type.String(), { maxItems: 1000, description: 'Only users with one of these emails.' })),
  roles: Type.Optional(
    Type.Array(OrganizationRole, { maxItems: 2, description: 'roster extension: only users holding one of these roles (`owner`, `reader`).' }),
  ),
});
export type ListOrganizationUsersQuery = Static<typeof ListOrganizationUsersQuery>;

export const UserIdParams = Type.Object({ user_id: Type.String({ description: 'The id of the user.' }) });

export const ModifyOrganizationUserBody = Type.Object(
  {
    role: Type.Optional(Nullable(OrganizationRole)),
    role_id: Type.Optional(Nullable(Type.String({ description: 'Id of an organization role to give the user.' }))),
    technical_level: Type.Optional(Nullable(Type.String({ maxLength: 256 }))),
    developer_persona: Type.Optional(Nullable(Type.String({ maxLength: 256 }))),
  },
  { additionalProperties: false },
);
export type ModifyOrganizationUserBody = Static<typeof ModifyOrganizationUserBody>;
