import { describe, expect, it } from 'vitest';
import type { FunnelTrendsResult } from '../../src/funnels/shape.js';
import { runQuery } from '../../src/index.js';
import { generateDataset, mulberry32 } from '../dataset.js';
import { randomFunnel, toFunnelTrends } from '../funnels/random-funnels.js';
import { evaluateFunnelTrends } from '../reference/funnel-time.js';
import { seedCases, useLoadedCases } from '../seed-cases.js';
import { TIMEZONES } from '../trends/random-queries.js';
import { drill, names } from './drill.js';

// Funnel trends drill-down (PostHog's funnelTrendsEntrancePeriodStart + funnelTrendsDropOff)
// against the reference (test/reference/funnel-time.ts lists who entered and who converted per
// entry bucket): 50 seeds, random funnels of every order with exclusions and held properties,
// every interval. Converters and drop-offs must equal the reference's, and together give the
// chart's conversion rate at that bucket.

const NOW = Date.parse('2024-06-01T12:00:00Z');
const ORDERS = ['ordered', 'strict', 'unordered'] as const;
const QUERIES_PER_SEED = 3;

const cases = seedCases({ count: 50, firstSeed: 101 }, (seed) => {
  const timezone = TIMEZONES[seed % TIMEZONES.length] as string;
  return {
    timezone,
    dataset: generateDataset(seed, { timezone, events: 1500 + ((seed * 137) % 2000) }),
  };
});

const db = useLoadedCases(cases);

const answered = { points: 0, converted: 0, dropped: 0 };

describe('funnel trends drill-down: converters and drop-offs of an entry bucket', () => {
  it.each(cases)('seed $seed ($timezone)', async (c) => {
    const rng = mulberry32(c.seed * 53 + 1);
    const options = { projectId: c.projectId, timezone: c.timezone, now: NOW, runner: db().runner };
    for (let q = 0; q < QUERIES_PER_SEED; q++) {
      const { query, spec } = randomFunnel(rng, c.timezone, {
        orders: ORDERS,
        exclusions: true,
        holdConstant: rng() < 0.3,
      });
      const { interval, toStep } = toFunnelTrends(rng, q, c.timezone, { query, spec });
      const engine = await runQuery(query, options);
      const [chart] = engine.results as FunnelTrendsResult[];
      const reference = evaluateFunnelTrends(c.dataset, spec, {
        interval,
        timezone: c.timezone,
        weekStart: 1,
        toStep,
      });
      const entered = reference.flatMap((p, i) => (p.entered > 0 ? [i] : []));
      const bucket =
        entered.length > 0 && rng() < 0.85
          ? (entered[Math.floor(rng() * entered.length)] as number)
          : Math.floor(rng() * reference.length);
      const point = reference[bucket];
      if (point === undefined || chart === undefined) throw new Error('no bucket');
      const source = (dropOff: boolean) => ({
        kind: 'FunnelsActorsQuery',
        source: query,
        funnelTrendsEntrancePeriodStart: chart.days[bucket],
        funnelTrendsDropOff: dropOff,
      });
      const label = `seed ${c.seed} query ${q}: ${JSON.stringify(source(false))}`;
      const converted = await drill(c.dataset, source(false), options);
      const dropped = await drill(c.dataset, source(true), options);
      expect(names(converted), label).toEqual(point.convertedActorIds);
      expect(names(dropped), label).toEqual(
        point.enteredActorIds.filter((a) => !point.convertedActorIds.includes(a)),
      );
      const total = converted.size + dropped.size;
      const rate = total === 0 ? 0 : (converted.size / total) * 100;
      expect(Number(rate.toPrecision(9)), `${label}: rate`).toBe(
        Number((chart.data[bucket] ?? Number.NaN).toPrecision(9)),
      );
      answered.points += 1;
      if (converted.size > 0) answered.converted += 1;
      if (dropped.size > 0) answered.dropped += 1;
    }
  });

  it('compared buckets with converters and with drop-offs', () => {
    expect(answered.points).toBe(cases.length * QUERIES_PER_SEED);
    expect(answered.converted).toBeGreaterThan(20);
    expect(answered.dropped).toBeGreaterThan(20);
  });
});
