import { describe, expect, it } from 'vitest';
import { runQuery, type TrendsResult } from '../../src/index.js';
import { generateDataset, mulberry32 } from '../dataset.js';
import { type RefTrendsPoint, referenceTrendsActors } from '../reference/trends-actors.js';
import { seedCases, useLoadedCases } from '../seed-cases.js';
import {
  randomMultiBreakdownQuery,
  randomTrendsQuery,
  TIMEZONES,
  withTrendsProperties,
} from '../trends/random-queries.js';
import { drill, sorted } from './drill.js';

// Trends drill-down against the reference on generated data: 55 seeds (the trends random
// test's projects), random queries (some broken down by several properties) and random points
// of their answers (any series, bucket, breakdown bucket including Other and None, previous
// period). The actors and their event
// counts must equal the reference's; for maths that count each actor once per point, their
// number must equal the insight's value.

const QUERIES_PER_SEED = 4;
const MULTI_BREAKDOWN_QUERIES_PER_SEED = 2;

/** The reference's key of a kept value: the value, or several breakdowns' JSON list. */
function referenceKey(shown: string | string[] | undefined): string {
  if (!Array.isArray(shown)) return shown ?? '';
  return JSON.stringify(shown.map((v) => (v === 'None' ? null : v)));
}

/** Other or None as PostHog names them: its sentinel, once per breakdown with several. */
function selectorOf(bucket: 'other' | 'none', shown: string | string[] | undefined) {
  const sentinel =
    bucket === 'other' ? '$$_posthog_breakdown_other_$$' : '$$_posthog_breakdown_null_$$';
  return Array.isArray(shown) ? shown.map(() => sentinel) : sentinel;
}
const NOW = Date.parse('2024-06-01T12:00:00Z');
const ONCE_PER_ACTOR = new Set([
  'dau',
  'unique_group',
  'first_time_for_user',
  'first_matching_event_for_user',
]);

const cases = seedCases({ count: 55 }, (seed) => {
  const timezone = TIMEZONES[seed % TIMEZONES.length] as string;
  return {
    timezone,
    weekStart: (seed % 2) as 0 | 1,
    dataset: withTrendsProperties(
      generateDataset(seed, {
        timezone,
        events: 1500 + ((seed * 137) % 2000),
        persons: 12 + (seed % 30),
        tenants: 3 + (seed % 4),
      }),
      seed,
    ),
  };
});

const db = useLoadedCases(cases);

const answered = { points: 0, nonEmpty: 0, valueChecked: 0, covered: new Set<string>() };

describe('trends drill-down: the actors behind a point equal the reference', () => {
  it.each(cases)('seed $seed ($timezone)', async (c) => {
    const rng = mulberry32(c.seed * 31_337 + 17);
    const options = {
      projectId: c.projectId,
      timezone: c.timezone,
      now: NOW,
      runner: db().runner,
      weekStartDay: c.weekStart,
    };
    // Then a few broken down by several properties, from their own stream (the first stay).
    const multiRng = mulberry32(c.seed * 31_337 + 18);
    const phases = [
      { rng, make: randomTrendsQuery, count: QUERIES_PER_SEED },
      { rng: multiRng, make: randomMultiBreakdownQuery, count: MULTI_BREAKDOWN_QUERIES_PER_SEED },
    ];
    // A query whose answer has no line (broken down, nothing matched) has no point: next one.
    for (const { rng, make, count } of phases)
      for (let q = 0, tries = 0; q < count && tries < 50; tries++) {
        const query = make(rng);
        const engine = await runQuery(query, options);
        if (engine.results.length === 0) continue;
        q++;
        // A point of a series (formulas have none: their first series is drilled).
        const lines = engine.results.filter((r) => r.action !== null);
        const candidates = lines.length > 0 ? lines : engine.results;
        const nonZero = candidates.filter((r) => r.count !== 0 || (r.aggregated_value ?? 0) !== 0);
        const pool = nonZero.length > 0 && rng() < 0.85 ? nonZero : candidates;
        const line = pool[Math.floor(rng() * pool.length)] as TrendsResult;
        const series = line.action?.order ?? Math.floor(rng() * query.series.length);
        const isTotal = line.aggregated_value !== undefined;
        const filled = line.data.flatMap((v, i) => (v !== 0 ? [i] : []));
        const bucket =
          isTotal || line.data.length === 0
            ? 0
            : filled.length > 0 && rng() < 0.85
              ? (filled[Math.floor(rng() * filled.length)] as number)
              : Math.floor(rng() * line.data.length);
        const breakdown: RefTrendsPoint['breakdown'] =
          line.breakdown_bucket === undefined
            ? null
            : line.breakdown_bucket === 'value'
              ? { bucket: 'value', value: referenceKey(line.breakdown_value) }
              : { bucket: line.breakdown_bucket };
        const compare = line.compare_label ?? 'current';
        const source: Record<string, unknown> = {
          kind: 'InsightActorsQuery',
          source: query,
          series,
          ...(isTotal ? {} : { day: line.days[bucket] }),
          ...(line.compare_label === undefined ? {} : { compare }),
        };
        if (breakdown !== null)
          source.breakdown =
            breakdown.bucket === 'value'
              ? line.breakdown_value
              : selectorOf(breakdown.bucket, line.breakdown_value);
        const label = `seed ${c.seed} query ${q}: ${JSON.stringify(source)}`;
        const actual = await drill(c.dataset, source, options);
        const expected = referenceTrendsActors(
          c.dataset,
          query,
          { timezone: c.timezone, weekStart: c.weekStart },
          { series, compare, bucket, breakdown },
        );
        expect(sorted(actual), label).toEqual(sorted(expected));
        answered.points += 1;
        if (actual.size > 0) answered.nonEmpty += 1;
        const math = query.series[series]?.math ?? 'total';
        const cumulative = query.trendsFilter?.display === 'ActionsLineGraphCumulative';
        if (actual.size > 0)
          for (const kind of [
            `math:${math}`,
            `breakdown:${breakdown?.bucket ?? 'no'}`,
            ...(Array.isArray(line.breakdown_value) ? [`breakdowns:${breakdown?.bucket}`] : []),
            `period:${compare}`,
            isTotal ? 'total value' : cumulative ? 'cumulative' : 'time series',
            query.aggregation_group_type_index === undefined ? 'by person' : 'by tenant',
          ])
            answered.covered.add(kind);
        const activeOnce = (math === 'weekly_active' || math === 'monthly_active') && !cumulative;
        if (line.action !== null && (ONCE_PER_ACTOR.has(math) || activeOnce)) {
          const value = isTotal ? line.aggregated_value : line.data[bucket];
          expect(actual.size, `${label}: number of actors = value`).toBe(value);
          answered.valueChecked += 1;
        }
      }
  });

  it('compared mostly non-empty points, many of them against the insight value', () => {
    expect(answered.points).toBe(
      cases.length * (QUERIES_PER_SEED + MULTI_BREAKDOWN_QUERIES_PER_SEED),
    );
    expect(answered.nonEmpty / answered.points).toBeGreaterThan(0.7);
    expect(answered.valueChecked).toBeGreaterThan(40);
    for (const kind of [
      'breakdown:value',
      'breakdown:other',
      'breakdown:none',
      'breakdowns:value',
      'breakdowns:other',
      'breakdowns:none',
      'period:previous',
      'total value',
      'cumulative',
      'by tenant',
      'math:total',
      'math:dau',
      'math:weekly_active',
      'math:first_time_for_user',
      'math:sum',
      'math:unique_session',
    ])
      expect([...answered.covered], kind).toContain(kind);
  });
});
