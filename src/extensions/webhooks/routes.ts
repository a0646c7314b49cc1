import { route, routeTable } from '../../http/route-table.ts';
import {
  CreateWebhookBody,
  DeliveryIdParams,
  ListAttemptsQuery,
  ListDeliveriesQuery,
  ListWebhooksQuery,
  UpdateWebhookBody,
  Webhook,
  WebhookAttemptList,
  WebhookDeleted,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookIdParams,
  WebhookList,
  WebhookWithSecret,
} from './schemas.ts';
import * as service from './service.ts';
import type { TargetPolicy } from './targets.ts';

/** `/roster/v1/webhooks`: endpoints that receive the organization's audit events, and their deliveries. */
export function webhookRoutes(targets: TargetPolicy) {
  return routeTable(
    ['Webhooks (roster extension)'],
    [
      route.post(
        '/webhooks',
        { operationId: 'create-webhook', summary: 'Register an endpoint; its signing secret is returned only now', body: CreateWebhookBody, response: WebhookWithSecret },
        ({ db, principal, body }) => service.createWebhook(db, principal, targets, body),
      ),
      route.get(
        '/webhooks',
        { operationId: 'list-webhooks', summary: 'List the endpoints of the organization', querystring: ListWebhooksQuery, response: WebhookList },
        ({ db, principal, query }) => service.listWebhooks(db, principal, query),
      ),
      route.get(
        '/webhooks/:webhook_id',
        { operationId: 'retrieve-webhook', summary: 'Get one endpoint', params: WebhookIdParams, response: Webhook },
        ({ db, principal, params }) => service.retrieveWebhook(db, principal, params.webhook_id),
      ),
      route.post(
        '/webhooks/:webhook_id',
        { operationId: 'update-webhook', summary: "Change an endpoint's URL, event types, description or status", params: WebhookIdParams, body: UpdateWebhookBody, response: Webhook },
        ({ db, principal, params, body }) => service.updateWebhook(db, principal, targets, params.webhook_id, body),
      ),
      route.post(
        '/webhooks/:webhook_id/disable',
        { operationId: 'disable-webhook', summary: 'Stop sending to an endpoint; queued deliveries wait', params: WebhookIdParams, response: Webhook, optionalBody: true },
        ({ db, principal, params }) => service.disableWebhook(db, principal, params.webhook_id),
      ),
      route.post(
        '/webhooks/:webhook_id/rotate_secret',
        { operationId: 'rotate-webhook-secret', summary: 'Replace the signing secret; the new one is returned only now', params: WebhookIdParams, response: WebhookWithSecret, optionalBody: true },
        ({ db, principal, params }) => service.rotateWebhookSecret(db, principal, params.webhook_id),
      ),
      route.delete(
        '/webhooks/:webhook_id',
        { operationId: 'delete-webhook', summary: 'Delete an endpoint and its deliveries', params: WebhookIdParams, response: WebhookDeleted },
        ({ db, principal, params }) => service.deleteWebhook(db, principal, params.webhook_id),
      ),
      route.get(
        '/webhooks/:webhook_id/deliveries',
        { operationId: 'list-webhook-deliveries', summary: 'List the deliveries queued for an endpoint, oldest first', params: WebhookIdParams, querystring: ListDeliveriesQuery, response: WebhookDeliveryList },
        ({ db, principal, params, query }) => service.listDeliveries(db, principal, params.webhook_id, query),
      ),
      route.get(
        '/webhooks/:webhook_id/deliveries/:delivery_id',
        { operationId: 'retrieve-webhook-delivery', summary: 'Get one delivery', params: DeliveryIdParams, response: WebhookDelivery },
        ({ db, principal, params }) => service.retrieveDelivery(db, principal, params.webhook_id, params.delivery_id),
      ),
      route.get(
        '/webhooks/:webhook_id/deliveries/:delivery_id/attempts',
        { operationId: 'list-webhook-attempts', summary: 'List the attempts made to send a delivery', params: DeliveryIdParams, querystring: ListAttemptsQuery, response: WebhookAttemptList },
        ({ db, principal, params, query }) => service.listAttempts(db, principal, params.webhook_id, params.delivery_id, query),
      ),
      route.post(
        '/webhooks/:webhook_id/deliveries/:delivery_id/resend',
        { operationId: 'resend-webhook-delivery', summary: 'Queue a delivered or failed delivery again', params: DeliveryIdParams, response: WebhookDelivery, optionalBody: true },
        ({ db, principal, params }) => service.resendDelivery(db, principal, params.webhook_id, params.delivery_id),
      ),
    ],
  );
}
