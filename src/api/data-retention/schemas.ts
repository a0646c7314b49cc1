import { Type, type Static } from 'typebox';
import { StringEnum } from '../../http/schema-types.ts';

/** The retention arrangements an organization can have. */
export const ORGANIZATION_RETENTION_TYPES = [
  'zero_data_retention',
  'modified_abuse_monitoring',
  'enhanced_zero_data_retention',
  'enhanced_modified_abuse_monitoring',
] as const;
export type OrganizationRetentionType = (typeof ORGANIZATION_RETENTION_TYPES)[number];

/** A project can also follow the organization (the default) or opt out of any arrangement. */
export const PROJECT_RETENTION_TYPES = ['organization_default', 'none', ...ORGANIZATION_RETENTION_TYPES] as const;
export type ProjectRetentionType = (typeof PROJECT_RETENTION_TYPES)[number];

export const OrganizationDataRetention = Type.Object({
  object: Type.Literal('organization.data_retention'),
  type: StringEnum(ORGANIZATION_RETENTION_TYPES),
});

export const ProjectDataRetention = Type.Object({
  object: Type.Literal('project.data_retention'),
  type: StringEnum(PROJECT_RETENTION_TYPES),
});

export const UpdateOrganizationDataRetentionBody = Type.Object(
  { retention_type: StringEnum(ORGANIZATION_RETENTION_TYPES, { description: 'The retention arrangement of the organization.' }) },
  { additionalProperties: false },
);

export const UpdateProjectDataRetentionBody = Type.Object(
  {
    retention_type: StringEnum(PROJECT_RETENTION_TYPES, {
      description: "The project's retention arrangement; `organization_default` follows the organization.",
    }),
  },
  { additionalProperties: false },
);
export type UpdateDataRetentionBody = Static<typeof UpdateProjectDataRetentionBody>;
