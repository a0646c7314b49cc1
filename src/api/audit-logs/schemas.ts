import { Type, type Static } from 'typebox';
import { ListPage, ListQuery } from '../../http/pagination.ts';
import { StringEnum } from '../../http/schema-types.ts';
import { AUDIT_EVENT_TYPES } from './event-types.ts';

const EventType = StringEnum(AUDIT_EVENT_TYPES);

const ActorUser = Type.Object({ id: Type.String(), email: Type.String() });

/**
 * roster is called only with admin keys, so every actor is a key: a member's (`user`), or roster
 * itself acting on its own (`service_account`, e.g. the webhook worker disabling an endpoint).
 */
const AuditLogActor = Type.Object({
  type: Type.Literal('api_key'),
  api_key: Type.Object({
    id: Type.String({ description: 'The admin key used, or the part of roster that acted.' }),
    type: StringEnum(['user', 'service_account']),
    user: Type.Optional(ActorUser),
    service_account: Type.Optional(Type.Object({ id: Type.String() })),
  }),
});

export const AuditLog = Type.Object(
  {
    object: Type.Literal('organization.audit_log'),
    id: Type.String(),
    type: EventType,
    effective_at: Type.Integer({ description: 'When the change was made (Unix seconds).' }),
    project: Type.Optional(
      Type.Object({ id: Type.String(), name: Type.String() }, { description: 'Present when the event concerns one project.' }),
    ),
    actor: AuditLogActor,
  },
  {
    // The details of each event sit under a key named after its type, e.g. `"user.updated": {...}`.
    additionalProperties: true,
    description: 'One change made in the organization, and who made it.',
  },
);
export type AuditLog = Static<typeof AuditLog>;

export const AuditLogList = ListPage(AuditLog);

function idList(description: string) {
  return Type.Optional(Type.Array(Type.String(), { maxItems: 1000, description }));
}

const bound = (description: string) => Type.Optional(Type.Integer({ description }));

export const ListAuditLogsQuery = Type.Object({
  effective_at: Type.Optional(
    Type.Object(
      {
        gt: bound('Only events after this time (Unix seconds).'),
        gte: bound('Only events at or after this time.'),
        lt: bound('Only events before this time.'),
        lte: bound('Only events at or before this time.'),
      },
      { additionalProperties: false, description: 'Sent as `effective_at[gte]=…` and so on.' },
    ),
  ),
  project_ids: idList('Only events about these projects.'),
  event_types: Type.Optional(Type.Array(EventType, { maxItems: 200, description: 'Only events of these types.' })),
  actor_ids: idList('Only events made by these members or with these admin keys.'),
  actor_emails: idList('Only events made by members with these emails.'),
  resource_ids: idList('Only events about these objects.'),
  // Booleans arrive as `true`/`false` from the SDKs and as `1`/`0` from some clients.
  tenant_only: Type.Union([Type.Boolean(), StringEnum(['1', '0'])], {
    default: false,
    description: 'List tenant-scoped events instead of organization events.',
  }),
  ...ListQuery,
  before: Type.Optional(
    Type.String({ description: 'Return the events that come before the event with this id in list order: newer ones, still newest first.' }),
  ),
  order: StringEnum(['asc', 'desc'], { default: 'desc', description: 'roster extension: `desc` (newest first, the default) or `asc`.' }),
});
export type ListAuditLogsQuery = Static<typeof ListAuditLogsQuery>;
