import { Type, type Static } from 'typebox';
import { StringEnum } from '../../http/schema-types.ts';

const Currency = StringEnum(['USD'], { description: 'The currency of the amount; only `USD` is supported.' });
const Interval = StringEnum(['month'], { description: 'The period the limit applies to; only `month` is supported.' });

function SpendLimit<const O extends string>(object: O) {
  return Type.Object({
    object: Type.Literal(object),
    threshold_amount: Type.Integer({ description: 'The hard limit, in cents.' }),
    currency: Currency,
    interval: Interval,
    enforcement: Type.Object({
      status: StringEnum(['inactive', 'enforcing'], { description: 'Whether spend has reached the limit and requests are refused.' }),
    }),
  });
}

export const OrganizationSpendLimit = SpendLimit('organization.spend_limit');
export const ProjectSpendLimit = SpendLimit('project.spend_limit');

function SpendLimitDeleted<const O extends string>(object: O) {
  return Type.Object({ object: Type.Literal(object), deleted: Type.Boolean() });
}

export const OrganizationSpendLimitDeleted = SpendLimitDeleted('organization.spend_limit.deleted');
export const ProjectSpendLimitDeleted = SpendLimitDeleted('project.spend_limit.deleted');

export const UpdateSpendLimitBody = Type.Object(
  {
    threshold_amount: Type.Integer({ minimum: 1, description: 'The hard limit, in cents.' }),
    currency: Currency,
    interval: Interval,
  },
  { additionalProperties: false },
);
export type UpdateSpendLimitBody = Static<typeof UpdateSpendLimitBody>;
