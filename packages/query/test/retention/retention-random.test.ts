import { describe, expect, it } from 'vitest';
import { runQuery } from '../../src/index.js';
import { generateDataset, mulberry32 } from '../dataset.js';
import { evaluateRetention } from '../reference/retention.js';
import { seedCases, useLoadedCases } from '../seed-cases.js';
import { RETENTION_TIMEZONES, randomRetention } from './random-retention.js';

// The SQL engine against the brute-force reference on generated data: 60 seeds, each its own
// project (time zone, week start, data) with random retention queries, by person and by tenant.

const QUERIES_PER_SEED = 6;
const NOW = Date.parse('2024-06-01T12:00:00Z');

const cases = seedCases({ count: 60 }, (seed) => {
  const timezone = RETENTION_TIMEZONES[seed % RETENTION_TIMEZONES.length] as string;
  return {
    timezone,
    weekStart: (seed % 2) as 0 | 1,
    dataset: generateDataset(seed, {
      timezone,
      events: 1500 + ((seed * 137) % 2000),
      persons: 12 + (seed % 30),
      tenants: 3 + (seed % 4),
    }),
  };
});

const db = useLoadedCases(cases);

const answered = {
  total: 0,
  returned: 0,
  byPeriod: new Map<string, number>(),
  rolling: { total: 0, returned: 0 },
};

describe('retention: SQL engine equals the reference evaluator', () => {
  it.each(cases)(
    'seed $seed ($timezone)',
    async ({ seed, projectId, timezone, weekStart, dataset }) => {
      const rng = mulberry32(seed * 7919 + 3);
      for (let q = 0; q < QUERIES_PER_SEED; q++) {
        const { query, spec } = randomRetention(rng, timezone, weekStart);
        const engine = await runQuery(query, {
          projectId,
          timezone,
          now: NOW,
          runner: db().runner,
          weekStartDay: weekStart,
        });
        if (engine.kind !== 'RetentionQuery') throw new Error('not a retention response');
        const reference = evaluateRetention(dataset, spec);
        const label = `seed ${seed} query ${q}: ${JSON.stringify(query)}`;
        expect(
          engine.results.map((r) => ({
            startMs: Date.parse(r.date),
            values: r.values.map((v) => v.count),
          })),
          label,
        ).toEqual(reference.map((c) => ({ startMs: c.periodStartMs, values: c.values })));
        const returned = reference.some((c) => c.values.slice(1).some((v) => v > 0));
        if (spec.windowMs === undefined) {
          answered.total += 1;
          if (returned) answered.returned += 1;
        } else {
          answered.rolling.total += 1;
          if (returned) answered.rolling.returned += 1;
        }
        answered.byPeriod.set(spec.period, (answered.byPeriod.get(spec.period) ?? 0) + 1);
      }
    },
  );

  it('compared many answers where someone returned, for every period and windows', () => {
    expect(answered.total + answered.rolling.total).toBe(cases.length * QUERIES_PER_SEED);
    expect(answered.returned / answered.total).toBeGreaterThan(0.4);
    // Rolling windows: fewer returns (a window is a whole period after the start event).
    expect(answered.rolling.total).toBeGreaterThan(40);
    expect(answered.rolling.returned / answered.rolling.total).toBeGreaterThan(0.25);
    expect([...answered.byPeriod.keys()].sort()).toEqual(['day', 'hour', 'month', 'week']);
  });
});
