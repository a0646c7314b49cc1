import { Type, type Static } from 'typebox';
import { ListPage, ListQuery } from '../../http/pagination.ts';
import { Nullable } from '../../http/schema-types.ts';

export const Organization = Type.Object(
  {
    object: Type.Literal('roster.organization'),
    id: Type.String(),
    name: Type.String(),
    created_at: Type.Integer(),
  },
  { description: "One of the platform's customers: everything in roster belongs to exactly one organization." },
);
export type Organization = Static<typeof Organization>;

export const CreatedOrganization = Type.Object(
  {
    ...Organization.properties,
    owner: Type.Object({ id: Type.String(), email: Type.String() }, { description: 'The first owner, made a member and given the admin key.' }),
    admin_key: Type.Object(
      {
        id: Type.String(),
        value: Type.String({ description: 'The admin key itself. Shown only in this response.' }),
      },
      { description: "The organization's first admin key, owned by the first owner." },
    ),
  },
  { description: 'A new organization, its first owner and its first admin key.' },
);
export type CreatedOrganization = Static<typeof CreatedOrganization>;

export const OrganizationList = ListPage(Organization);

export const OrganizationDeleted = Type.Object({
  object: Type.Literal('roster.organization.deleted'),
  id: Type.String(),
  deleted: Type.Boolean(),
});

export const CreateOrganizationBody = Type.Object(
  {
    name: Type.String({ maxLength: 256, description: 'The organization’s name.' }),
    owner_email: Type.String({ maxLength: 320, description: 'Email of the first owner.' }),
    owner_name: Type.Optional(Nullable(Type.String({ maxLength: 256, description: 'Name of the first owner, if roster does not know them yet.' }))),
  },
  { additionalProperties: false },
);
export type CreateOrganizationBody = Static<typeof CreateOrganizationBody>;

export const ListOrganizationsQuery = Type.Object(ListQuery);
export type ListOrganizationsQuery = Static<typeof ListOrganizationsQuery>;

export const OrganizationParams = Type.Object({ organization_id: Type.String({ description: 'The id of the organization.' }) });
