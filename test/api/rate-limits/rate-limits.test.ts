import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type OpenAI from 'openai';
import { defaultModelCatalogue, loadModelCatalogue } from '../../../src/api/rate-limits/catalogue.ts';
import { createProject } from '../../support/fixtures.ts';
import { TestRoster } from '../../support/roster.ts';
import { assertRefused } from '../projects/refusals.ts';

describe('project rate limits', () => {
  let roster: TestRoster;
  let client: OpenAI;
  const rateLimits = () => client.admin.organization.projects.rateLimits;

  before(async () => {
    roster = await TestRoster.start();
    client = roster.client();
  });
  after(() => roster.close());

  async function allLimits(projectId: string) {
    const limits = [];
    for await (const limit of rateLimits().listRateLimits(projectId, { limit: 7 })) limits.push(limit);
    return limits;
  }

  test("a project has one limit per catalogued model, at the catalogue's defaults, paged with both cursors", async () => {
    const projectId = await createProject(client, 'Limited');
    const catalogue = defaultModelCatalogue();
    const limits = await allLimits(projectId);
    assert.equal(limits.length, catalogue.size);
    const ids = limits.map((limit) => limit.id);
    assert.deepEqual(ids, [...ids].sort(), 'ordered by id');
    for (const limit of limits) {
      assert.equal(limit.id, `rl_${limit.model}`);
      assert.deepEqual(limit, { object: 'project.rate_limit', id: limit.id, model: limit.model, ...catalogue.get(limit.model) });
    }
    const first = await rateLimits().listRateLimits(projectId, { limit: 3 });
    assert.deepEqual(first.data.map((l) => l.id), ids.slice(0, 3));
    assert.equal(first.has_more, true);
    const next = await rateLimits().listRateLimits(projectId, { limit: 3, after: first.last_id! });
    assert.deepEqual(next.data.map((l) => l.id), ids.slice(3, 6));
    const back = await rateLimits().listRateLimits(projectId, { limit: 3, before: next.data[0]!.id });
    assert.deepEqual(back.data.map((l) => l.id), ids.slice(0, 3));
    assert.equal(back.has_more, false);
  });

  test('an update changes only the named limits of that model in that project, audited as rate_limit.updated', async () => {
    const projectId = await createProject(client, 'Tuned');
    const other = await createProject(client, 'Untouched');
    const defaults = defaultModelCatalogue().get('gpt-4o-mini')!;
    const updated = await rateLimits().updateRateLimit('rl_gpt-4o-mini', { project_id: projectId, max_requests_per_1_minute: 42, max_requests_per_1_day: 900 });
    assert.deepEqual(updated, { object: 'project.rate_limit', id: 'rl_gpt-4o-mini', model: 'gpt-4o-mini', ...defaults, max_requests_per_1_minute: 42, max_requests_per_1_day: 900 });
    assert.deepEqual((await allLimits(projectId)).find((l) => l.model === 'gpt-4o-mini'), updated);
    assert.deepEqual((await allLimits(other)).find((l) => l.model === 'gpt-4o-mini'), { object: 'project.rate_limit', id: 'rl_gpt-4o-mini', model: 'gpt-4o-mini', ...defaults });

    // The same values again record nothing; a later change keeps the earlier one.
    await rateLimits().updateRateLimit('rl_gpt-4o-mini', { project_id: projectId, max_requests_per_1_minute: 42 });
    const later = await rateLimits().updateRateLimit('rl_gpt-4o-mini', { project_id: projectId, max_tokens_per_1_minute: 1000 });
    assert.equal(later.max_requests_per_1_minute, 42);
    assert.equal(later.max_tokens_per_1_minute, 1000);
    const events = (await roster.auditEvents('rate_limit.updated')).filter((e) => e.project_id === projectId);
    assert.deepEqual(
      events.map((e) => e.details),
      [
        { id: 'rl_gpt-4o-mini', changes_requested: { max_requests_per_1_minute: 42, max_requests_per_1_day: 900 } },
        { id: 'rl_gpt-4o-mini', changes_requested: { max_tokens_per_1_minute: 1000 } },
      ],
    );
  });

  test('limits are positive integers, only those the model has, of models the catalogue knows; refusals change nothing', async () => {
    const projectId = await createProject(client, 'Refusing');
    const before = await allLimits(projectId);
    const update = (id: string, body: Record<string, unknown>) => rateLimits().updateRateLimit(id, { project_id: projectId, ...body });
    await assertRefused(update('rl_gpt-4.1', { max_requests_per_1_minute: 0 }), { status: 400, param: 'max_requests_per_1_minute', code: 'integer_below_min_value' });
    await assertRefused(update('rl_gpt-4.1', { max_tokens_per_1_minute: -10 }), { status: 400, param: 'max_tokens_per_1_minute', code: 'integer_below_min_value' });
    await assertRefused(update('rl_gpt-4.1', { max_tokens_per_1_minute: 2.5 }), { status: 400, param: 'max_tokens_per_1_minute', code: 'invalid_type' });
    await assertRefused(update('rl_gpt-4.1', { max_images_per_1_minute: 5 }), { status: 400, param: 'max_images_per_1_minute', code: 'unsupported_parameter' });
    await assertRefused(update('rl_gpt-4.1', { max_parrots_per_1_minute: 5 }), { status: 400, param: 'max_parrots_per_1_minute', code: 'unknown_parameter' });
    await assertRefused(update('rl_gpt-imaginary', { max_requests_per_1_minute: 5 }), { status: 404, param: 'rate_limit_id' });
    await assertRefused(update('gpt-4.1', { max_requests_per_1_minute: 5 }), { status: 404, param: 'rate_limit_id' });
    assert.deepEqual(await allLimits(projectId), before);
    await assertRefused(rateLimits().listRateLimits(projectId, { limit: 101 }), { status: 400, param: 'limit' });
  });

  test('an archived project lists its limits and refuses changes', async () => {
    const projectId = await createProject(client, 'Archived limits', { archived: true });
    assert.ok((await allLimits(projectId)).length > 0);
    await assertRefused(rateLimits().updateRateLimit('rl_gpt-4.1', { project_id: projectId, max_requests_per_1_minute: 5 }), {
      status: 400,
      param: 'project_id',
      code: 'project_archived',
    });
    await assertRefused(rateLimits().listRateLimits('proj_missing'), { status: 404, param: 'project_id' });
  });

  test('a catalogue given by configuration replaces the shipped one', async () => {
    const file = join(roster.testStore.workDir, 'models.json');
    writeFileSync(file, JSON.stringify({ models: [{ model: 'house-model', max_requests_per_1_minute: 7, max_tokens_per_1_minute: 70, max_images_per_1_minute: 1 }] }));
    const custom = await TestRoster.start({ modelCatalogue: loadModelCatalogue(file) });
    try {
      const sdk = custom.client();
      const projectId = await createProject(sdk, 'House');
      const page = await sdk.admin.organization.projects.rateLimits.listRateLimits(projectId);
      assert.deepEqual(page.data, [
        { object: 'project.rate_limit', id: 'rl_house-model', model: 'house-model', max_requests_per_1_minute: 7, max_tokens_per_1_minute: 70, max_images_per_1_minute: 1 },
      ]);
      assert.equal((await sdk.admin.organization.projects.rateLimits.updateRateLimit('rl_house-model', { project_id: projectId, max_images_per_1_minute: 2 })).max_images_per_1_minute, 2);
      await assertRefused(sdk.admin.organization.projects.rateLimits.updateRateLimit('rl_gpt-4.1', { project_id: projectId, max_requests_per_1_minute: 2 }), { status: 404 });
    } finally {
      await custom.close();
    }
  });

  test('a catalogue file that is not well formed is refused, naming the entry at fault', () => {
    const cases: [unknown, RegExp][] = [
      [{ models: [] }, /at least one model/],
      [{ models: [{ model: 'a', max_requests_per_1_minute: 1 }] }, /models\[0\] has no max_tokens_per_1_minute/],
      [{ models: [{ model: 'a', max_requests_per_1_minute: 1, max_tokens_per_1_minute: 0 }] }, /models\[0\]\.max_tokens_per_1_minute must be a positive integer/],
      [{ models: [{ model: 'a', max_requests_per_1_minute: 1, max_tokens_per_1_minute: 1, max_naps: 1 }] }, /max_naps is not a rate limit/],
      [{ models: [{ model: 'a', max_requests_per_1_minute: 1, max_tokens_per_1_minute: 1 }, { model: 'a', max_requests_per_1_minute: 1, max_tokens_per_1_minute: 1 }] }, /listed twice/],
    ];
    for (const [document, message] of cases) {
      const file = join(roster.testStore.workDir, 'bad-models.json');
      writeFileSync(file, JSON.stringify(document));
      assert.throws(() => loadModelCatalogue(file), message);
    }
  });
});
