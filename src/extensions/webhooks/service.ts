import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import type { Principal } from '../../http/auth.ts';
import { invalidRequest, notFound } from '../../http/api-error.ts';
import { toPage, type Page } from '../../http/pagination.ts';
import { newId } from '../../lib/ids.ts';
import { nowSeconds } from '../../lib/time.ts';
import { recordAuditEvent, type SystemActor } from '../../api/audit-logs/record.ts';
import * as store from './repository.ts';
import type {
  CreateWebhookBody,
  ListAttemptsQuery,
  ListDeliveriesQuery,
  ListWebhooksQuery,
  UpdateWebhookBody,
  Webhook,
  WebhookAttempt,
  WebhookDelivery,
  WebhookWithSecret,
} from './schemas.ts';
import type { TargetPolicy } from './targets.ts';

export function toWebhook(row: store.EndpointRow): Webhook {
  return {
    object: 'roster.webhook',
    id: row.id,
    url: row.url,
    description: row.description,
    event_types: row.event_types === null ? null : JSON.parse(row.event_types),
    status: row.status,
    disabled_reason: row.disabled_reason,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function toDelivery(row: store.DeliveryRow): WebhookDelivery {
  return {
    object: 'roster.webhook.delivery',
    id: row.id,
    webhook_id: row.endpoint_id,
    event_id: row.audit_log_id,
    event_type: row.event_type,
    status: row.status,
    attempts: row.attempt_count,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    // A fresh delivery is queued as due at time 0 (at once); it is next tried as it was created.
    next_attempt_at: row.status !== 'pending' ? null : Math.max(row.created_at, Math.ceil(row.next_attempt_at_ms / 1000)),
    created_at: row.created_at,
    delivered_at: row.delivered_at,
  };
}

function toAttempt(row: store.AttemptRow): WebhookAttempt {
  return {
    object: 'roster.webhook.attempt',
    id: row.id,
    delivery_id: row.delivery_id,
    attempted_at: row.attempted_at,
    succeeded: row.succeeded === 1,
    status_code: row.status_code,
    error: row.error,
    latency_ms: row.latency_ms,
  };
}

/** `whsec_` and 32 random bytes in base64, the form Standard Webhooks libraries expect. */
function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

async function checkUrl(targets: TargetPolicy, url: string): Promise<void> {
  const refusal = await targets.refusal(url);
  if (refusal !== undefined) throw invalidRequest(`The webhook URL ${refusal}.`, 'url', 'invalid_url');
}

async function requireEndpoint(db: Db, organizationId: string, id: string): Promise<store.EndpointRow> {
  const row = await store.findEndpoint(db, organizationId, id);
  if (!row) throw notFound('webhook', id, 'webhook_id');
  return row;
}

const eventTypesColumn = (eventTypes: string[] | null | undefined) => (eventTypes == null ? null : JSON.stringify([...new Set(eventTypes)]));

export async function createWebhook(db: Kysely<Database>, principal: Principal, targets: TargetPolicy, body: CreateWebhookBody): Promise<WebhookWithSecret> {
  await checkUrl(targets, body.url);
  const now = nowSeconds();
  const row: store.EndpointRow = {
    id: newId('webhook-'),
    organization_id: principal.organizationId,
    url: body.url,
    description: body.description ?? null,
    event_types: eventTypesColumn(body.event_types),
    secret: newSigningSecret(),
    status: 'enabled',
    disabled_reason: null,
    created_at: now,
    updated_at: now,
  };
  await db.transaction().execute(async (trx) => {
    await store.insertEndpoint(trx, row);
    const details = { url: row.url, event_types: toWebhook(row).event_types, description: row.description };
    await recordAuditEvent(trx, principal, { type: 'roster.webhook.created', resourceId: row.id, details: { data: details } });
  });
  return { ...toWebhook(row), secret: row.secret };
}

export async function listWebhooks(db: Db, principal: Principal, query: ListWebhooksQuery): Promise<Page<Webhook>> {
  const rows = await store.listEndpoints(db, principal.organizationId, query);
  return toPage(rows, query.limit, toWebhook);
}

export async function retrieveWebhook(db: Db, principal: Principal, id: string): Promise<Webhook> {
  return toWebhook(await requireEndpoint(db, principal.organizationId, id));
}

export async function updateWebhook(
  db: Kysely<Database>,
  principal: Principal,
  targets: TargetPolicy,
  id: string,
  body: UpdateWebhookBody,
): Promise<Webhook> {
  if (body.url !== undefined) await checkUrl(targets, body.url);
  return db.transaction().execute(async (trx) => {
    const current = await requireEndpoint(trx, principal.organizationId, id);
    const changes: Partial<store.EndpointRow> = {};
    if (body.url !== undefined && body.url !== current.url) changes.url = body.url;
    if (body.description !== undefined && body.description !== current.description) changes.description = body.description;
    const eventTypes = body.event_types === undefined ? current.event_types : eventTypesColumn(body.event_types);
    if (eventTypes !== current.event_types) changes.event_types = eventTypes;
    if (body.status !== undefined && body.status !== current.status) {
      changes.status = body.status;
      changes.disabled_reason = body.status === 'disabled' ? 'disabled by request' : null;
    }
    if (Object.keys(changes).length === 0) return toWebhook(current);
    changes.updated_at = nowSeconds();
    await store.updateEndpoint(trx, principal.organizationId, id, changes);
    const updated = toWebhook({ ...current, ...changes });
    const requested = { url: changes.url, description: changes.description, status: changes.status, ...('event_types' in changes ? { event_types: updated.event_types } : {}) };
    await recordAuditEvent(trx, principal, { type: 'roster.webhook.updated', resourceId: id, details: { changes_requested: requested } });
    return updated;
  });
}

/**
 * Stops deliveries to an enabled endpoint, recording why; a no-op (and no event) for a disabled one.
 * Deliveries already queued stay queued and go out, in order, once it is enabled again.
 */
export async function disableEndpoint(trx: Db, by: Principal | SystemActor, current: store.EndpointRow, reason: string): Promise<store.EndpointRow> {
  if (current.status === 'disabled') return current;
  const changes = { status: 'disabled' as const, disabled_reason: reason, updated_at: nowSeconds() };
  await store.updateEndpoint(trx, current.organization_id, current.id, changes);
  await recordAuditEvent(trx, by, { type: 'roster.webhook.disabled', resourceId: current.id, details: { reason } });
  return { ...current, ...changes };
}

export async function disableWebhook(db: Kysely<Database>, principal: Principal, id: string): Promise<Webhook> {
  return db.transaction().execute(async (trx) => {
    const current = await requireEndpoint(trx, principal.organizationId, id);
    return toWebhook(await disableEndpoint(trx, principal, current, 'disabled by request'));
  });
}

export async function deleteWebhook(db: Kysely<Database>, principal: Principal, id: string) {
  return db.transaction().execute(async (trx) => {
    await requireEndpoint(trx, principal.organizationId, id);
    await store.deleteEndpoint(trx, principal.organizationId, id);
    await recordAuditEvent(trx, principal, { type: 'roster.webhook.deleted', resourceId: id });
    return { object: 'roster.webhook.deleted' as const, id, deleted: true };
  });
}

/** A new signing secret, in force for every attempt from now on; the old one stops at once. */
export async function rotateWebhookSecret(db: Kysely<Database>, principal: Principal, id: string): Promise<WebhookWithSecret> {
  return db.transaction().execute(async (trx) => {
    const current = await requireEndpoint(trx, principal.organizationId, id);
    const changes = { secret: newSigningSecret(), updated_at: nowSeconds() };
    await store.updateEndpoint(trx, principal.organizationId, id, changes);
    await recordAuditEvent(trx, principal, { type: 'roster.webhook.secret_rotated', resourceId: id });
    const updated = { ...current, ...changes };
    return { ...toWebhook(updated), secret: updated.secret };
  });
}

export async function listDeliveries(db: Db, principal: Principal, webhookId: string, query: ListDeliveriesQuery): Promise<Page<WebhookDelivery>> {
  await requireEndpoint(db, principal.organizationId, webhookId);
  const rows = await store.listDeliveries(db, principal.organizationId, webhookId, query);
  return toPage(rows, query.limit, toDelivery);
}

async function requireDelivery(db: Db, principal: Principal, webhookId: string, deliveryId: string): Promise<store.DeliveryRow> {
  await requireEndpoint(db, principal.organizationId, webhookId);
  const row = await store.findDelivery(db, principal.organizationId, webhookId, deliveryId);
  if (!row) throw notFound('delivery', deliveryId, 'delivery_id');
  return row;
}

export async function retrieveDelivery(db: Db, principal: Principal, webhookId: string, deliveryId: string): Promise<WebhookDelivery> {
  return toDelivery(await requireDelivery(db, principal, webhookId, deliveryId));
}

export async function listAttempts(db: Db, principal: Principal, webhookId: string, deliveryId: string, query: ListAttemptsQuery) {
  await requireDelivery(db, principal, webhookId, deliveryId);
  const rows = await store.listAttempts(db, deliveryId, query);
  return toPage(rows, query.limit, toAttempt);
}

/**
 * Queues a delivered or failed delivery again, due at once and with a fresh retry window. It takes
 * its place in the endpoint's queue by its event, so it goes out before any later event still queued.
 */
export async function resendDelivery(db: Kysely<Database>, principal: Principal, webhookId: string, deliveryId: string): Promise<WebhookDelivery> {
  return db.transaction().execute(async (trx) => {
    const current = await requireDelivery(trx, principal, webhookId, deliveryId);
    if (current.status === 'pending') throw invalidRequest(`Delivery '${deliveryId}' is already queued.`, 'delivery_id', 'delivery_pending');
    await store.requeueDelivery(trx, webhookId, deliveryId);
    return toDelivery((await store.findDelivery(trx, principal.organizationId, webhookId, deliveryId))!);
  });
}
