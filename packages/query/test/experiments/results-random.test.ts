import { describe, expect, it } from 'vitest';
import {
  type ExperimentResults,
  flagBinding,
  parseExperimentDefinition,
  resolveVariants,
  runExperimentResults,
} from '../../src/index.js';
import { generateDataset, mulberry32 } from '../dataset.js';
import { seedCases, useLoadedCases } from '../seed-cases.js';
import {
  FLAG,
  type ReferenceInput,
  referenceStats,
  withExposures,
} from './reference-experiment.js';

// The DuckDB sufficient statistics of every metric kind against the brute-force reference on
// generated data: 24 seeds, each its own project, by tenant and by person, CUPED on.

const DAY_MS = 86_400_000;
const VARIANTS = ['control', 'test', 'b'];
const FLAG_FILTERS = {
  groups: [{ properties: [], rollout_percentage: 100 }],
  multivariate: { variants: VARIANTS.map((key) => ({ key, rollout_percentage: 100 / 3 })) },
};
const METRICS = [
  { kind: 'proportion', event: 'ticket_created' },
  {
    kind: 'proportion',
    event: 'feature_used',
    properties: [{ key: 'feature', type: 'event', operator: 'exact', value: 'sla_timer' }],
  },
  { kind: 'count', event: 'ticket_resolved' },
  { kind: 'mean', event: 'time_entry_created', property: 'duration_ms' },
  {
    kind: 'ratio',
    numerator: { event: 'ticket_resolved' },
    denominator: { event: 'ticket_created' },
  },
  {
    kind: 'ratio',
    numerator: { event: 'time_entry_created', property: 'duration_ms' },
    denominator: { event: 'time_entry_created' },
  },
  {
    kind: 'funnel',
    steps: ['ticket_created', 'ticket_assigned', 'ticket_resolved'],
    conversion_window_days: 3,
  },
];

const cases = seedCases({ count: 24 }, (seed) => {
  const rng = mulberry32(seed * 7919 + 3);
  const base = generateDataset(seed + 900, {
    events: 1500 + ((seed * 331) % 1500),
    persons: 20 + (seed % 30),
    tenants: 4 + (seed % 9),
  });
  const first = Math.min(...base.events.map((e) => e.timestampMs));
  const startMs = first + (5 + (seed % 10)) * DAY_MS + (seed % 7) * 3_600_000;
  const endMs = startMs + (20 + (seed % 25)) * DAY_MS;
  const input = { startMs, endMs, variants: VARIANTS, cuped: true };
  return { input, dataset: withExposures(base, rng, { ...input, unit: 'tenant' }) };
});
const db = useLoadedCases(cases);

/** The engine's per-variant sums, named as the reference names them. */
function engineSums(
  results: ExperimentResults,
  metric: number,
): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  for (const v of results.metrics[metric]?.variants ?? []) {
    if (v.stats.n === 0) continue;
    const s = v.stats;
    const sums: Record<string, number> =
      s.kind === 'proportion'
        ? { n: s.n, sum_y: s.s, sum_y2: s.s }
        : s.kind === 'mean'
          ? { n: s.n, sum_y: s.sum, sum_y2: s.sumSq }
          : {
              n: s.n,
              sum_y: s.sumM,
              sum_y2: s.sumM2,
              sum_d: s.sumD,
              sum_d2: s.sumD2,
              sum_yd: s.sumMD,
            };
    if (s.covariate !== undefined)
      Object.assign(sums, {
        sum_x: s.covariate.sumX,
        sum_x2: s.covariate.sumX2,
        sum_xy: s.covariate.sumXY,
      });
    out.set(v.key, sums);
  }
  return out;
}

function expectSums(
  actual: Map<string, Record<string, number>>,
  expected: Map<string, Record<string, number>>,
  where: string,
) {
  expect([...actual.keys()].sort(), where).toEqual([...expected.keys()].sort());
  for (const [variant, sums] of expected) {
    const got = actual.get(variant) ?? {};
    expect(Object.keys(got).sort(), `${where} ${variant}`).toEqual(Object.keys(sums).sort());
    for (const [key, value] of Object.entries(sums)) {
      const diff = Math.abs((got[key] ?? Number.NaN) - value);
      expect(
        diff <= 1e-9 * Math.max(1, Math.abs(value)),
        `${where} ${variant}.${key}: ${got[key]} vs ${value}`,
      ).toBe(true);
    }
  }
}

const seen = { units: 0, multiple: 0, converted: 0 };

describe('experiments: SQL sufficient statistics equal the brute-force reference', () => {
  it.each(cases)('seed $seed', async (c) => {
    const definition = parseExperimentDefinition({
      name: 'random',
      feature_flag_key: FLAG,
      parameters: { cuped: true },
      metrics: METRICS,
    });
    for (const unit of ['tenant', 'person'] as const) {
      const flag = flagBinding({
        ...FLAG_FILTERS,
        aggregation_group_type_index: unit === 'tenant' ? 0 : null,
      });
      const results = await runExperimentResults({
        projectId: c.projectId,
        flagKey: FLAG,
        flag,
        variants: resolveVariants(definition.parameters, flag),
        parameters: definition.parameters,
        metrics: definition.metrics,
        startMs: c.input.startMs,
        endMs: c.input.endMs,
        runner: db().runner,
      });
      const reference: ReferenceInput = { ...c.input, unit };
      definition.metrics.forEach((metric, i) => {
        const expected = referenceStats(c.dataset.events, reference, metric);
        expectSums(engineSums(results, i), expected, `${unit} metrics[${i}]`);
        if (metric.kind === 'funnel')
          seen.converted += [...expected.values()].reduce((a, s) => a + (s.sum_y ?? 0), 0);
      });
      seen.units += Object.values(results.exposures).reduce((a, b) => a + b, 0);
      seen.multiple += results.exposures.$multiple ?? 0;
    }
  });

  it('exercised the interesting cases', () => {
    // Not vacuous: units, `$multiple` units and funnel conversions all occurred.
    expect(seen.units).toBeGreaterThan(500);
    expect(seen.multiple).toBeGreaterThan(10);
    expect(seen.converted).toBeGreaterThan(10);
  });
});
