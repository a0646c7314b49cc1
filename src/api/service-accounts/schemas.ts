import { Type, type Static } from 'typebox';
import { ListPage, ListQuery } from '../../http/pagination.ts';
import { Nullable, StringEnum } from '../../http/schema-types.ts';
import { ExpiresInSeconds, Scopes } from '../project-api-keys/schemas.ts';

const serviceAccountFields = {
  object: Type.Literal('organization.project.service_account'),
  id: Type.String(),
  name: Type.String(),
  role: StringEnum(['owner', 'member', 'none'], { description: 'Its project role; `none` when made with `create_service_account_only`.' }),
  created_at: Type.Integer(),
};

export const ServiceAccount = Type.Object(serviceAccountFields, { description: 'A non-person member of a project that owns API keys.' });
export type ServiceAccount = Static<typeof ServiceAccount>;

export const ServiceAccountList = ListPage(ServiceAccount);

const apiKeyFields = {
  object: Type.Literal('organization.project.service_account.api_key'),
  id: Type.String(),
  name: Type.String(),
  value: Type.String({ description: 'The key itself. Shown only in this response.' }),
  created_at: Type.Integer(),
  expires_at: Nullable(Type.Integer()),
};

export const ServiceAccountApiKey = Type.Object(apiKeyFields, { description: 'A new key of a service account, with its value.' });

export const CreatedServiceAccount = Type.Object({ ...serviceAccountFields, api_key: Nullable(ServiceAccountApiKey) });

export const ServiceAccountDeleted = Type.Object({
  object: Type.Literal('organization.project.service_account.deleted'),
  id: Type.String(),
  deleted: Type.Boolean(),
});

const Name = Type.String({ minLength: 1, maxLength: 256, description: 'A name for the service account.' });

export const CreateServiceAccountBody = Type.Object(
  {
    name: Name,
    create_service_account_only: Type.Optional(Nullable(Type.Boolean({ description: 'Make the account without a role or a key.' }))),
    expires_in_seconds: Type.Optional(Nullable(ExpiresInSeconds)),
  },
  { additionalProperties: false },
);
export type CreateServiceAccountBody = Static<typeof CreateServiceAccountBody>;

export const UpdateServiceAccountBody = Type.Object(
  { name: Type.Optional(Name), role: Type.Optional(StringEnum(['owner', 'member'])) },
  { additionalProperties: false },
);
export type UpdateServiceAccountBody = Static<typeof UpdateServiceAccountBody>;

export const CreateServiceAccountKeyBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'A label for the key (default `Secret Key`).' })),
    scopes: Type.Optional(Scopes),
    expires_in_seconds: Type.Optional(Nullable(ExpiresInSeconds)),
  },
  { additionalProperties: false },
);
export type CreateServiceAccountKeyBody = Static<typeof CreateServiceAccountKeyBody>;

export const ListServiceAccountsQuery = Type.Object(ListQuery);
export type ListServiceAccountsQuery = Static<typeof ListServiceAccountsQuery>;

export const ProjectParams = Type.Object({ project_id: Type.String({ description: 'The id of the project.' }) });
export const ServiceAccountParams = Type.Object({
  project_id: Type.String({ description: 'The id of the project.' }),
  service_account_id: Type.String({ description: 'The id of the service account.' }),
});
