import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type OpenAI from 'openai';
import { createProject, freshOrganization as newOrganization } from '../../support/fixtures.ts';
import { TestRoster } from '../../support/roster.ts';
import { assertRefused } from '../projects/refusals.ts';

const limit = (threshold_amount: number) => ({ threshold_amount, currency: 'USD' as const, interval: 'month' as const });

describe('spend limits', () => {
  let roster: TestRoster;
  let client: OpenAI;

  before(async () => {
    roster = await TestRoster.start();
    client = roster.client();
  });
  after(() => roster.close());

  /** A fresh organization, so each test starts without limits. */
  const freshOrganization = () => newOrganization(roster);

  test('none is set at first: retrieving and deleting are 404s', async () => {
    const { sdk } = await freshOrganization();
    const projectId = await createProject(sdk, 'No limit');
    await assertRefused(sdk.admin.organization.spendLimit.retrieve(), { status: 404, code: 'not_found' });
    await assertRefused(sdk.admin.organization.projects.spendLimit.retrieve(projectId), { status: 404, code: 'not_found' });
    await assertRefused(sdk.admin.organization.spendLimit.delete(), { status: 404 });
  });

  test('the organization sets, replaces and deletes its limit, each audited as organization.updated', async () => {
    const { sdk, organizationId } = await freshOrganization();
    const spendLimit = sdk.admin.organization.spendLimit;
    const set = await spendLimit.update(limit(500_00));
    assert.deepEqual(set, { object: 'organization.spend_limit', ...limit(500_00), enforcement: { status: 'inactive' } });
    assert.deepEqual(await spendLimit.retrieve(), set);
    assert.equal((await spendLimit.update(limit(800_00))).threshold_amount, 800_00);
    assert.deepEqual(await spendLimit.delete(), { object: 'organization.spend_limit.deleted', deleted: true });
    await assertRefused(spendLimit.retrieve(), { status: 404 });
    const events = await roster.auditEvents('organization.updated', organizationId);
    assert.deepEqual(
      events.map((e) => e.details),
      [
        { id: organizationId, changes_requested: { spend_limit: limit(500_00) } },
        { id: organizationId, changes_requested: { spend_limit: limit(800_00) } },
        { id: organizationId, changes_requested: { spend_limit: null } },
      ],
    );
  });

  test("a project's limit cannot exceed its organization's: a clear 400 on threshold_amount", async () => {
    const { sdk } = await freshOrganization();
    const projectId = await createProject(sdk, 'Capped');
    const projectLimit = sdk.admin.organization.projects.spendLimit;
    await sdk.admin.organization.spendLimit.update(limit(1000_00));
    await assertRefused(projectLimit.update(projectId, limit(1000_01)), {
      status: 400,
      param: 'threshold_amount',
      code: 'spend_limit_above_organization',
      message: /cannot exceed its organization's/,
    });
    await assertRefused(projectLimit.retrieve(projectId), { status: 404 });

    const equal = await projectLimit.update(projectId, limit(1000_00));
    assert.deepEqual(equal, { object: 'project.spend_limit', ...limit(1000_00), enforcement: { status: 'inactive' } });
    // Nor can the organization go below a project's limit.
    await assertRefused(sdk.admin.organization.spendLimit.update(limit(999_99)), {
      status: 400,
      param: 'threshold_amount',
      code: 'spend_limit_below_project',
      message: new RegExp(projectId),
    });
    assert.equal((await sdk.admin.organization.spendLimit.retrieve()).threshold_amount, 1000_00);
    assert.deepEqual(await projectLimit.delete(projectId), { object: 'project.spend_limit.deleted', deleted: true });
    assert.equal((await sdk.admin.organization.spendLimit.update(limit(10_00))).threshold_amount, 10_00);
  });

  test('without an organization limit a project may set any positive limit', async () => {
    const { sdk } = await freshOrganization();
    const projectId = await createProject(sdk, 'Uncapped');
    assert.equal((await sdk.admin.organization.projects.spendLimit.update(projectId, limit(10 ** 9))).threshold_amount, 10 ** 9);
  });

  test('zero, negative, fractional amounts and wrong enums are 400s naming the parameter, changing nothing', async () => {
    const { sdk } = await freshOrganization();
    const spendLimit = sdk.admin.organization.spendLimit;
    await spendLimit.update(limit(100));
    await assertRefused(spendLimit.update(limit(0)), { status: 400, param: 'threshold_amount', code: 'integer_below_min_value' });
    await assertRefused(spendLimit.update(limit(-5)), { status: 400, param: 'threshold_amount', code: 'integer_below_min_value' });
    await assertRefused(spendLimit.update(limit(1.5)), { status: 400, param: 'threshold_amount', code: 'invalid_type' });
    await assertRefused(spendLimit.update({ ...limit(200), currency: 'EUR' as never }), { status: 400, param: 'currency', code: 'invalid_value' });
    await assertRefused(spendLimit.update({ ...limit(200), interval: 'week' as never }), { status: 400, param: 'interval', code: 'invalid_value' });
    assert.equal((await spendLimit.retrieve()).threshold_amount, 100);
  });

  test('an archived project keeps its limit readable and refuses changes', async () => {
    const { sdk } = await freshOrganization();
    const projectId = await createProject(sdk, 'To archive');
    await sdk.admin.organization.projects.spendLimit.update(projectId, limit(300));
    await sdk.admin.organization.projects.archive(projectId);
    assert.equal((await sdk.admin.organization.projects.spendLimit.retrieve(projectId)).threshold_amount, 300);
    for (const call of [
      () => sdk.admin.organization.projects.spendLimit.update(projectId, limit(200)),
      () => sdk.admin.organization.projects.spendLimit.delete(projectId),
    ]) {
      await assertRefused(call(), { status: 400, param: 'project_id', code: 'project_archived' });
    }
    assert.equal((await sdk.admin.organization.projects.spendLimit.retrieve(projectId)).threshold_amount, 300);
  });

  test("racing organization and project changes never leave a project above its organization", async () => {
    const { sdk } = await freshOrganization();
    const projectId = await createProject(sdk, 'Raced');
    await sdk.admin.organization.spendLimit.update(limit(1000));
    await sdk.admin.organization.projects.spendLimit.update(projectId, limit(500));
    for (let round = 0; round < 5; round++) {
      // Each alone is allowed; together they would cross. At most one may win.
      const outcomes = await Promise.allSettled([
        sdk.admin.organization.spendLimit.update(limit(600 - round)),
        sdk.admin.organization.projects.spendLimit.update(projectId, limit(900 + round)),
      ]);
      assert.ok(outcomes.some((outcome) => outcome.status === 'rejected'), `round ${round}: both changes were accepted`);
      const organization = (await sdk.admin.organization.spendLimit.retrieve()).threshold_amount;
      const project = (await sdk.admin.organization.projects.spendLimit.retrieve(projectId)).threshold_amount;
      assert.ok(project <= organization, `round ${round}: project ${project} above organization ${organization}`);
      await sdk.admin.organization.projects.spendLimit.update(projectId, limit(500));
      await sdk.admin.organization.spendLimit.update(limit(1000));
    }
  });

  test("limits are the caller's organization's own", async () => {
    const mine = await freshOrganization();
    await mine.sdk.admin.organization.spendLimit.update(limit(700));
    await assertRefused(client.admin.organization.spendLimit.retrieve(), { status: 404 });
  });
});
