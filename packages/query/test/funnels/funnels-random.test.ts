import { describe, expect, it } from 'vitest';
import type { FunnelStepResult } from '../../src/funnels/shape.js';
import { runQuery } from '../../src/index.js';
import { generateDataset, mulberry32 } from '../dataset.js';
import { BREAKDOWN_NULL, BREAKDOWN_OTHER } from '../reference/breakdown.js';
import { evaluateFunnel, type FunnelSeries } from '../reference/funnel.js';
import { seedCases, useLoadedCases } from '../seed-cases.js';
import { TIMEZONES } from '../trends/random-queries.js';
import { type RandomFunnelOptions, randomFunnel } from './random-funnels.js';

// The SQL funnel against the brute-force reference (test/reference/funnel.ts) on generated data:
// 60 seeds, each its own project and time zone, several random funnels per seed and option set.
// A failure names the seed and the query.

const NOW = Date.parse('2024-06-01T12:00:00Z');

const cases = seedCases({ count: 60 }, (seed) => {
  const timezone = TIMEZONES[seed % TIMEZONES.length] as string;
  return {
    timezone,
    dataset: generateDataset(seed, {
      timezone,
      events: 1500 + ((seed * 137) % 2000),
      persons: 12 + (seed % 30),
      tenants: 3 + (seed % 4),
    }),
  };
});

type Case = (typeof cases)[number];
const db = useLoadedCases(cases);

const answered = { total: 0, converted: 0, combinations: 0 };

async function compare(c: Case, salt: number, options: RandomFunnelOptions, count: number) {
  const rng = mulberry32(c.seed * 7919 + salt);
  for (let q = 0; q < count; q++) {
    const { query, spec } = randomFunnel(rng, c.timezone, options);
    const engine = await runQuery(query, {
      projectId: c.projectId,
      timezone: c.timezone,
      now: NOW,
      runner: db().runner,
    });
    if (engine.kind !== 'FunnelsQuery') throw new Error('not a funnel response');
    const reference = evaluateFunnel(c.dataset, spec);
    const label = `seed ${c.seed} query ${q}: ${JSON.stringify(query)}`;
    const lists = (
      spec.breakdown === undefined ? [engine.results] : engine.results
    ) as FunnelStepResult[][];
    expect(lists.map(engineSeries), label).toEqual(reference.map(referenceSeries));
    const last = lists.map((steps) => steps.at(-1)?.count ?? 0);
    answered.total += 1;
    if (last.some((n) => n > 0)) answered.converted += 1;
    // Several breakdowns with a kept combination of values among the lines.
    if (
      lists.some(
        (steps) =>
          Array.isArray(steps[0]?.breakdown_value) && steps[0]?.breakdown_bucket === 'value',
      )
    )
      answered.combinations += 1;
  }
}

const round = (n: number | null): number | null => (n === null ? null : Number(n.toPrecision(9)));

function engineSeries(steps: FunnelStepResult[]) {
  const first = steps[0];
  const bucket = first?.breakdown_bucket;
  return {
    breakdown:
      bucket === 'none'
        ? BREAKDOWN_NULL
        : bucket === 'other'
          ? BREAKDOWN_OTHER
          : Array.isArray(first?.breakdown_value)
            ? // Several breakdowns: the reference keys a combination as its JSON list.
              JSON.stringify(first.breakdown_value.map((v) => (v === 'None' ? null : v)))
            : first?.breakdown_value,
    steps: steps.map((s) => ({
      count: s.count,
      average: round(s.average_conversion_time),
      median: round(s.median_conversion_time),
    })),
  };
}

function referenceSeries(series: FunnelSeries) {
  return {
    breakdown: series.breakdownValue,
    steps: series.steps.map((s, k) => ({
      count: s.count,
      average: k === 0 || s.meanTimeMs === null ? null : round(s.meanTimeMs / 1000),
      median: k === 0 || s.medianTimeMs === null ? null : round(s.medianTimeMs / 1000),
    })),
  };
}

describe('funnels: SQL engine equals the reference evaluator', () => {
  it.each(cases)('seed $seed ($timezone): ordered', async (c) => {
    await compare(c, 1, { orders: ['ordered'], exclusions: false }, 4);
  });

  it.each(cases)('seed $seed ($timezone): exclusions', async (c) => {
    await compare(c, 2, { orders: ['ordered', 'strict', 'unordered'], exclusions: true }, 3);
  });

  it.each(cases)('seed $seed ($timezone): strict and unordered', async (c) => {
    await compare(c, 3, { orders: ['strict', 'unordered'], exclusions: false }, 3);
  });

  it.each(cases)('seed $seed ($timezone): breakdowns', async (c) => {
    const orders = ['ordered', 'strict', 'unordered'] as const;
    await compare(c, 4, { orders, exclusions: true, breakdown: true }, 4);
  });

  it.each(cases)('seed $seed ($timezone): hold property constant', async (c) => {
    const orders = ['ordered', 'strict', 'unordered'] as const;
    await compare(
      c,
      5,
      { orders, exclusions: true, breakdown: c.seed % 2 === 0, holdConstant: true },
      3,
    );
  });

  it('compared mostly funnels with converters', () => {
    expect(answered.total).toBe(cases.length * 17);
    expect(answered.converted / answered.total).toBeGreaterThan(0.3);
    expect(answered.combinations).toBeGreaterThan(20);
  });
});
