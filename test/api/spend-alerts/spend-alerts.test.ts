import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type OpenAI from 'openai';
import type { SpendAlertCreateParams } from 'openai/resources/admin/organization/spend-alerts';
import { createProject, freshOrganization } from '../../support/fixtures.ts';
import { TestRoster } from '../../support/roster.ts';
import { assertRefused } from '../projects/refusals.ts';

interface Alert {
  id: string;
  object: string;
  threshold_amount: number;
}

interface Page {
  data: Alert[];
  has_more: boolean;
  first_id?: string | null;
  last_id?: string | null;
}

/** One level's alerts through the SDK: the organization's, or one project's. */
interface Alerts {
  object: string;
  list(query?: { limit?: number; after?: string; before?: string; order?: 'asc' | 'desc' }): AsyncIterable<Alert> & Promise<Page>;
  create(body: SpendAlertCreateParams): Promise<Alert>;
  retrieve(id: string): Promise<Alert>;
  update(id: string, body: SpendAlertCreateParams): Promise<Alert>;
  delete(id: string): Promise<{ id: string; object: string; deleted: boolean }>;
}

const body = (threshold_amount: number, recipients = ['finance@example.com']): SpendAlertCreateParams => ({
  threshold_amount,
  currency: 'USD',
  interval: 'month',
  notification_channel: { type: 'email', recipients, subject_prefix: 'Spend' },
});

describe('spend alerts', () => {
  let roster: TestRoster;
  let client: OpenAI;
  let projects = 0;

  before(async () => {
    roster = await TestRoster.start();
    client = roster.client();
  });
  after(() => roster.close());

  const organizationAlerts = (sdk: OpenAI = client): Alerts => {
    const alerts = sdk.admin.organization.spendAlerts;
    return {
      object: 'organization.spend_alert',
      list: (query) => alerts.list(query),
      create: (b) => alerts.create(b),
      retrieve: (id) => alerts.retrieve(id),
      update: (id, b) => alerts.update(id, b),
      delete: (id) => alerts.delete(id),
    };
  };

  const projectAlerts = (projectId: string): Alerts => {
    const alerts = client.admin.organization.projects.spendAlerts;
    return {
      object: 'project.spend_alert',
      list: (query) => alerts.list(projectId, query),
      create: (b) => alerts.create(projectId, b),
      retrieve: (id) => alerts.retrieve(id, { project_id: projectId }),
      update: (id, b) => alerts.update(id, { project_id: projectId, ...b }),
      delete: (id) => alerts.delete(id, { project_id: projectId }),
    };
  };

  const levels: { noun: string; open(): Promise<{ alerts: Alerts; organizationId: string; projectId: string | null }> }[] = [
    {
      noun: 'organization',
      // A fresh organization each time, so its list holds only the test's alerts.
      open: async () => {
        const { sdk, organizationId } = await freshOrganization(roster);
        return { alerts: organizationAlerts(sdk), organizationId, projectId: null };
      },
    },
    {
      noun: 'project',
      open: async () => {
        const projectId = await createProject(client, `Alerted ${++projects}`);
        return { alerts: projectAlerts(projectId), organizationId: roster.org.organizationId, projectId };
      },
    },
  ];

  for (const level of levels) {
    describe(`${level.noun} alerts`, () => {
      test('create, retrieve, replace and delete, each audited with the level', async () => {
        const { alerts, organizationId, projectId } = await level.open();
        const created = await alerts.create(body(100_000));
        assert.match(created.id, /^alert_/);
        assert.deepEqual(created, { id: created.id, object: alerts.object, ...body(100_000) });
        assert.deepEqual(await alerts.retrieve(created.id), created);
        const replaced = await alerts.update(created.id, body(150_000, ['a@example.com', 'b@example.com']));
        assert.deepEqual(replaced, { id: created.id, object: alerts.object, ...body(150_000, ['a@example.com', 'b@example.com']) });
        assert.deepEqual(await alerts.retrieve(created.id), replaced);
        assert.deepEqual(await alerts.delete(created.id), { id: created.id, object: `${alerts.object}.deleted`, deleted: true });
        await assertRefused(alerts.retrieve(created.id), { status: 404, param: 'alert_id' });
        await assertRefused(alerts.delete(created.id), { status: 404, param: 'alert_id' });

        const type = projectId ? 'project.updated' : 'organization.updated';
        const events = (await roster.auditEvents(type, organizationId)).filter((e) => e.details.changes_requested?.spend_alert?.id === created.id);
        assert.deepEqual(
          events.map((e) => [e.details.changes_requested.spend_alert.action, e.project_id]),
          [
            ['created', projectId],
            ['updated', projectId],
            ['deleted', projectId],
          ],
        );
      });

      test('lists with the classic envelope, in both orders, paged by after and before', async () => {
        const { alerts } = await level.open();
        const ids: string[] = [];
        for (let i = 1; i <= 5; i++) ids.push((await alerts.create(body(i * 1000))).id);
        const mine = (page: Page) => page.data.map((a) => a.id).filter((id) => ids.includes(id));

        const first = await alerts.list({ limit: 2 });
        const all: string[] = [];
        for await (const alert of alerts.list({ limit: 2 })) all.push(alert.id);
        assert.deepEqual(all.filter((id) => ids.includes(id)), ids, 'the SDK follows last_id through every page, oldest first');
        assert.equal(first.has_more, all.length > 2);
        assert.equal(first.last_id, first.data.at(-1)!.id);

        const descending = await alerts.list({ limit: 100, order: 'desc' });
        assert.deepEqual(mine(descending), [...ids].reverse());

        const afterSecond = await alerts.list({ after: ids[1], limit: 2 });
        assert.deepEqual(mine(afterSecond), ids.slice(2, 4));
        assert.equal(afterSecond.has_more, true);
        const beforeFifth = await alerts.list({ before: ids[4], limit: 2 });
        assert.deepEqual(mine(beforeFifth), ids.slice(2, 4));
        assert.equal(beforeFifth.last_id, ids[3]);
        assert.equal(beforeFifth.has_more, true, 'more alerts lie before the page');

        const empty = await alerts.list({ limit: 0 });
        assert.deepEqual(empty.data, []);
        assert.equal(empty.has_more, true);
      });

      test('negative amounts, bad recipients and wrong enums are 400s naming the parameter, changing nothing', async () => {
        const { alerts } = await level.open();
        const alert = await alerts.create(body(500));
        const refusals: [SpendAlertCreateParams, string, string][] = [
          [body(-1), 'threshold_amount', 'integer_below_min_value'],
          [{ ...body(1), currency: 'EUR' as never }, 'currency', 'invalid_value'],
          [{ ...body(1), interval: 'year' as never }, 'interval', 'invalid_value'],
          [{ ...body(1), notification_channel: { type: 'sms' as never, recipients: ['a@example.com'] } }, 'notification_channel.type', 'invalid_value'],
          [body(1, ['not-an-address']), 'notification_channel.recipients[0]', 'invalid_value'],
        ];
        for (const [bad, param, code] of refusals) {
          await assertRefused(alerts.create(bad), { status: 400, param, code });
          await assertRefused(alerts.update(alert.id, bad), { status: 400, param, code });
        }
        await assertRefused(alerts.list({ limit: 101 }), { status: 400, param: 'limit' });
        await assertRefused(alerts.list({ order: 'up' as never }), { status: 400, param: 'order', code: 'invalid_value' });
        assert.equal((await alerts.retrieve(alert.id)).threshold_amount, 500);
        const page = await alerts.list({ limit: 100 });
        assert.deepEqual(page.data.map((a) => a.id), [alert.id]);
      });
    });
  }

  test("an alert is found only at its own level: a project's alert is a 404 for the organization and other projects", async () => {
    const projectA = await createProject(client, 'Alerts A');
    const projectB = await createProject(client, 'Alerts B');
    const alert = await projectAlerts(projectA).create(body(1));
    await assertRefused(organizationAlerts().retrieve(alert.id), { status: 404 });
    await assertRefused(projectAlerts(projectB).retrieve(alert.id), { status: 404 });
    await assertRefused(projectAlerts(projectB).delete(alert.id), { status: 404 });
    assert.equal((await projectAlerts(projectA).retrieve(alert.id)).id, alert.id);
  });

  test('an archived project lists its alerts and refuses every change', async () => {
    const projectId = await createProject(client, 'Alerts archived');
    const alerts = projectAlerts(projectId);
    const alert = await alerts.create(body(10));
    await client.admin.organization.projects.archive(projectId);
    assert.deepEqual((await alerts.list()).data.map((a) => a.id), [alert.id]);
    for (const call of [() => alerts.create(body(20)), () => alerts.update(alert.id, body(30)), () => alerts.delete(alert.id)]) {
      await assertRefused(call(), { status: 400, param: 'project_id', code: 'project_archived' });
    }
    assert.equal((await alerts.retrieve(alert.id)).threshold_amount, 10);
  });
});
