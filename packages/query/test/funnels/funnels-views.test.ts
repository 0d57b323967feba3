import { describe, expect, it } from 'vitest';
import type { FunnelTrendsResult, TimeToConvertResult } from '../../src/funnels/shape.js';
import { runQuery } from '../../src/index.js';
import { generateDataset, mulberry32 } from '../dataset.js';
import { evaluateFunnelTrends, evaluateTimeToConvert } from '../reference/funnel-time.js';
import { seedCases, useLoadedCases } from '../seed-cases.js';
import { TIMEZONES } from '../trends/random-queries.js';
import { randomFunnel, toFunnelTrends } from './random-funnels.js';

// Time to convert and funnel trends (§2.2) against test/reference/funnel-time.ts: 50 seeds, random
// funnels of every order, with exclusions and held properties. A failure names seed and query.

const NOW = Date.parse('2024-06-01T12:00:00Z');
const ORDERS = ['ordered', 'strict', 'unordered'] as const;

const cases = seedCases({ count: 50, firstSeed: 101 }, (seed) => {
  const timezone = TIMEZONES[seed % TIMEZONES.length] as string;
  return {
    timezone,
    dataset: generateDataset(seed, { timezone, events: 1500 + ((seed * 137) % 2000) }),
  };
});

const db = useLoadedCases(cases);

const round = (n: number | null): number | null => (n === null ? null : Number(n.toPrecision(9)));

describe('funnel views: SQL engine equals the reference evaluator', () => {
  it.each(cases)('seed $seed ($timezone): time to convert', async (c) => {
    const rng = mulberry32(c.seed * 31);
    for (let q = 0; q < 3; q++) {
      const { query, spec } = randomFunnel(rng, c.timezone, {
        orders: ORDERS,
        exclusions: true,
        holdConstant: rng() < 0.3,
      });
      const n = spec.steps.length;
      const fromStep = Math.floor(rng() * (n - 1));
      const toStep = fromStep + 1 + Math.floor(rng() * (n - 1 - fromStep));
      const binCount = 1 + Math.floor(rng() * 12);
      const filter = query.funnelsFilter as Record<string, unknown>;
      Object.assign(filter, {
        funnelVizType: 'time_to_convert',
        funnelFromStep: fromStep,
        funnelToStep: toStep,
        binCount,
      });
      const engine = await runQuery(query, {
        projectId: c.projectId,
        timezone: c.timezone,
        now: NOW,
        runner: db().runner,
      });
      const results = engine.results as TimeToConvertResult;
      const reference = evaluateTimeToConvert(c.dataset, spec, { fromStep, toStep, binCount });
      expect(
        {
          average: round(results.average_conversion_time),
          median: round(results.median_conversion_time),
          bins: results.bins,
        },
        `seed ${c.seed} query ${q}: ${JSON.stringify(query)}`,
      ).toEqual({
        average: reference.averageMs === null ? null : round(reference.averageMs / 1000),
        median: reference.medianMs === null ? null : round(reference.medianMs / 1000),
        bins: reference.bins.map((b) => [b.fromMs / 1000, b.count]),
      });
    }
  });

  it.each(cases)('seed $seed ($timezone): funnel trends', async (c) => {
    const rng = mulberry32(c.seed * 37);
    for (let q = 0; q < 3; q++) {
      const { query, spec } = randomFunnel(rng, c.timezone, {
        orders: ORDERS,
        exclusions: true,
        holdConstant: rng() < 0.3,
      });
      const { interval, toStep } = toFunnelTrends(rng, q, c.timezone, { query, spec });
      const engine = await runQuery(query, {
        projectId: c.projectId,
        timezone: c.timezone,
        now: NOW,
        runner: db().runner,
      });
      const [results] = engine.results as FunnelTrendsResult[];
      const reference = evaluateFunnelTrends(c.dataset, spec, {
        interval,
        timezone: c.timezone,
        weekStart: 1,
        toStep,
      });
      expect(
        results?.data.map(round),
        `seed ${c.seed} query ${q}: ${JSON.stringify(query)}`,
      ).toEqual(reference.map((p) => round(p.conversionRate * 100)));
    }
  });
});
