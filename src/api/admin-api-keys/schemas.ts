import { Type, type Static } from 'typebox';
import { ListPage } from '../../http/pagination.ts';
import { Nullable, StringEnum } from '../../http/schema-types.ts';

/** Keys live at most a year, as in the reference. */
export const MAX_EXPIRES_IN_SECONDS = 365 * 24 * 60 * 60;
export const MAX_LIST_LIMIT = 100;

const KeyOwner = Type.Object(
  {
    type: Type.Literal('user'),
    object: Type.Literal('organization.user'),
    id: Type.String(),
    name: Type.Optional(Type.String({ description: 'Omitted when the member has no name.' })),
    created_at: Type.Integer({ description: 'When the member was created (Unix seconds).' }),
    role: Type.String({ description: "The member's organization role: `owner` or `reader`." }),
  },
  { description: 'The member the key acts for. Keys stop working when their owner leaves the organization.' },
);

const adminKeyFields = {
  object: Type.Literal('organization.admin_api_key'),
  id: Type.String(),
  name: Nullable(Type.String()),
  redacted_value: Type.String({ description: 'The first 8 and last 4 characters of the key; the rest masked with `*`.' }),
  created_at: Type.Integer(),
  expires_at: Nullable(Type.Integer({ description: 'When the key stops working (Unix seconds); null for never.' })),
  last_used_at: Nullable(Type.Integer({ description: 'Last use, to within a minute (Unix seconds).' })),
  owner: KeyOwner,
};

export const AdminApiKey = Type.Object(adminKeyFields, { description: 'An admin key of the organization.' });
export type AdminApiKey = Static<typeof AdminApiKey>;

export const CreatedAdminApiKey = Type.Object(
  { ...adminKeyFields, value: Type.String({ description: 'The key itself. Shown only in this response.' }) },
  { description: 'A new admin key, with its value.' },
);

export const AdminApiKeyList = ListPage(AdminApiKey);

export const AdminApiKeyDeleted = Type.Object({
  id: Type.String(),
  object: Type.Literal('organization.admin_api_key.deleted'),
  deleted: Type.Boolean(),
});

export const ListAdminApiKeysQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: MAX_LIST_LIMIT, default: 20, description: `How many keys to return, from 1 to ${MAX_LIST_LIMIT}.` }),
  after: Type.Optional(Type.String({ description: 'Return keys that come after the key with this id, in the chosen order.' })),
  order: StringEnum(['asc', 'desc'], { default: 'asc', description: 'By creation time: `asc` or `desc`.' }),
});
export type ListAdminApiKeysQuery = Static<typeof ListAdminApiKeysQuery>;

export const CreateAdminApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 256, description: 'A label for the key.' }),
    expires_in_seconds: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_EXPIRES_IN_SECONDS, description: 'Lifetime of the key; omit for a key that never expires.' }),
    ),
  },
  { additionalProperties: false },
);
export type CreateAdminApiKeyBody = Static<typeof CreateAdminApiKeyBody>;

export const KeyIdParams = Type.Object({ key_id: Type.String({ description: 'The id of the admin key.' }) });
