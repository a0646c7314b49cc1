import { Type, type Static } from 'typebox';
import { AUDIT_EVENT_TYPES } from '../../api/audit-logs/event-types.ts';
import { ListPage, ListQuery } from '../../http/pagination.ts';
import { Nullable, StringEnum } from '../../http/schema-types.ts';

const EventTypes = Nullable(
  Type.Array(StringEnum(AUDIT_EVENT_TYPES), {
    minItems: 1,
    maxItems: 200,
    description: 'The audit event types sent to the endpoint; null (or left out) for every type.',
  }),
);
const Url = Type.String({ maxLength: 2048, description: 'Where deliveries are POSTed: an http or https URL.' });
const Description = Nullable(Type.String({ maxLength: 512 }));
const EndpointStatus = StringEnum(['enabled', 'disabled']);

const endpointProperties = {
  object: Type.Literal('roster.webhook'),
  id: Type.String(),
  url: Type.String(),
  description: Description,
  event_types: EventTypes,
  status: EndpointStatus,
  disabled_reason: Nullable(Type.String({ description: 'Why the endpoint was disabled, while it is.' })),
  created_at: Type.Integer(),
  updated_at: Type.Integer(),
};

export const Webhook = Type.Object(endpointProperties, { description: 'An endpoint that receives the organization\u2019s audit events.' });
export type Webhook = Static<typeof Webhook>;

export const WebhookWithSecret = Type.Object(
  { ...endpointProperties, secret: Type.String({ description: 'The signing secret (`whsec_…`), shown only in this answer.' }) },
  { description: 'An endpoint, with its signing secret: returned once, on creation and on rotation.' },
);
export type WebhookWithSecret = Static<typeof WebhookWithSecret>;

export const WebhookList = ListPage(Webhook);

export const WebhookDeleted = Type.Object({ object: Type.Literal('roster.webhook.deleted'), id: Type.String(), deleted: Type.Boolean() });

export const WebhookIdParams = Type.Object({ webhook_id: Type.String() });

export const CreateWebhookBody = Type.Object(
  { url: Url, event_types: Type.Optional(EventTypes), description: Type.Optional(Description) },
  { additionalProperties: false },
);
export type CreateWebhookBody = Static<typeof CreateWebhookBody>;

export const UpdateWebhookBody = Type.Object(
  {
    url: Type.Optional(Url),
    event_types: Type.Optional(EventTypes),
    description: Type.Optional(Description),
    status: Type.Optional(EndpointStatus),
  },
  { additionalProperties: false },
);
export type UpdateWebhookBody = Static<typeof UpdateWebhookBody>;

export const ListWebhooksQuery = Type.Object({ ...ListQuery });
export type ListWebhooksQuery = Static<typeof ListWebhooksQuery>;

const DeliveryStatus = StringEnum(['pending', 'delivered', 'failed']);

export const WebhookDelivery = Type.Object(
  {
    object: Type.Literal('roster.webhook.delivery'),
    id: Type.String({ description: 'Also the `webhook-id` header of every attempt.' }),
    webhook_id: Type.String(),
    event_id: Type.String({ description: 'The audit event sent.' }),
    event_type: Type.String(),
    status: DeliveryStatus,
    attempts: Type.Integer(),
    last_status_code: Nullable(Type.Integer()),
    last_error: Nullable(Type.String()),
    next_attempt_at: Nullable(Type.Integer({ description: 'When a pending delivery is next tried (Unix seconds).' })),
    created_at: Type.Integer(),
    delivered_at: Nullable(Type.Integer()),
  },
  { description: 'One audit event to send to one endpoint.' },
);
export type WebhookDelivery = Static<typeof WebhookDelivery>;

export const WebhookDeliveryList = ListPage(WebhookDelivery);

export const ListDeliveriesQuery = Type.Object({ ...ListQuery, status: Type.Optional(DeliveryStatus) });
export type ListDeliveriesQuery = Static<typeof ListDeliveriesQuery>;

export const DeliveryIdParams = Type.Object({ webhook_id: Type.String(), delivery_id: Type.String() });

export const WebhookAttempt = Type.Object({
  object: Type.Literal('roster.webhook.attempt'),
  id: Type.String(),
  delivery_id: Type.String(),
  attempted_at: Type.Integer(),
  succeeded: Type.Boolean(),
  status_code: Nullable(Type.Integer({ description: 'The receiver\u2019s HTTP status, or null when none came.' })),
  error: Nullable(Type.String({ description: 'Why the attempt failed, when it did.' })),
  latency_ms: Type.Integer(),
});
export type WebhookAttempt = Static<typeof WebhookAttempt>;

export const WebhookAttemptList = ListPage(WebhookAttempt);

export const ListAttemptsQuery = Type.Object({ ...ListQuery });
export type ListAttemptsQuery = Static<typeof ListAttemptsQuery>;
