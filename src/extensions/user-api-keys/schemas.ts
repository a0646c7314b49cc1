import { Type, type Static } from 'typebox';
import { ExpiresInSeconds, ProjectApiKey, Scopes } from '../../api/project-api-keys/schemas.ts';

export const CreateUserApiKeyBody = Type.Object(
  {
    user_id: Type.String({ description: 'The person who owns the key; they must sit in the project.' }),
    name: Type.String({ minLength: 1, maxLength: 256, description: 'A label for the key.' }),
    scopes: Type.Optional(Scopes),
    expires_in_seconds: Type.Optional(ExpiresInSeconds),
  },
  { additionalProperties: false },
);
export type CreateUserApiKeyBody = Static<typeof CreateUserApiKeyBody>;

export const CreatedUserApiKey = Type.Object(
  { ...ProjectApiKey.properties, value: Type.String({ description: 'The key itself. Shown only in this response.' }) },
  { description: 'A new project API key of a person, with its value.' },
);
