import { describe, expect, it } from 'vitest';
import type { Tally } from '../src/server.js';
import { API_KEY, API_TARGETS, openTestTallyWithBatch, useApiTarget } from './helpers.js';

// Experiments end to end through the API, in-process and against `tally start`: a flag, an
// experiment on it, exposures and metric events through /batch/, the results. Events are dated
// relative to the real now, which the running experiment's results are computed up to.

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.now();
const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();

function event(name: string, tenant: number, msAgo: number, properties = {}) {
  return {
    event: name,
    distinct_id: `user-${tenant}`,
    timestamp: at(msAgo),
    properties: { $groups: { tenant: `tenant-${tenant}` }, ...properties },
  };
}
const exposure = (tenant: number, variant: string, msAgo: number) =>
  event('$feature_flag_called', tenant, msAgo, {
    $feature_flag: 'new-ticket-form',
    $feature_flag_response: variant,
  });

/** Tenants 0-1 control, 2-3 test, 4 both; tickets per tenant after exposure: 2, 0, 1, 3. */
const BATCH = [
  exposure(0, 'control', 2 * DAY),
  exposure(1, 'control', 2 * DAY),
  exposure(2, 'test', 2 * DAY),
  exposure(3, 'test', 2 * DAY),
  exposure(4, 'test', 2 * DAY),
  exposure(4, 'control', DAY),
  event('ticket_created', 0, 2 * DAY + HOUR), // before its exposure
  event('ticket_created', 0, DAY),
  event('ticket_created', 0, HOUR),
  event('ticket_created', 2, DAY),
  ...[1, 2, 3].map((h) => event('ticket_created', 3, h * HOUR)),
  event('ticket_created', 4, HOUR),
];

async function prepare(): Promise<Tally & { dataDir: string }> {
  const tally = await openTestTallyWithBatch(BATCH);
  await tally.store.metadata.createProject({ name: 'other', token: 'phc_other_project_0002' });
  return tally;
}

const VARIANTS = [
  { key: 'control', rollout_percentage: 50 },
  { key: 'test', rollout_percentage: 50 },
];

describe.each(API_TARGETS)('experiments API (%s)', (name) => {
  const target = useApiTarget(name, prepare);

  async function call(method: string, path: string, body?: unknown) {
    const response = await target().fetch(`${target().base}/api/projects${path}`, {
      method,
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: the tests read the answers by their shape
    return { status: response.status, json: (text === '' ? {} : JSON.parse(text)) as any };
  }

  it('creates, starts, reads results of and stops an experiment', async () => {
    const flag = await call('POST', '/1/feature_flags', {
      key: 'new-ticket-form',
      filters: {
        groups: [{ properties: [], rollout_percentage: 100 }],
        multivariate: { variants: VARIANTS },
      },
    });
    expect(flag.status).toBe(201);
    const created = await call('POST', '/1/experiments', {
      name: 'New ticket form',
      feature_flag_key: 'new-ticket-form',
      metrics: [
        { kind: 'count', event: 'ticket_created' },
        { kind: 'proportion', event: 'ticket_created' },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: 'New ticket form',
      description: '',
      feature_flag_key: 'new-ticket-form',
      status: 'draft',
      start_date: null,
      end_date: null,
      parameters: {
        feature_flag_variants: VARIANTS,
        minimum_exposed_units: 100,
        engine: 'bayesian',
      },
    });
    const id = created.json.id as number;
    const draft = await call('GET', `/1/experiments/${id}/results`);
    expect([draft.status, draft.json.code, draft.json.attr]).toEqual([
      409,
      'not_started',
      'start_date',
    ]);

    const started = await call('PATCH', `/1/experiments/${id}`, { start_date: at(3 * DAY) });
    expect(started.json).toMatchObject({ status: 'running', start_date: at(3 * DAY) });
    const locked = await call('PATCH', `/1/experiments/${id}`, { metrics: [] });
    expect([locked.status, locked.json.code]).toEqual([409, 'already_started']);

    const results = await call('GET', `/1/experiments/${id}/results`);
    expect(results.status).toBe(200);
    expect(results.json).toMatchObject({
      experiment_id: id,
      status: 'running',
      exposures: { control: 2, test: 2, $multiple: 1 },
      control: 'control',
      srm: { chiSquare: 0, df: 1, pValue: 1, warn: false, expected: { control: 2, test: 2 } },
      minimum_sample: { minimum_exposed_units: 100, enough: false },
    });
    const [count, proportion] = results.json.metrics;
    expect(count.variants).toEqual([
      { key: 'control', stats: { kind: 'mean', n: 2, sum: 2, sumSq: 4 }, value: 1 },
      { key: 'test', stats: { kind: 'mean', n: 2, sum: 4, sumSq: 10 }, value: 2 },
    ]);
    expect(count.comparisons).toHaveLength(1);
    expect(count.comparisons[0]).toMatchObject({
      variant: 'test',
      effect: { estimate: 1 },
      verdict: { status: 'not_enough_data', shortfall: 'exposed_units' },
    });
    expect(count.comparisons[0].frequentist.pValue).toBeGreaterThan(0);
    expect(count.comparisons[0].bayesian.chanceToWin).toBeGreaterThan(0.5);
    expect(proportion.variants.map((v: { stats: unknown }) => v.stats)).toEqual([
      { kind: 'proportion', n: 2, s: 1 },
      { kind: 'proportion', n: 2, s: 2 },
    ]);

    const backwards = await call('PATCH', `/1/experiments/${id}`, { end_date: at(4 * DAY) });
    expect([backwards.status, backwards.json.attr]).toEqual([400, 'end_date']);
    const stopped = await call('PATCH', `/1/experiments/${id}`, { end_date: at(90 * 60_000) });
    expect(stopped.json).toMatchObject({ status: 'complete', end_date: at(90 * 60_000) });
    // Tenant 3's ticket an hour ago and tenant 0's are after the end now.
    const final = await call('GET', `/1/experiments/${id}/results`);
    expect(final.json.metrics[0].variants.map((v: { stats: unknown }) => v.stats)).toEqual([
      { kind: 'mean', n: 2, sum: 1, sumSq: 1 },
      { kind: 'mean', n: 2, sum: 3, sumSq: 5 },
    ]);

    const list = await call('GET', '/1/experiments');
    expect(list.json.results.map((e: { id: number }) => e.id)).toEqual([id]);
    expect((await call('GET', `/2/experiments/${id}`)).status).toBe(404);
    expect((await call('GET', `/2/experiments/${id}/results`)).status).toBe(404);
    expect((await call('GET', '/2/experiments')).json.results).toEqual([]);
  });

  it('answers 400 naming the field for a bad definition', async () => {
    await call('POST', '/1/feature_flags', {
      key: 'plain',
      filters: { groups: [{ properties: [], rollout_percentage: 50 }] },
    });
    const cases: Array<[unknown, string]> = [
      [{ feature_flag_key: 'new-ticket-form', metrics: [] }, 'name'],
      [{ name: 'x', feature_flag_key: 'new-ticket-form', metrics: [] }, 'metrics'],
      [
        { name: 'x', feature_flag_key: 'new-ticket-form', metrics: [{ kind: 'mean', event: 'e' }] },
        'metrics[0].property',
      ],
      [
        {
          name: 'x',
          feature_flag_key: 'new-ticket-form',
          metrics: [{ kind: 'funnel', steps: ['a'] }],
        },
        'metrics[0].steps',
      ],
      [
        { name: 'x', feature_flag_key: 'nope', metrics: [{ kind: 'count', event: 'e' }] },
        'feature_flag_key',
      ],
      [
        { name: 'x', feature_flag_key: 'plain', metrics: [{ kind: 'count', event: 'e' }] },
        'feature_flag_key',
      ],
      [
        {
          name: 'x',
          feature_flag_key: 'new-ticket-form',
          parameters: { feature_flag_variants: [{ key: 'control' }, { key: 'other' }] },
          metrics: [{ kind: 'count', event: 'e' }],
        },
        'parameters.feature_flag_variants',
      ],
      [
        {
          name: 'x',
          feature_flag_key: 'new-ticket-form',
          parameters: { engine: 'magic' },
          metrics: [{ kind: 'count', event: 'e' }],
        },
        'parameters.engine',
      ],
    ];
    for (const [body, attr] of cases) {
      const response = await call('POST', '/1/experiments', body);
      expect([response.status, response.json.attr]).toEqual([400, attr]);
    }
  });

  it('edits a draft: metrics, and weights re-bound to the flag', async () => {
    const draft = await call('POST', '/1/experiments', {
      name: 'Draft',
      feature_flag_key: 'new-ticket-form',
      metrics: [{ kind: 'count', event: 'ticket_created' }],
    });
    const path = `/1/experiments/${draft.json.id}`;
    const edited = await call('PATCH', path, {
      description: 'weights 30/70',
      metrics: [{ kind: 'mean', event: 'time_entry_created', property: 'duration_ms' }],
      parameters: {
        feature_flag_variants: [
          { key: 'test', rollout_percentage: 70 },
          { key: 'control', rollout_percentage: 30 },
        ],
      },
    });
    expect(edited.status).toBe(200);
    expect(edited.json).toMatchObject({
      description: 'weights 30/70',
      metrics: [{ kind: 'mean', property: 'duration_ms', lower_is_better: false }],
      parameters: {
        feature_flag_variants: [
          { key: 'control', rollout_percentage: 30 },
          { key: 'test', rollout_percentage: 70 },
        ],
      },
    });
    const bad = await call('PATCH', path, { metrics: [{ kind: 'count' }] });
    expect([bad.status, bad.json.attr]).toEqual([400, 'metrics[0].event']);
  });
});
