import { Type, type Static } from 'typebox';
import { ListPage, ListQuery } from '../../http/pagination.ts';
import { Nullable, StringEnum } from '../../http/schema-types.ts';

/** The data residency regions the reference lists for projects. */
export const ProjectResidency = StringEnum(
  [
    'GLOBAL',
    'US_STORAGE_PROCESSING',
    'EU_STORAGE_PROCESSING',
    'JP_STORAGE',
    'KR_STORAGE',
    'CA_STORAGE',
    'SG_STORAGE',
    'IN_STORAGE',
    'AU_STORAGE',
    'GB_STORAGE',
    'AE_STORAGE',
    'AE_STORAGE_PROCESSING',
  ],
  { description: 'Where the project stores and processes its data.' },
);

export const Project = Type.Object(
  {
    id: Type.String(),
    object: Type.Literal('organization.project'),
    name: Nullable(Type.String()),
    created_at: Type.Integer({ description: 'When the project was created (Unix seconds).' }),
    archived_at: Nullable(Type.Integer({ description: 'When the project was archived (Unix seconds).' })),
    status: Nullable(Type.String({ description: '`active` or `archived`' })),
    // Like the real API, these two keys appear only when the project has them.
    external_key_id: Type.Optional(Type.String({ description: 'The external encryption key the project uses.' })),
    residency: Type.Optional(ProjectResidency),
  },
  { description: 'A project of the organization.' },
);
export type Project = Static<typeof Project>;

export const ProjectList = ListPage(Project);

/** Booleans in a query string, as clients send them: `true`/`false`, or `1`/`0` (Perl). */
const QUERY_BOOLEAN = ['true', 'false', '1', '0'] as const;

export function isTrue(value: (typeof QUERY_BOOLEAN)[number] | undefined): boolean {
  return value === 'true' || value === '1';
}

export const ListProjectsQuery = Type.Object({
  ...ListQuery,
  include_archived: Type.Optional(StringEnum(QUERY_BOOLEAN, { description: 'Also list archived projects (default false).' })),
});
export type ListProjectsQuery = Static<typeof ListProjectsQuery>;

export const ProjectIdParams = Type.Object({ project_id: Type.String({ description: 'The id of the project.' }) });

const ProjectName = Type.String({ minLength: 1, maxLength: 255, description: 'The name shown in reports and the dashboard.' });
const ExternalKeyId = Type.String({ minLength: 1, maxLength: 255, description: 'Id of an external encryption key.' });
/** The SDK still offers `geography`, which the reference replaced with `residency`. */
const Geography = Type.String({ description: 'Replaced by `residency`; refused when set.' });

export const CreateProjectBody = Type.Object(
  {
    name: ProjectName,
    residency: Type.Optional(Nullable(ProjectResidency)),
    external_key_id: Type.Optional(Nullable(ExternalKeyId)),
    geography: Type.Optional(Nullable(Geography)),
  },
  { additionalProperties: false },
);
export type CreateProjectBody = Static<typeof CreateProjectBody>;

export const ModifyProjectBody = Type.Object(
  {
    name: Type.Optional(Nullable(ProjectName)),
    external_key_id: Type.Optional(Nullable(ExternalKeyId)),
    geography: Type.Optional(Nullable(Geography)),
  },
  { additionalProperties: false },
);
export type ModifyProjectBody = Static<typeof ModifyProjectBody>;
