import { describe, expect, it } from 'vitest';
import type { FunnelStepResult } from '../../src/funnels/shape.js';
import { runQuery } from '../../src/index.js';
import { generateDataset, mulberry32 } from '../dataset.js';
import { randomFunnel } from '../funnels/random-funnels.js';
import { evaluateFunnel } from '../reference/funnel.js';
import { seedCases, useLoadedCases } from '../seed-cases.js';
import { TIMEZONES } from '../trends/random-queries.js';
import { drill, names } from './drill.js';

// Funnel drill-down against the reference (test/reference/funnel.ts, which lists the actors at
// each step) on the funnel random test's projects: 55 seeds, random funnels of every order,
// with exclusions, breakdowns (every attribution, Other and None buckets) and held properties;
// random steps reached (funnelStep N) and drop-offs (-N). The actors must equal the reference's,
// their number the step's count (or the difference of two counts), and each actor's
// event_count the steps it reached.

const FUNNELS_PER_SEED = 4;
const NOW = Date.parse('2024-06-01T12:00:00Z');

const cases = seedCases({ count: 55 }, (seed) => {
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

const db = useLoadedCases(cases);

const answered = { points: 0, nonEmpty: 0, dropOffs: 0, brokenDown: 0, combinations: 0 };
const ORDERS = ['ordered', 'strict', 'unordered'] as const;

describe('funnel drill-down: the actors at a step equal the reference', () => {
  it.each(cases)('seed $seed ($timezone)', async (c) => {
    const rng = mulberry32(c.seed * 65_537 + 29);
    const options = { projectId: c.projectId, timezone: c.timezone, now: NOW, runner: db().runner };
    for (let q = 0; q < FUNNELS_PER_SEED; q++) {
      const { query, spec } = randomFunnel(rng, c.timezone, {
        orders: ORDERS,
        exclusions: rng() < 0.5,
        breakdown: rng() < 0.5,
        holdConstant: rng() < 0.2,
      });
      const reference = evaluateFunnel(c.dataset, spec);
      const engine = await runQuery(query, options);
      if (engine.kind !== 'FunnelsQuery') throw new Error('not a funnel response');
      const lists = (
        spec.breakdown === undefined ? [engine.results] : engine.results
      ) as FunnelStepResult[][];
      if (reference.length === 0) continue;
      const which = Math.floor(rng() * reference.length);
      const series = reference[which];
      const steps = lists[which];
      if (series === undefined || steps === undefined) throw new Error('series count differs');
      const n = series.steps.length;
      const dropOff = rng() < 0.4;
      const step = dropOff ? 2 + Math.floor(rng() * (n - 1)) : 1 + Math.floor(rng() * n);
      const source: Record<string, unknown> = {
        kind: rng() < 0.5 ? 'FunnelsActorsQuery' : 'InsightActorsQuery',
        source: query,
        funnelStep: dropOff ? -step : step,
      };
      // What a client sends: the reference's value (the sentinels name None and Other), or with
      // several breakdowns the line's `breakdown_value` list.
      if (series.breakdownValue !== undefined)
        source.funnelStepBreakdown =
          spec.breakdown?.also === undefined ? series.breakdownValue : steps[0]?.breakdown_value;
      const label = `seed ${c.seed} funnel ${q}: ${JSON.stringify(source)}`;
      const actual = await drill(c.dataset, source, options);
      const reached = (k: number): string[] => series.steps[k - 1]?.actorIds ?? [];
      const expected = dropOff
        ? reached(step - 1).filter((a) => !reached(step).includes(a))
        : reached(step);
      expect(names(actual), label).toEqual([...expected].sort());
      const count = (k: number): number => steps[k - 1]?.count ?? 0;
      expect(actual.size, label).toBe(dropOff ? count(step - 1) - count(step) : count(step));
      for (const [actor, filled] of actual) {
        const level = series.steps.filter((s) => s.actorIds.includes(actor)).length;
        expect(filled, `${label}: steps of ${actor}`).toBe(level);
      }
      answered.points += 1;
      if (actual.size > 0) answered.nonEmpty += 1;
      if (dropOff && actual.size > 0) answered.dropOffs += 1;
      if (series.breakdownValue !== undefined && actual.size > 0) answered.brokenDown += 1;
      if (spec.breakdown?.also !== undefined && actual.size > 0) answered.combinations += 1;
    }
  });

  it('compared mostly non-empty steps, drop-offs and breakdown buckets among them', () => {
    expect(answered.points).toBeGreaterThan(cases.length * FUNNELS_PER_SEED * 0.9);
    expect(answered.nonEmpty / answered.points).toBeGreaterThan(0.5);
    expect(answered.dropOffs).toBeGreaterThan(20);
    expect(answered.brokenDown).toBeGreaterThan(20);
    expect(answered.combinations).toBeGreaterThan(5);
  });
});
