import { describe, expect, it } from 'vitest';
import { runQuery } from '../../src/index.js';
import { generateDataset, mulberry32 } from '../dataset.js';
import { evaluateStickiness } from '../reference/stickiness.js';
import { RETENTION_TIMEZONES as TIMEZONES } from '../retention/random-retention.js';
import { seedCases, useLoadedCases } from '../seed-cases.js';
import { randomStickiness } from './random-stickiness.js';

// The SQL engine against the brute-force reference on generated data: 55 seeds, each its own
// project with random stickiness queries (intervals, intervalCount, criteria, cumulative,
// several series, by person and by tenant).

const QUERIES_PER_SEED = 5;
const NOW = Date.parse('2024-06-01T12:00:00Z');

const cases = seedCases({ count: 55 }, (seed) => {
  const timezone = TIMEZONES[(seed + 2) % TIMEZONES.length] as string;
  return {
    timezone,
    weekStart: ((seed + 1) % 2) as 0 | 1,
    dataset: generateDataset(seed + 500, {
      timezone,
      events: 1500 + ((seed * 211) % 2000),
      persons: 12 + (seed % 25),
      tenants: 3 + (seed % 4),
    }),
  };
});

const db = useLoadedCases(cases);

const answered = { total: 0, nonZero: 0 };

describe('stickiness: SQL engine equals the reference evaluator', () => {
  it.each(cases)('seed $seed ($timezone)', async (c) => {
    const rng = mulberry32(c.seed * 104_729 + 11);
    for (let q = 0; q < QUERIES_PER_SEED; q++) {
      const { query, specs } = randomStickiness(rng, c);
      const engine = await runQuery(query, {
        projectId: c.projectId,
        timezone: c.timezone,
        now: NOW,
        runner: db().runner,
        weekStartDay: c.weekStart,
      });
      if (engine.kind !== 'StickinessQuery') throw new Error('not a stickiness response');
      const reference = specs.map((spec) => evaluateStickiness(c.dataset, spec));
      expect(
        engine.results.map((r) => ({ data: r.data, days: r.days })),
        `seed ${c.seed} query ${q}: ${JSON.stringify(query)}`,
      ).toEqual(
        reference.map((points) => ({
          data: points.map((p) => p.count),
          days: points.map((p) => p.intervals),
        })),
      );
      answered.total += 1;
      if (engine.results.some((r) => r.data.some((v) => v > 0))) answered.nonZero += 1;
    }
  });

  it('compared mostly non-empty answers', () => {
    expect(answered.total).toBe(cases.length * QUERIES_PER_SEED);
    expect(answered.nonZero / answered.total).toBeGreaterThan(0.7);
  });
});
