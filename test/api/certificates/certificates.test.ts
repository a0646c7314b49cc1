import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type OpenAI from 'openai';
import { makeCertificate } from '../../support/certificates.ts';
import { createProject, freshOrganization as newOrganization } from '../../support/fixtures.ts';
import { TestRoster } from '../../support/roster.ts';
import { assertRefused } from '../projects/refusals.ts';

describe('certificates', () => {
  let roster: TestRoster;

  before(async () => {
    roster = await TestRoster.start();
  });
  after(() => roster.close());

  /** A fresh organization, so each test sees only its own certificates. */
  async function freshOrganization() {
    const { sdk, organizationId } = await newOrganization(roster);
    return { sdk, organizationId, certificates: sdk.admin.organization.certificates };
  }

  async function upload(sdk: OpenAI, name: string): Promise<string> {
    return (await sdk.admin.organization.certificates.create({ name, certificate: makeCertificate({ commonName: name }) })).id;
  }

  async function organizationActivity(sdk: OpenAI): Promise<Record<string, boolean>> {
    const activity: Record<string, boolean> = {};
    for await (const certificate of sdk.admin.organization.certificates.list({ limit: 100 })) activity[certificate.name!] = certificate.active;
    return activity;
  }

  async function projectActivity(sdk: OpenAI, projectId: string): Promise<Record<string, boolean>> {
    const activity: Record<string, boolean> = {};
    for await (const certificate of sdk.admin.organization.projects.certificates.list(projectId, { limit: 100 })) {
      assert.equal(certificate.object, 'organization.project.certificate');
      activity[certificate.name!] = certificate.active;
    }
    return activity;
  }

  test("upload reads the PEM's validity window, stores it inactive and is audited as certificate.created", async () => {
    const { sdk, organizationId, certificates } = await freshOrganization();
    const pem = makeCertificate();
    const x509 = new X509Certificate(pem);
    const uploaded = await certificates.create({ name: 'Gateway', certificate: pem });
    assert.match(uploaded.id, /^cert_/);
    assert.deepEqual(uploaded, {
      object: 'certificate',
      id: uploaded.id,
      name: 'Gateway',
      created_at: uploaded.created_at,
      certificate_details: {
        valid_at: Math.floor(x509.validFromDate.getTime() / 1000),
        expires_at: Math.floor(x509.validToDate.getTime() / 1000),
      },
    });
    assert.deepEqual(await certificates.retrieve(uploaded.id), uploaded);
    const withContent = await certificates.retrieve(uploaded.id, { include: ['content'] });
    assert.equal(withContent.certificate_details.content, pem.trim());
    assert.deepEqual(await organizationActivity(sdk), { Gateway: false });

    const [event] = await roster.auditEvents('certificate.created', organizationId);
    assert.deepEqual(event!.details, { id: uploaded.id, name: 'Gateway' });
  });

  test('a PEM that is not PEM, malformed, or expired is a 400 on certificate that says which, storing nothing', async () => {
    const { sdk, certificates } = await freshOrganization();
    const valid = makeCertificate();
    const body = valid.split('\n').slice(1, -2).join('\n');
    const cases: [string, string, RegExp][] = [
      ['just some text', 'invalid_certificate', /not PEM-encoded/],
      // Cut in half: valid base64, but the DER inside ends early.
      [`-----BEGIN CERTIFICATE-----\n${body.slice(0, 200)}\n-----END CERTIFICATE-----`, 'invalid_certificate', /malformed/],
      ['-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----', 'invalid_certificate', /malformed/],
      [makeCertificate({ notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2020-02-01T00:00:00Z') }), 'certificate_expired', /expired on 2020-02-01/],
    ];
    for (const [certificate, code, message] of cases) {
      await assertRefused(certificates.create({ name: 'Bad', certificate }), { status: 400, param: 'certificate', code, message });
    }
    await assertRefused(certificates.create({ name: 'No PEM' } as never), { status: 400, param: 'certificate', code: 'missing_required_parameter' });
    assert.deepEqual(await organizationActivity(sdk), {});
  });

  test('one organization holds a certificate once', async () => {
    const { sdk, certificates } = await freshOrganization();
    const pem = makeCertificate();
    await certificates.create({ name: 'First', certificate: pem });
    await assertRefused(certificates.create({ name: 'Again', certificate: pem }), { status: 400, param: 'certificate', code: 'certificate_exists' });
    assert.deepEqual(await organizationActivity(sdk), { First: false });
    // Another organization may hold the same certificate.
    const other = await freshOrganization();
    assert.equal((await other.certificates.create({ name: 'Theirs', certificate: pem })).name, 'Theirs');
  });

  test('renaming is the one change, audited as certificate.updated; the same name records nothing', async () => {
    const { organizationId, certificates, sdk } = await freshOrganization();
    const id = await upload(sdk, 'Old name');
    const renamed = await certificates.update(id, { name: 'New name' });
    assert.equal(renamed.name, 'New name');
    assert.equal((await certificates.retrieve(id)).name, 'New name');
    await certificates.update(id, { name: 'New name' });
    const events = await roster.auditEvents('certificate.updated', organizationId);
    assert.deepEqual(events.map((e) => e.details), [{ id, name: 'New name' }]);
    await assertRefused(certificates.update('cert_missing', { name: 'x' }), { status: 404, param: 'certificate_id' });
  });

  test('organization activation is a set operation: it changes only the named certificates and is idempotent', async () => {
    const { sdk, organizationId, certificates } = await freshOrganization();
    const a = await upload(sdk, 'A');
    const b = await upload(sdk, 'B');
    await upload(sdk, 'C');

    const activated = await certificates.activate({ certificate_ids: [a, b] });
    assert.equal(activated.data.length, 2);
    assert.ok(activated.data.every((c) => c.active && c.object === 'organization.certificate'));
    assert.deepEqual(await organizationActivity(sdk), { A: true, B: true, C: false });
    // Again, and with one of them twice: nothing changes.
    assert.deepEqual(
      (await certificates.activate({ certificate_ids: [b, b] })).data.map((c) => [c.id, c.active]),
      [[b, true]],
    );
    const deactivated = await certificates.deactivate({ certificate_ids: [a] });
    assert.deepEqual(deactivated.data.map((c) => [c.id, c.active, c.object]), [[a, false, 'organization.certificate']]);
    assert.deepEqual(await organizationActivity(sdk), { A: false, B: true, C: false });

    const events = [...(await roster.auditEvents('certificates.activated', organizationId)), ...(await roster.auditEvents('certificates.deactivated', organizationId))];
    assert.deepEqual(
      events.map((e) => [e.type, e.details.certificates]),
      [
        ['certificates.activated', [{ id: a, name: 'A' }, { id: b, name: 'B' }]],
        ['certificates.deactivated', [{ id: a, name: 'A' }]],
      ],
    );
  });

  test("a project activates the organization's certificates for itself only; any other id changes nothing", async () => {
    const { sdk, organizationId, certificates } = await freshOrganization();
    const projectCertificates = sdk.admin.organization.projects.certificates;
    const a = await upload(sdk, 'A');
    await upload(sdk, 'B');
    const projectId = await createProject(sdk, 'With certificates');
    const elsewhere = await createProject(sdk, 'Without');
    assert.deepEqual(await projectActivity(sdk, projectId), { A: false, B: false });

    const activated = await projectCertificates.activate(projectId, { certificate_ids: [a] });
    assert.deepEqual(activated.data.map((c) => [c.id, c.active, c.object]), [[a, true, 'organization.project.certificate']]);
    await projectCertificates.activate(projectId, { certificate_ids: [a] });
    assert.deepEqual(await projectActivity(sdk, projectId), { A: true, B: false });
    assert.deepEqual(await projectActivity(sdk, elsewhere), { A: false, B: false });
    assert.deepEqual(await organizationActivity(sdk), { A: false, B: false });

    const foreign = await (await freshOrganization()).certificates.create({ name: 'Foreign', certificate: makeCertificate() });
    for (const ids of [[a, foreign.id], ['cert_unknown']]) {
      await assertRefused(projectCertificates.deactivate(projectId, { certificate_ids: ids }), {
        status: 400,
        param: `certificate_ids[${ids.length - 1}]`,
        code: 'certificate_not_found',
      });
    }
    await assertRefused(certificates.activate({ certificate_ids: [foreign.id] }), { status: 400, param: 'certificate_ids[0]' });
    assert.deepEqual(await projectActivity(sdk, projectId), { A: true, B: false });

    const events = (await roster.auditEvents('certificates.activated', organizationId)).filter((e) => e.project_id === projectId);
    assert.deepEqual(events.map((e) => e.details), [{ id: projectId, certificates: [{ id: a, name: 'A' }] }]);
  });

  test('an archived project lists its certificates and refuses (de)activation', async () => {
    const { sdk } = await freshOrganization();
    const a = await upload(sdk, 'A');
    const projectId = await createProject(sdk, 'Archived certificates');
    await sdk.admin.organization.projects.certificates.activate(projectId, { certificate_ids: [a] });
    await sdk.admin.organization.projects.archive(projectId);
    assert.deepEqual(await projectActivity(sdk, projectId), { A: true });
    for (const call of [
      () => sdk.admin.organization.projects.certificates.deactivate(projectId, { certificate_ids: [a] }),
      () => sdk.admin.organization.projects.certificates.activate(projectId, { certificate_ids: [a] }),
    ]) {
      await assertRefused(call(), { status: 400, param: 'project_id', code: 'project_archived' });
    }
    // Its activation does not keep the certificate from being deleted.
    assert.deepEqual(await sdk.admin.organization.certificates.delete(a), { object: 'certificate.deleted', id: a });
  });

  test('a certificate active for the organization or an active project cannot be deleted', async () => {
    const { sdk, organizationId, certificates } = await freshOrganization();
    const pem = makeCertificate();
    const { id } = await certificates.create({ name: 'In use', certificate: pem });
    const projectId = await createProject(sdk, 'User of it');
    await certificates.activate({ certificate_ids: [id] });
    await assertRefused(certificates.delete(id), { status: 400, param: 'certificate_id', code: 'certificate_active', message: /organization/ });
    await certificates.deactivate({ certificate_ids: [id] });
    await sdk.admin.organization.projects.certificates.activate(projectId, { certificate_ids: [id] });
    await assertRefused(certificates.delete(id), { status: 400, code: 'certificate_active', message: new RegExp(projectId) });
    await sdk.admin.organization.projects.certificates.deactivate(projectId, { certificate_ids: [id] });

    assert.deepEqual(await certificates.delete(id), { object: 'certificate.deleted', id });
    await assertRefused(certificates.retrieve(id), { status: 404, param: 'certificate_id' });
    await assertRefused(certificates.delete(id), { status: 404 });
    const [event] = await roster.auditEvents('certificate.deleted', organizationId);
    assert.deepEqual(event!.details, { id, name: 'In use', certificate: pem.trim() });
  });

  test('lists newest first by default, with the classic envelope and cursors', async () => {
    const { sdk, certificates } = await freshOrganization();
    const ids: string[] = [];
    for (const name of ['one', 'two', 'three', 'four', 'five']) ids.push(await upload(sdk, name));
    const first = await certificates.list({ limit: 2 });
    assert.deepEqual(first.data.map((c) => c.id), [ids[4], ids[3]]);
    assert.equal(first.has_more, true);
    assert.equal(first.last_id, ids[3]);
    const visited: string[] = [];
    for await (const certificate of certificates.list({ limit: 2 })) visited.push(certificate.id);
    assert.deepEqual(visited, [...ids].reverse());
    assert.deepEqual((await certificates.list({ order: 'asc', after: ids[2] })).data.map((c) => c.id), ids.slice(3));
    const projectId = await createProject(sdk, 'Lists too');
    const projectPage = await sdk.admin.organization.projects.certificates.list(projectId, { limit: 3, order: 'asc' });
    assert.deepEqual(projectPage.data.map((c) => c.id), ids.slice(0, 3));
    await assertRefused(certificates.list({ order: 'newest' as never }), { status: 400, param: 'order', code: 'invalid_value' });
    await assertRefused(certificates.list({ limit: 0 }), { status: 400, param: 'limit' });
  });

  test('activation takes 1 to 10 ids', async () => {
    const { sdk, certificates } = await freshOrganization();
    const id = await upload(sdk, 'Only');
    await assertRefused(certificates.activate({ certificate_ids: [] }), { status: 400, param: 'certificate_ids' });
    await assertRefused(certificates.activate({ certificate_ids: Array(11).fill(id) }), { status: 400, param: 'certificate_ids', code: 'array_above_max_length' });
    await assertRefused(certificates.retrieve(id, { include: ['everything' as never] }), { status: 400, param: 'include[0]' });
    assert.deepEqual(await organizationActivity(sdk), { Only: false });
  });
});
