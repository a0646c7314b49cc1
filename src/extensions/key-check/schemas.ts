import { Type, type Static } from 'typebox';
import { Nullable, StringEnum } from '../../http/schema-types.ts';

export const KeyCheckBody = Type.Object(
  {
    key: Type.String({ maxLength: 1024, description: 'The project API key a client presented to the gateway (empty: none was).' }),
    model: Type.Optional(Type.String({ maxLength: 256, description: 'The model the request is for: the answer then says whether it is allowed, and its rate limits.' })),
  },
  { additionalProperties: false },
);
export type KeyCheckBody = Static<typeof KeyCheckBody>;

export const INACTIVE_REASONS = ['unknown', 'deleted', 'expired', 'project_archived', 'owner_not_in_project'] as const;
export type InactiveReason = (typeof INACTIVE_REASONS)[number];

const KeyOwner = Type.Object({
  type: StringEnum(['user', 'service_account']),
  id: Type.String(),
  name: Nullable(Type.String()),
  email: Nullable(Type.String({ description: 'The person’s email; null for a service account.' })),
  role: Type.String({ description: 'The owner’s project role: `owner`, `member` or `viewer`.' }),
});

/** The key's project's policy in force, resolved across the organization and the project. */
const Policy = Type.Object({
  allowed_models: Type.Array(Type.String(), { description: 'Catalogued models the project may use, after its allow or deny list.' }),
  model: Nullable(
    Type.Object({
      id: Type.String(),
      allowed: Type.Boolean(),
      rate_limits: Nullable(Type.Record(Type.String(), Type.Integer(), { description: 'Limits in force; null for a model the catalogue does not know.' })),
    }, { description: 'The model asked about; null when the request named none.' }),
  ),
  spend_limit: Nullable(
    Type.Object({
      threshold_amount: Type.Number(),
      currency: Type.String(),
      interval: Type.String(),
      set_by: StringEnum(['organization', 'project']),
    }),
  ),
  data_retention: Type.String(),
  hosted_tools: Type.Record(Type.String(), Type.Boolean()),
}, { description: 'The project’s policy for the key, so a gateway needs one call per request. Null when inactive.' });

/** The answer. */
export const KeyCheck = Type.Object(
  {
    object: Type.Literal('roster.key_check'),
    active: Type.Boolean({ description: 'Whether the gateway should let the request through.' }),
    reason: Nullable(
      StringEnum(INACTIVE_REASONS, {
        description:
          'Why an inactive key is refused: `unknown` (never issued, or another organization’s when an admin key asks), `deleted`, `expired`, `project_archived`, `owner_not_in_project`. Null when active.',
      }),
    ),
    key_id: Nullable(Type.String()),
    organization_id: Nullable(Type.String()),
    project_id: Nullable(Type.String()),
    owner: Nullable(KeyOwner),
    expires_at: Nullable(Type.Integer()),
    scopes: Type.Array(Type.String(), { description: 'The key’s own limits; empty for everything its owner may do.' }),
    permissions: Type.Array(Type.String(), {
      description:
        'What the key may do: the permissions of its owner’s predefined, custom and group roles, narrowed to its scopes. Empty when inactive.',
    }),
    policy: Nullable(Policy),
  },
  { description: 'Whether a project API key is active, and what it grants.' },
);
export type KeyCheck = Static<typeof KeyCheck>;
