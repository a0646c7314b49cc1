import { Type, type Static } from 'typebox';
import { ListPage, ListQuery } from '../../http/pagination.ts';
import { Nullable, StringEnum } from '../../http/schema-types.ts';
import { MAX_EXPIRES_IN_SECONDS } from '../admin-api-keys/schemas.ts';

const ProjectApiKeyOwner = Type.Object(
  {
    type: StringEnum(['user', 'service_account']),
    user: Type.Optional(
      Type.Object({
        id: Type.String(),
        email: Type.String(),
        name: Type.String({ description: 'Empty when roster does not know the person’s name.' }),
        created_at: Type.Integer(),
        role: Type.String({ description: "The person's project role, or `none` once they have left the project." }),
      }),
    ),
    service_account: Type.Optional(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        created_at: Type.Integer(),
        role: Type.String({ description: "The service account's project role: `owner`, `member` or `none`." }),
      }),
    ),
  },
  { description: 'Who the key acts for: a person (`user`) or a service account.' },
);

export const ProjectApiKey = Type.Object(
  {
    object: Type.Literal('organization.project.api_key'),
    id: Type.String(),
    name: Type.String(),
    redacted_value: Type.String({ description: 'The first 8 and last 4 characters of the key; the rest masked with `*`.' }),
    created_at: Type.Integer(),
    expires_at: Nullable(Type.Integer({ description: 'When the key stops working (Unix seconds); null for never.' })),
    last_used_at: Nullable(Type.Integer({ description: 'Last time a gateway checked the key, to within a minute.' })),
    owner_project_access: StringEnum(['active', 'inactive'], {
      description: '`active` while the owner can use the project (a member of it, or a service account with a role).',
    }),
    scopes: Type.Array(Type.String(), { description: 'What the key is limited to; empty for everything its owner may do.' }),
    owner: ProjectApiKeyOwner,
  },
  { description: 'A key that calls models in one project.' },
);
export type ProjectApiKey = Static<typeof ProjectApiKey>;

export const ProjectApiKeyList = ListPage(ProjectApiKey);

export const ProjectApiKeyDeleted = Type.Object({
  object: Type.Literal('organization.project.api_key.deleted'),
  id: Type.String(),
  deleted: Type.Boolean(),
});

export const OwnerProjectAccess = StringEnum(['active', 'inactive', 'any'], {
  description: 'Keys whose owner can use the project (`active`, the default), cannot (`inactive`), or all of them (`any`).',
});
export type OwnerProjectAccess = 'active' | 'inactive' | 'any';

export const ListProjectApiKeysQuery = Type.Object({ ...ListQuery, owner_project_access: Type.Optional(OwnerProjectAccess) });
export type ListProjectApiKeysQuery = Static<typeof ListProjectApiKeysQuery>;

export const ProjectParams = Type.Object({ project_id: Type.String({ description: 'The id of the project.' }) });
export const ProjectApiKeyParams = Type.Object({
  project_id: Type.String({ description: 'The id of the project.' }),
  api_key_id: Type.String({ description: 'The id of the API key.' }),
});

/** Scope strings are free text in the reference; roster only bounds their size. */
export const Scopes = Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 100, description: 'Scopes the key is limited to.' });
export const ExpiresInSeconds = Type.Integer({
  minimum: 1,
  maximum: MAX_EXPIRES_IN_SECONDS,
  description: 'Lifetime of the key from now, in seconds.',
});

export const UpdateProjectApiKeyBody = Type.Object(
  { scopes: Type.Optional(Scopes), expires_in_seconds: Type.Optional(ExpiresInSeconds) },
  { additionalProperties: false },
);
export type UpdateProjectApiKeyBody = Static<typeof UpdateProjectApiKeyBody>;
