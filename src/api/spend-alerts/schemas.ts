import { Type, type Static } from 'typebox';
import { ListQuery } from '../../http/pagination.ts';
import { ListPage } from '../../http/pagination.ts';
import { Nullable, StringEnum } from '../../http/schema-types.ts';
import { Before, Order } from '../policy/listing.ts';

const NotificationChannel = Type.Object(
  {
    type: StringEnum(['email'], { description: 'How the alert is sent; only `email` is supported.' }),
    recipients: Type.Array(Type.String(), { minItems: 1, description: 'The email addresses to notify.' }),
    subject_prefix: Type.Optional(Nullable(Type.String({ description: 'Put before the subject of every alert email.' }))),
  },
  { additionalProperties: false },
);
export type NotificationChannel = Static<typeof NotificationChannel>;

const fields = {
  threshold_amount: Type.Integer({ minimum: 0, description: 'The spend that triggers the alert, in cents.' }),
  currency: StringEnum(['USD'], { description: 'The currency of the amount; only `USD` is supported.' }),
  interval: StringEnum(['month'], { description: 'The period spend is summed over; only `month` is supported.' }),
  notification_channel: NotificationChannel,
};

function SpendAlert<const O extends string>(object: O) {
  return Type.Object({ id: Type.String(), object: Type.Literal(object), ...fields });
}

function SpendAlertDeleted<const O extends string>(object: O) {
  return Type.Object({ id: Type.String(), object: Type.Literal(object), deleted: Type.Boolean() });
}

export const OrganizationSpendAlert = SpendAlert('organization.spend_alert');
export const ProjectSpendAlert = SpendAlert('project.spend_alert');
export const OrganizationSpendAlertList = ListPage(OrganizationSpendAlert);
export const ProjectSpendAlertList = ListPage(ProjectSpendAlert);
/** A page holds the alerts of one scope, so all of one `object`. */
export type SpendAlertList = Static<typeof OrganizationSpendAlertList> | Static<typeof ProjectSpendAlertList>;
export const OrganizationSpendAlertDeleted = SpendAlertDeleted('organization.spend_alert.deleted');
export const ProjectSpendAlertDeleted = SpendAlertDeleted('project.spend_alert.deleted');

/** Create and update take the whole alert. */
export const SpendAlertBody = Type.Object(fields, { additionalProperties: false });
export type SpendAlertBody = Static<typeof SpendAlertBody>;

export const ListSpendAlertsQuery = Type.Object({
  limit: Type.Integer({ minimum: 0, maximum: 100, default: 20, description: 'How many alerts to return, from 0 to 100.' }),
  after: ListQuery.after,
  before: Before,
  order: Order('asc'),
});
export type ListSpendAlertsQuery = Static<typeof ListSpendAlertsQuery>;

export const AlertId = { alert_id: Type.String({ description: 'The id of the spend alert.' }) };
