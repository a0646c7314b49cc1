import { Type, type Static } from 'typebox';
import { ListPage, ListQuery } from '../../http/pagination.ts';
import { Nullable, StringEnum } from '../../http/schema-types.ts';
import { Order } from '../policy/listing.ts';

const common = {
  id: Type.String(),
  name: Nullable(Type.String()),
  created_at: Type.Integer({ description: 'When the certificate was uploaded (Unix seconds).' }),
};

const validity = {
  valid_at: Type.Integer({ description: 'Start of the validity window (Unix seconds).' }),
  expires_at: Type.Integer({ description: 'End of the validity window (Unix seconds).' }),
};

/** The certificate as uploaded, retrieved or renamed; `content` only when asked for. */
export const Certificate = Type.Object({
  object: Type.Literal('certificate'),
  ...common,
  certificate_details: Type.Object({ ...validity, content: Type.Optional(Type.String({ description: 'The PEM.' })) }),
});
export type Certificate = Static<typeof Certificate>;

/** A certificate as a level lists it, with whether it is active there. */
function ListedCertificate<const O extends string>(object: O) {
  return Type.Object({
    object: Type.Literal(object),
    ...common,
    certificate_details: Type.Object(validity),
    active: Type.Boolean(),
  });
}

export const OrganizationCertificate = ListedCertificate('organization.certificate');
export const ProjectCertificate = ListedCertificate('organization.project.certificate');
export type ListedCertificate = Static<typeof OrganizationCertificate> | Static<typeof ProjectCertificate>;

export const OrganizationCertificateList = ListPage(OrganizationCertificate);
export const ProjectCertificateList = ListPage(ProjectCertificate);
export type CertificateList = Static<typeof OrganizationCertificateList> | Static<typeof ProjectCertificateList>;

function Toggled<const O extends string, const I extends string>(object: O, item: I) {
  return Type.Object({ object: Type.Literal(object), data: Type.Array(ListedCertificate(item)) });
}

export const OrganizationActivation = Toggled('organization.certificate.activation', 'organization.certificate');
export const OrganizationDeactivation = Toggled('organization.certificate.deactivation', 'organization.certificate');
export const ProjectActivation = Toggled('organization.project.certificate.activation', 'organization.project.certificate');
export const ProjectDeactivation = Toggled('organization.project.certificate.deactivation', 'organization.project.certificate');
export type Activation = Static<typeof OrganizationActivation> | Static<typeof ProjectActivation>;
export type Deactivation = Static<typeof OrganizationDeactivation> | Static<typeof ProjectDeactivation>;

export const CertificateDeleted = Type.Object({ object: Type.Literal('certificate.deleted'), id: Type.String() });

export const UploadCertificateBody = Type.Object(
  {
    name: Type.Optional(Type.String({ description: 'A name for the certificate.' })),
    certificate: Type.String({ description: 'The certificate, PEM-encoded.' }),
  },
  { additionalProperties: false },
);
export type UploadCertificateBody = Static<typeof UploadCertificateBody>;

export const ModifyCertificateBody = Type.Object(
  { name: Type.Optional(Type.String({ description: 'The new name.' })) },
  { additionalProperties: false },
);
export type ModifyCertificateBody = Static<typeof ModifyCertificateBody>;

export const ToggleCertificatesBody = Type.Object(
  {
    certificate_ids: Type.Array(Type.String(), { minItems: 1, maxItems: 10, description: 'Up to 10 certificate ids.' }),
  },
  { additionalProperties: false },
);
export type ToggleCertificatesBody = Static<typeof ToggleCertificatesBody>;

export const ListCertificatesQuery = Type.Object({ ...ListQuery, order: Order('desc') });
export type ListCertificatesQuery = Static<typeof ListCertificatesQuery>;

export const RetrieveCertificateQuery = Type.Object({
  include: Type.Optional(Type.Array(StringEnum(['content']), { description: '`content` adds the PEM to the answer.' })),
});

export const CertificateId = { certificate_id: Type.String({ description: 'The id of the certificate.' }) };
