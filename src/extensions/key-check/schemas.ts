import { Type, type Static } from 'typebox';
import { Nullable, StringEnum } from '../../http/schema-types.ts';

export const KeyCheckBody = Type.Object(
  { key: Type.String({ maxLength: 1024, description: 'The project API key a client presented to the gateway (empty: none was).' }) },
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

/**
 * The answer. Further fields join this object as roster learns more about what a key may do
 * (a `policy` with the project's limits is the next one planned).
 */
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
  },
  { description: 'Whether a project API key is active, and what it grants.' },
);
export type KeyCheck = Static<typeof KeyCheck>;
