import type { Db, SpendAlertsTable } from '../../db/schema.ts';

export type SpendAlertRow = Omit<SpendAlertsTable, 'organization_id' | 'scope_id' | 'project_id'>;

const COLUMNS = ['id', 'threshold_amount', 'currency', 'interval', 'notification_channel', 'created_at'] as const;

/** Every alert of the scope (a scope has a handful; see ../policy/listing.ts). */
export function listSpendAlerts(db: Db, scopeId: string): Promise<SpendAlertRow[]> {
  return db.selectFrom('spend_alerts').select(COLUMNS).where('scope_id', '=', scopeId).orderBy('id').execute();
}

export function findSpendAlert(db: Db, scopeId: string, alertId: string): Promise<SpendAlertRow | undefined> {
  return db.selectFrom('spend_alerts').select(COLUMNS).where('scope_id', '=', scopeId).where('id', '=', alertId).executeTakeFirst();
}

export async function insertSpendAlert(db: Db, row: SpendAlertsTable): Promise<void> {
  await db.insertInto('spend_alerts').values(row).execute();
}

export async function updateSpendAlert(db: Db, scopeId: string, alertId: string, changes: Omit<SpendAlertRow, 'id' | 'created_at'>): Promise<void> {
  await db.updateTable('spend_alerts').set(changes).where('scope_id', '=', scopeId).where('id', '=', alertId).execute();
}

/** True when there was an alert to delete. */
export async function deleteSpendAlert(db: Db, scopeId: string, alertId: string): Promise<boolean> {
  const result = await db.deleteFrom('spend_alerts').where('scope_id', '=', scopeId).where('id', '=', alertId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
