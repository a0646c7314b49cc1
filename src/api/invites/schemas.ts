import { Type, type Static } from 'typebox';
import { ListPage, ListQuery } from '../../http/pagination.ts';
import { Nullable, StringEnum } from '../../http/schema-types.ts';

const InviteRole = StringEnum(['reader', 'owner'], { description: 'The organization role the person gets: `owner` or `reader`.' });
const ProjectGrant = Type.Object(
  {
    id: Type.String({ description: 'The id of the project.' }),
    role: StringEnum(['member', 'owner'], { description: 'The project role the person gets.' }),
  },
  { additionalProperties: false },
);

export const Invite = Type.Object(
  {
    object: Type.Literal('organization.invite'),
    id: Type.String(),
    email: Type.String(),
    role: InviteRole,
    status: StringEnum(['accepted', 'expired', 'pending'], { description: 'A pending invite past `expires_at` reads `expired`.' }),
    created_at: Type.Integer({ description: 'When the invite was sent (Unix seconds).' }),
    expires_at: Nullable(Type.Integer({ description: 'When the invite lapses, seven days after it was sent (Unix seconds).' })),
    accepted_at: Nullable(Type.Integer({ description: 'When the invite was accepted (Unix seconds).' })),
    projects: Type.Array(ProjectGrant, { description: 'The projects the person joins on accepting.' }),
  },
  { description: 'An invitation for a person to join the organization.' },
);
export type Invite = Static<typeof Invite>;

export const InviteList = ListPage(Invite);

export const InviteDeleted = Type.Object({
  object: Type.Literal('organization.invite.deleted'),
  id: Type.String(),
  deleted: Type.Boolean(),
});

export const ListInvitesQuery = Type.Object({ ...ListQuery });
export type ListInvitesQuery = Static<typeof ListInvitesQuery>;

export const InviteIdParams = Type.Object({ invite_id: Type.String({ description: 'The id of the invite.' }) });

export const CreateInviteBody = Type.Object(
  {
    email: Type.String({ maxLength: 320, description: 'Who to invite.' }),
    role: InviteRole,
    projects: Type.Optional(
      Type.Array(ProjectGrant, {
        maxItems: 100,
        description: 'Projects to join on acceptance. Omitted: the default project, as a member. Empty: none.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreateInviteBody = Static<typeof CreateInviteBody>;

export const AcceptInviteBody = Type.Object(
  { name: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 255, description: "The person's name, if roster does not know them yet." }))) },
  { additionalProperties: false },
);
export type AcceptInviteBody = Static<typeof AcceptInviteBody>;
