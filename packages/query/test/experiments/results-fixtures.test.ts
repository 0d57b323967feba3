import { describe, expect, it } from 'vitest';
import {
  type ExperimentResults,
  flagBinding,
  parseExperimentDefinition,
  resolveVariants,
  runExperimentResults,
} from '../../src/index.js';
import { DAY_MS, ev, HOUR_MS, MONDAY, makeDataset } from '../reference/fixtures.js';
import { useLoadedDatasets } from '../seed-cases.js';

// Hand-computed experiment statistics: a handful of tenants and persons with known exposures
// and events -> the exact sufficient statistics of every metric kind. The experiment runs from
// Monday 4 March 2024 (Berlin midnight) for 7 days.

const day = (n: number, hour = 10): number => MONDAY + n * DAY_MS + hour * HOUR_MS;
const exposure = (
  person: string | null,
  tenant: string | null,
  variant: string | boolean,
  at: number,
  flag = 'form',
) =>
  ev(
    person,
    '$feature_flag_called',
    at,
    { $feature_flag: flag, $feature_flag_response: variant },
    tenant,
  );
const created = (person: string, tenant: string, at: number) =>
  ev(person, 'ticket_created', at, {}, tenant);
const resolved = (person: string, tenant: string, at: number, minutes: unknown) =>
  ev(person, 'ticket_resolved', at, { minutes }, tenant);

const data = makeDataset([
  // tA, control: exposed Monday 10:00 (p2's later exposure changes nothing); the 09:00 ticket
  // is before the exposure.
  exposure('p1', 'tA', 'control', day(0)),
  exposure('p2', 'tA', 'control', day(1)),
  created('p1', 'tA', day(0, 9)),
  created('p1', 'tA', day(0, 11)),
  created('p1', 'tA', day(2)),
  created('p2', 'tA', day(3)),
  resolved('p1', 'tA', day(1), 10),
  resolved('p1', 'tA', day(2, 11), 20),
  // tB, test: resolved 25 h after its ticket; a text `minutes` is not a number.
  exposure('p3', 'tB', 'test', day(1)),
  created('p3', 'tB', day(1, 12)),
  resolved('p3', 'tB', day(2, 13), 5),
  resolved('p3', 'tB', day(3), 'abc'),
  // tC saw both variants: `$multiple`, excluded from the metrics.
  exposure('p4', 'tC', 'test', day(0)),
  exposure('p4', 'tC', 'control', day(2)),
  created('p4', 'tC', day(3)),
  // tD, control: its exposure before the start does not count; the one on Thursday does.
  exposure('p5', 'tD', 'control', MONDAY - DAY_MS),
  exposure('p5', 'tD', 'control', day(3)),
  created('p5', 'tD', MONDAY - 2 * DAY_MS),
  created('p5', 'tD', day(2)),
  created('p5', 'tD', day(4)),
  // tE, test: exposed, no events: zeros that count.
  exposure('p6', 'tE', 'test', day(2)),
  // Not exposures: after the end, a `false` response, another flag, no tenant.
  exposure('p7', 'tF', 'test', day(8)),
  exposure('p8', 'tG', false, day(1)),
  exposure('p9', 'tH', 'test', day(1), 'other-flag'),
  exposure('p10', null, 'test', day(1)),
  // The person-bucketed flag: p1 control, p3 test, a personless exposure that is nobody.
  exposure('p1', 'tA', 'control', day(0), 'per-user'),
  exposure('p3', 'tB', 'test', day(0), 'per-user'),
  exposure(null, null, 'control', day(0), 'per-user'),
]);

const db = useLoadedDatasets([data]);

const MULTIVARIATE = {
  groups: [{ properties: [], rollout_percentage: 100 }],
  multivariate: {
    variants: [
      { key: 'control', rollout_percentage: 50 },
      { key: 'test', rollout_percentage: 50 },
    ],
  },
};

async function results(
  metrics: unknown[],
  options: { flag?: string; byPerson?: boolean; cuped?: boolean } = {},
): Promise<ExperimentResults> {
  const definition = parseExperimentDefinition({
    name: 'x',
    feature_flag_key: options.flag ?? 'form',
    parameters: { cuped: options.cuped ?? false },
    metrics,
  });
  const flag = flagBinding({
    ...MULTIVARIATE,
    aggregation_group_type_index: options.byPerson === true ? null : 0,
  });
  return runExperimentResults({
    projectId: 1,
    flagKey: definition.feature_flag_key,
    flag,
    variants: resolveVariants(definition.parameters, flag),
    parameters: definition.parameters,
    metrics: definition.metrics,
    startMs: MONDAY,
    endMs: MONDAY + 7 * DAY_MS,
    runner: db().runner,
  });
}

const statsOf = (r: ExperimentResults, metric = 0) =>
  r.metrics[metric]?.variants.map((v) => [v.key, v.stats]);

describe('experiment results on hand-computed fixtures', () => {
  it('counts exposed tenants per variant, `$multiple` apart, exposures in range only', async () => {
    const r = await results([{ kind: 'count', event: 'ticket_created' }]);
    expect(r.exposures).toEqual({ control: 2, test: 2, $multiple: 1 });
    expect(r.control).toBe('control');
    expect(r.srm).toMatchObject({ chiSquare: 0, df: 1, pValue: 1, warn: false });
    expect(r.minimum_sample).toEqual({
      minimum_exposed_units: 100,
      enough: false,
      variants_below: ['control', 'test'],
    });
  });

  it('proportion, count and mean per tenant: events after the exposure, zeros included', async () => {
    const r = await results([
      { kind: 'proportion', event: 'ticket_created' },
      { kind: 'count', event: 'ticket_created' },
      { kind: 'mean', event: 'ticket_resolved', property: 'minutes' },
      {
        kind: 'proportion',
        event: 'ticket_resolved',
        properties: [{ key: 'minutes', type: 'event', operator: 'gt', value: 15 }],
      },
    ]);
    expect(statsOf(r, 0)).toEqual([
      ['control', { kind: 'proportion', n: 2, s: 2 }],
      ['test', { kind: 'proportion', n: 2, s: 1 }],
    ]);
    // tA 3 tickets (not the 09:00 one), tD 1 (not the two before its exposure); tB 1, tE 0.
    expect(statsOf(r, 1)).toEqual([
      ['control', { kind: 'mean', n: 2, sum: 4, sumSq: 10 }],
      ['test', { kind: 'mean', n: 2, sum: 1, sumSq: 1 }],
    ]);
    // Per tenant, the sum of `minutes` (tA 10 + 20, tD 0; tB 5, tE 0), averaged over tenants.
    expect(statsOf(r, 2)).toEqual([
      ['control', { kind: 'mean', n: 2, sum: 30, sumSq: 900 }],
      ['test', { kind: 'mean', n: 2, sum: 5, sumSq: 25 }],
    ]);
    expect(statsOf(r, 3)).toEqual([
      ['control', { kind: 'proportion', n: 2, s: 1 }],
      ['test', { kind: 'proportion', n: 2, s: 0 }],
    ]);
    expect(r.metrics[1]?.variants.map((v) => v.value)).toEqual([2, 0.5]);
    expect(r.metrics[1]?.comparisons[0]).toMatchObject({
      variant: 'test',
      verdict: { status: 'not_enough_data', variant: 'control', shortfall: 'exposed_units' },
    });
    expect(r.metrics[1]?.comparisons[0]?.effect?.estimate).toBeCloseTo(-0.75, 12);
  });

  it('ratio: per-tenant counts (or property sums) of numerator and denominator', async () => {
    const r = await results([
      {
        kind: 'ratio',
        numerator: { event: 'ticket_resolved' },
        denominator: { event: 'ticket_created' },
      },
      {
        kind: 'ratio',
        numerator: { event: 'ticket_resolved', property: 'minutes' },
        denominator: { event: 'ticket_resolved' },
      },
    ]);
    // control: tA (M 2, D 3), tD (0, 1); test: tB (2, 1), tE (0, 0).
    expect(statsOf(r, 0)).toEqual([
      ['control', { kind: 'ratio', n: 2, sumM: 2, sumD: 4, sumM2: 4, sumD2: 10, sumMD: 6 }],
      ['test', { kind: 'ratio', n: 2, sumM: 2, sumD: 1, sumM2: 4, sumD2: 1, sumMD: 2 }],
    ]);
    // Minutes per resolution: tA (30, 2), tD (0, 0); tB (5, 2), tE (0, 0).
    expect(statsOf(r, 1)).toEqual([
      ['control', { kind: 'ratio', n: 2, sumM: 30, sumD: 2, sumM2: 900, sumD2: 4, sumMD: 60 }],
      ['test', { kind: 'ratio', n: 2, sumM: 5, sumD: 2, sumM2: 25, sumD2: 4, sumMD: 10 }],
    ]);
    expect(r.metrics[1]?.variants.map((v) => v.value)).toEqual([15, 2.5]);
  });

  it('funnel: every step in order after the exposure, within the window from the first', async () => {
    const oneDay = await results([
      { kind: 'funnel', steps: ['ticket_created', 'ticket_resolved'], conversion_window_days: 1 },
    ]);
    // tA resolves 23 h after its 11:00 ticket; tB 25 h after its ticket.
    expect(statsOf(oneDay)).toEqual([
      ['control', { kind: 'proportion', n: 2, s: 1 }],
      ['test', { kind: 'proportion', n: 2, s: 0 }],
    ]);
    const twoDays = await results([
      { kind: 'funnel', steps: ['ticket_created', 'ticket_resolved'], conversion_window_days: 2 },
      { kind: 'funnel', steps: ['ticket_resolved', 'ticket_created'] },
    ]);
    expect(statsOf(twoDays, 0)).toEqual([
      ['control', { kind: 'proportion', n: 2, s: 1 }],
      ['test', { kind: 'proportion', n: 2, s: 1 }],
    ]);
    // tA: resolved Tuesday, a ticket Wednesday; tB creates nothing after resolving.
    expect(statsOf(twoDays, 1)).toEqual([
      ['control', { kind: 'proportion', n: 2, s: 1 }],
      ['test', { kind: 'proportion', n: 2, s: 0 }],
    ]);
  });

  it('CUPED: the covariate is the same metric over the 14 days before each exposure', async () => {
    const r = await results([{ kind: 'count', event: 'ticket_created' }], { cuped: true });
    // x: tA 1 (09:00), tD 2 (Saturday before the start, Wednesday); y as without CUPED.
    expect(statsOf(r)).toEqual([
      [
        'control',
        { kind: 'mean', n: 2, sum: 4, sumSq: 10, covariate: { sumX: 3, sumX2: 5, sumXY: 5 } },
      ],
      [
        'test',
        { kind: 'mean', n: 2, sum: 1, sumSq: 1, covariate: { sumX: 0, sumX2: 0, sumXY: 0 } },
      ],
    ]);
  });

  it('counts persons for a person-bucketed flag; personless exposures are nobody', async () => {
    const r = await results([{ kind: 'count', event: 'ticket_created' }], {
      flag: 'per-user',
      byPerson: true,
    });
    expect(r.exposures).toEqual({ control: 1, test: 1, $multiple: 0 });
    expect(statsOf(r)).toEqual([
      ['control', { kind: 'mean', n: 1, sum: 2, sumSq: 4 }],
      ['test', { kind: 'mean', n: 1, sum: 1, sumSq: 1 }],
    ]);
  });
});
