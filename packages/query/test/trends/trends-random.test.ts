import { describe, expect, it } from 'vitest';
import { runQuery, type TrendsResult } from '../../src/index.js';
import { generateDataset, mulberry32 } from '../dataset.js';
import { type RefTrendsResult, referenceTrends } from '../reference/trends.js';
import { seedCases, useLoadedCases } from '../seed-cases.js';
import { randomTrendsQuery, TIMEZONES, withTrendsProperties } from './random-queries.js';

// The SQL engine against the brute-force reference on generated data: 60 seeds, each its own
// project (time zone, week start, data) with 6 random queries.

const QUERIES_PER_SEED = 8;
const NOW = Date.parse('2024-06-01T12:00:00Z');

const cases = seedCases({ count: 60 }, (seed) => {
  const timezone = TIMEZONES[seed % TIMEZONES.length] as string;
  const options = {
    timezone,
    events: 1500 + ((seed * 137) % 2000),
    persons: 12 + (seed % 30),
    tenants: 3 + (seed % 4),
  };
  return {
    timezone,
    weekStart: (seed % 2) as 0 | 1,
    dataset: withTrendsProperties(generateDataset(seed, options), seed),
  };
});

const db = useLoadedCases(cases);

/** What the reference states, with numbers rounded past float noise. */
function comparable(results: ReadonlyArray<TrendsResult | RefTrendsResult>): unknown[] {
  const round = (n: number): number => (n === 0 ? 0 : Number(n.toPrecision(9)));
  return results.map((r) => ({
    label: r.label,
    data: r.data.map(round),
    days: r.days,
    count: round(r.count),
    aggregated_value: r.aggregated_value === undefined ? undefined : round(r.aggregated_value),
    breakdown_value: r.breakdown_value,
    breakdown_bucket: r.breakdown_bucket,
    compare_label: r.compare_label,
  }));
}

/** Queries whose answer had a non-zero number: the comparison must not be of empty charts. */
const answered = { total: 0, nonZero: 0 };

describe('trends: SQL engine equals the reference evaluator', () => {
  it.each(cases)(
    'seed $seed ($timezone)',
    async ({ seed, projectId, timezone, weekStart, dataset }) => {
      const rng = mulberry32(seed * 7919);
      for (let q = 0; q < QUERIES_PER_SEED; q++) {
        const query = randomTrendsQuery(rng);
        const engine = await runQuery(query, {
          projectId,
          timezone,
          now: NOW,
          runner: db().runner,
          weekStartDay: weekStart,
        });
        const reference = referenceTrends(dataset, query, { timezone, weekStart });
        expect(comparable(engine.results), JSON.stringify(query)).toEqual(comparable(reference));
        answered.total += 1;
        const values = engine.results.flatMap((r) => [...r.data, r.aggregated_value ?? 0]);
        if (values.some((v) => v !== 0)) answered.nonZero += 1;
      }
    },
  );

  it('compared mostly non-empty answers', () => {
    expect(answered.total).toBe(cases.length * QUERIES_PER_SEED);
    expect(answered.nonZero / answered.total).toBeGreaterThan(0.7);
  });
});
