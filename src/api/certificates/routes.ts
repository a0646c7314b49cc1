import { Type } from 'typebox';
import { route, routeTable } from '../../http/route-table.ts';
import { LEVELS, scopeRef } from '../policy/scope.ts';
import {
  Certificate,
  CertificateDeleted,
  CertificateId,
  ListCertificatesQuery,
  ModifyCertificateBody,
  OrganizationActivation,
  OrganizationCertificateList,
  OrganizationDeactivation,
  ProjectActivation,
  ProjectCertificateList,
  ProjectDeactivation,
  RetrieveCertificateQuery,
  ToggleCertificatesBody,
  UploadCertificateBody,
} from './schemas.ts';
import * as service from './service.ts';

/** Listing and (de)activation exist for the organization and for each project. */
const twins = [
  {
    routes: LEVELS.organization,
    schemas: { list: OrganizationCertificateList, activation: OrganizationActivation, deactivation: OrganizationDeactivation },
    ids: { list: 'listOrganizationCertificates', activate: 'activateOrganizationCertificates', deactivate: 'deactivateOrganizationCertificates' },
  },
  {
    routes: LEVELS.project,
    schemas: { list: ProjectCertificateList, activation: ProjectActivation, deactivation: ProjectDeactivation },
    ids: { list: 'listProjectCertificates', activate: 'activateProjectCertificates', deactivate: 'deactivateProjectCertificates' },
  },
];

const itemParams = Type.Object(CertificateId);

/**
 * `/v1/organization/certificates` (the organization's certificates, and their activation for it)
 * and `/v1/organization/projects/{project_id}/certificates` (their activation for one project).
 */
export const certificatesRoutes = routeTable(['Certificates'], [
  route.post(
    '/organization/certificates',
    { operationId: 'uploadCertificate', summary: 'Upload a PEM certificate to the organization, inactive', body: UploadCertificateBody, response: Certificate },
    ({ db, principal, body }) => service.uploadCertificate(db, principal, body),
  ),
  route.get(
    '/organization/certificates/:certificate_id',
    { operationId: 'getCertificate', summary: 'Get one certificate, active or not', params: itemParams, querystring: RetrieveCertificateQuery, response: Certificate },
    ({ db, principal, params, query }) => service.retrieveCertificate(db, principal, params.certificate_id, query.include),
  ),
  route.post(
    '/organization/certificates/:certificate_id',
    { operationId: 'modifyCertificate', summary: 'Rename a certificate', params: itemParams, body: ModifyCertificateBody, response: Certificate },
    ({ db, principal, params, body }) => service.modifyCertificate(db, principal, params.certificate_id, body),
  ),
  route.delete(
    '/organization/certificates/:certificate_id',
    { operationId: 'deleteCertificate', summary: 'Delete a certificate that is active nowhere', params: itemParams, response: CertificateDeleted },
    ({ db, principal, params }) => service.deleteCertificate(db, principal, params.certificate_id),
  ),
  ...twins.flatMap(({ routes, schemas, ids }) => {
    const url = `${routes.prefix}/certificates`;
    const params = routes.params();
    return [
      route.get(
        url,
        { operationId: ids.list, summary: `List the organization's certificates and whether each is active for the ${routes.level}`, params, querystring: ListCertificatesQuery, response: schemas.list },
        ({ db, principal, params, query }) => service.listCertificates(db, scopeRef(principal, params), query),
      ),
      route.post(
        `${url}/activate`,
        { operationId: ids.activate, summary: `Activate up to 10 certificates for the ${routes.level}`, params, body: ToggleCertificatesBody, response: schemas.activation },
        ({ db, principal, params, body }) => service.activateCertificates(db, principal, scopeRef(principal, params), body.certificate_ids),
      ),
      route.post(
        `${url}/deactivate`,
        { operationId: ids.deactivate, summary: `Deactivate up to 10 certificates for the ${routes.level}`, params, body: ToggleCertificatesBody, response: schemas.deactivation },
        ({ db, principal, params, body }) => service.deactivateCertificates(db, principal, scopeRef(principal, params), body.certificate_ids),
      ),
    ];
  }),
]);
