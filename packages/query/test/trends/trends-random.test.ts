import { describe, expect, it } from 'vitest';
import { runQuery, type TrendsResult } from '../../src/index.js';
import { generateDataset, mulberry32 } from '../dataset.js';
import { type RefTrendsResult, referenceTrends } from '../reference/trends.js';
import { seedCases, useLoadedCases } from '../seed-cases.js';
import {
  randomMultiBreakdownQuery,
  randomTrendsQuery,
  TIMEZONES,
  withTrendsProperties,
} from './random-queries.js';

// The SQL engine against the brute-force reference on generated data: 60 seeds, each its own
// project (time zone, week start, data) with 8 random queries, then 3 broken down by several
// properties at once (their own random stream, so the first 8 stay what they were).

const QUERIES_PER_SEED = 8;
const MULTI_BREAKDOWN_QUERIES_PER_SEED = 3;
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
const answered = { total: 0, nonZero: 0, multi: new Set<string>() };

/** What a multi-breakdown line showed: its bucket, and a None inside a kept combination. */
function multiCoverage(r: TrendsResult): string {
  const values = Array.isArray(r.breakdown_value) ? r.breakdown_value : [];
  const partNone = r.breakdown_bucket === 'value' && values.includes('None');
  return `${values.length} breakdowns: ${r.breakdown_bucket}${partNone ? ' with a None' : ''}`;
}

describe('trends: SQL engine equals the reference evaluator', () => {
  it.each(cases)(
    'seed $seed ($timezone)',
    async ({ seed, projectId, timezone, weekStart, dataset }) => {
      const rng = mulberry32(seed * 7919);
      const multiRng = mulberry32(seed * 7919 + 3);
      const total = QUERIES_PER_SEED + MULTI_BREAKDOWN_QUERIES_PER_SEED;
      for (let q = 0; q < total; q++) {
        const query =
          q < QUERIES_PER_SEED ? randomTrendsQuery(rng) : randomMultiBreakdownQuery(multiRng);
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
        if (engine.results.some((r) => Array.isArray(r.breakdown_value)))
          for (const r of engine.results) answered.multi.add(multiCoverage(r));
      }
    },
  );

  it('compared mostly non-empty answers', () => {
    expect(answered.total).toBe(
      cases.length * (QUERIES_PER_SEED + MULTI_BREAKDOWN_QUERIES_PER_SEED),
    );
    for (const n of [2, 3])
      for (const bucket of ['value', 'value with a None', 'none', 'other'])
        expect([...answered.multi]).toContain(`${n} breakdowns: ${bucket}`);
    expect(answered.nonZero / answered.total).toBeGreaterThan(0.7);
  });
});
