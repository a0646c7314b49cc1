import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import { invalidRequest, notFound } from '../../http/api-error.ts';
import type { Principal } from '../../http/auth.ts';
import { newId } from '../../lib/ids.ts';
import { nowSeconds } from '../../lib/time.ts';
import { pageOf } from '../policy/listing.ts';
import { readableScope, recordSettingChange, writableScope, type PolicyScope, type ScopeRef } from '../policy/scope.ts';
import * as alerts from './repository.ts';
import type { ListSpendAlertsQuery, NotificationChannel, SpendAlertBody, SpendAlertList } from './schemas.ts';

interface SpendAlert extends SpendAlertBody {
  id: string;
  object: 'organization.spend_alert' | 'project.spend_alert';
}

function toSpendAlert(scope: PolicyScope, row: alerts.SpendAlertRow): SpendAlert {
  return {
    id: row.id,
    object: scope.project ? 'project.spend_alert' : 'organization.spend_alert',
    threshold_amount: row.threshold_amount,
    currency: row.currency as 'USD',
    interval: row.interval as 'month',
    notification_channel: JSON.parse(row.notification_channel) as NotificationChannel,
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The fields of an alert as stored, once its recipients are known to be email addresses. */
function alertFields(body: SpendAlertBody) {
  body.notification_channel.recipients.forEach((recipient, index) => {
    if (!EMAIL.test(recipient)) {
      throw invalidRequest(`'${recipient}' is not an email address.`, `notification_channel.recipients[${index}]`, 'invalid_value');
    }
  });
  return {
    threshold_amount: body.threshold_amount,
    currency: body.currency,
    interval: body.interval,
    notification_channel: JSON.stringify(body.notification_channel),
  };
}

async function requireAlert(db: Db, scope: PolicyScope, alertId: string): Promise<alerts.SpendAlertRow> {
  const row = await alerts.findSpendAlert(db, scope.scopeId, alertId);
  if (!row) throw notFound('spend alert', alertId, 'alert_id');
  return row;
}

export async function listSpendAlerts(db: Db, ref: ScopeRef, query: ListSpendAlertsQuery): Promise<SpendAlertList> {
  const scope = await readableScope(db, ref);
  const rows = await alerts.listSpendAlerts(db, scope.scopeId);
  return pageOf(rows.map((row) => toSpendAlert(scope, row)), query) as SpendAlertList;
}

export async function retrieveSpendAlert(db: Db, ref: ScopeRef, alertId: string): Promise<SpendAlert> {
  const scope = await readableScope(db, ref);
  return toSpendAlert(scope, await requireAlert(db, scope, alertId));
}

export async function createSpendAlert(db: Kysely<Database>, principal: Principal, ref: ScopeRef, body: SpendAlertBody): Promise<SpendAlert> {
  const fields = alertFields(body);
  return db.transaction().execute(async (trx) => {
    const scope = await writableScope(trx, ref);
    const row = { id: newId('alert_'), ...fields, created_at: nowSeconds() };
    await alerts.insertSpendAlert(trx, { ...row, organization_id: scope.organizationId, scope_id: scope.scopeId, project_id: scope.project?.id ?? null });
    const alert = toSpendAlert(scope, row);
    await recordSettingChange(trx, principal, scope, { spend_alert: { action: 'created', ...alert } });
    return alert;
  });
}

export async function updateSpendAlert(
  db: Kysely<Database>,
  principal: Principal,
  ref: ScopeRef,
  alertId: string,
  body: SpendAlertBody,
): Promise<SpendAlert> {
  const fields = alertFields(body);
  return db.transaction().execute(async (trx) => {
    const scope = await writableScope(trx, ref);
    const current = await requireAlert(trx, scope, alertId);
    const updated = toSpendAlert(scope, { ...current, ...fields });
    if (JSON.stringify(updated) === JSON.stringify(toSpendAlert(scope, current))) return updated;
    await alerts.updateSpendAlert(trx, scope.scopeId, alertId, fields);
    await recordSettingChange(trx, principal, scope, { spend_alert: { action: 'updated', ...updated } });
    return updated;
  });
}

export async function deleteSpendAlert(db: Kysely<Database>, principal: Principal, ref: ScopeRef, alertId: string) {
  return db.transaction().execute(async (trx) => {
    const scope = await writableScope(trx, ref);
    if (!(await alerts.deleteSpendAlert(trx, scope.scopeId, alertId))) throw notFound('spend alert', alertId, 'alert_id');
    await recordSettingChange(trx, principal, scope, { spend_alert: { action: 'deleted', id: alertId } });
    const object = scope.project ? ('project.spend_alert.deleted' as const) : ('organization.spend_alert.deleted' as const);
    return { id: alertId, object, deleted: true };
  });
}
