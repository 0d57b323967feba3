import { describe, expect, it } from 'vitest';
import type { FunnelStepResult } from '../../src/funnels/shape.js';
import {
  type LifecycleResponse,
  type RetentionResponse,
  runQuery,
  type StickinessResponse,
  type TrendsResult,
} from '../../src/index.js';
import { type Dataset, generateDataset, mulberry32 } from '../dataset.js';
import { randomFunnel } from '../funnels/random-funnels.js';
import { randomLifecycle } from '../lifecycle/random-lifecycle.js';
import { evaluateFunnel, type FunnelSeries } from '../reference/funnel.js';
import { evaluateLifecycle } from '../reference/lifecycle.js';
import { evaluateRetention } from '../reference/retention.js';
import { evaluateStickiness } from '../reference/stickiness.js';
import { DAY_MS } from '../reference/time.js';
import { type RefTrendsResult, referenceTrends } from '../reference/trends.js';
import { randomRetention } from '../retention/random-retention.js';
import { seedCases, useLoadedCases } from '../seed-cases.js';
import { randomStickiness } from '../stickiness/random-stickiness.js';
import { randomTrendsQuery, TIMEZONES, withTrendsProperties } from '../trends/random-queries.js';
import { randomCohortTrio } from './random-cohorts.js';
import { personIdMaps } from './store-ids.js';

// Cohorts in insights, SQL engine against the references: trends and funnels with cohort
// filters (`in` / `not_in`) and cohort breakdowns; retention, stickiness and lifecycle with
// cohort filters. A cohort filter is the reference run on the events of the cohort's persons
// (or, for `not_in`, of everyone else and personless events); a cohort breakdown is one such run
// per cohort, `all` being the unfiltered run. 50 seeds, each its own project.

const DATA_START = Date.UTC(2024, 2, 4);
const FIRST_TIME_MATHS = new Set(['first_time_for_user', 'first_matching_event_for_user']);

const cases = seedCases({ count: 50 }, (seed) => {
  const timezone = TIMEZONES[seed % TIMEZONES.length] as string;
  const dataset = generateDataset(seed, {
    timezone,
    events: 1000 + ((seed * 137) % 1200),
    persons: 12 + (seed % 25),
    tenants: 3 + (seed % 4),
  });
  return {
    timezone,
    weekStart: (seed % 2) as 0 | 1,
    dataset: withTrendsProperties(dataset, seed),
  };
});

type Case = (typeof cases)[number];
const db = useLoadedCases(cases);

/** The dataset as a cohort filter leaves it: events of members, or of everyone else. */
function restrict(dataset: Dataset, members: ReadonlySet<string>, negated: boolean): Dataset {
  const keep = (personId: string | null): boolean =>
    negated
      ? personId === null || !members.has(personId)
      : personId !== null && members.has(personId);
  return { ...dataset, events: dataset.events.filter((e) => keep(e.personId)) };
}

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

const round = (n: number | null): number | null => (n === null ? null : Number(n.toPrecision(9)));
const engineSteps = (steps: FunnelStepResult[]) =>
  steps.map((s) => ({
    count: s.count,
    average: round(s.average_conversion_time),
    median: round(s.median_conversion_time),
  }));
const referenceSteps = (series: FunnelSeries | undefined) =>
  (series?.steps ?? []).map((s, k) => ({
    count: s.count,
    average: k === 0 || s.meanTimeMs === null ? null : round(s.meanTimeMs / 1000),
    median: k === 0 || s.medianTimeMs === null ? null : round(s.medianTimeMs / 1000),
  }));

/** Three cohorts per seed (a static list, two dynamic), their members at a "now" in the data. */
async function cohortsFor(c: Case, rng: () => number) {
  const ids = await personIdMaps(db().runner, c.projectId, c.dataset);
  const nowMs = DATA_START + (20 + Math.floor(rng() * 50)) * DAY_MS + Math.floor(rng() * DAY_MS);
  const { members, json } = randomCohortTrio(rng, c.dataset, ids.storeIdOf, nowMs);
  const options = {
    projectId: c.projectId,
    timezone: c.timezone,
    now: nowMs,
    runner: db().runner,
    weekStartDay: c.weekStart,
    cohorts: json,
  };
  return { members, options };
}

/** `properties` (list, group or missing) with one more filter that must hold. */
function withFilter(properties: unknown, filter: unknown): unknown {
  if (properties === undefined || properties === null) return [filter];
  if (Array.isArray(properties)) return [...properties, filter];
  return { type: 'AND', values: [filter, properties] };
}

const seen = { trends: 0, funnels: 0, others: 0, nonZero: 0, splits: 0 };

describe('trends and funnels with cohorts: SQL engine equals the references', () => {
  it.each(cases)('seed $seed ($timezone)', async (c) => {
    const rng = mulberry32(c.seed * 31_337);
    const { members, options } = await cohortsFor(c, rng);
    const sizes = [...members.values()].map((m) => m.size);
    if (sizes.some((n) => n > 0 && n < c.dataset.persons.length)) seen.splits += 1;
    const refCtx = { timezone: c.timezone, weekStart: c.weekStart };
    const cohortOf = (): [number, boolean] => [1 + Math.floor(rng() * 3), rng() < 0.35];

    // Trends with a cohort filter among the global filters.
    for (let q = 0; q < 3; q++) {
      const query = randomTrendsQuery(rng);
      const isByGroup = query.aggregation_group_type_index !== undefined;
      if (isByGroup && query.series.some((s) => FIRST_TIME_MATHS.has(s.math ?? ''))) continue;
      const [id, negated] = cohortOf();
      const filter = { type: 'cohort', key: 'id', value: id, operator: negated ? 'not_in' : 'in' };
      const engineQuery = { ...query, properties: withFilter(query.properties, filter) };
      const engine = await runQuery(engineQuery, options);
      const reference = referenceTrends(
        restrict(c.dataset, members.get(id) ?? new Set(), negated),
        query,
        refCtx,
      );
      expect(comparable(engine.results), `seed ${c.seed} ${JSON.stringify(engineQuery)}`).toEqual(
        comparable(reference),
      );
      seen.trends += 1;
      if (reference.some((r) => r.count !== 0)) seen.nonZero += 1;
    }

    // Trends broken down by cohort: a bucket per cohort, `all` unfiltered.
    const { breakdownFilter: _, ...query } = randomTrendsQuery(rng);
    const trendsBuckets = ([1, 2, 3, 'all'] as const).filter(() => rng() < 0.7);
    const byGroup = query.aggregation_group_type_index !== undefined;
    const firstTime = query.series.some((s) => FIRST_TIME_MATHS.has(s.math ?? ''));
    if (trendsBuckets.length > 0 && !(byGroup && firstTime)) {
      const engine = await runQuery(
        { ...query, breakdownFilter: { breakdown_type: 'cohort', breakdown: trendsBuckets } },
        options,
      );
      const expected = trendsBuckets.flatMap((bucket) => {
        const data =
          bucket === 'all'
            ? c.dataset
            : restrict(c.dataset, members.get(bucket) ?? new Set(), false);
        return referenceTrends(data, query, refCtx).map((r) => ({
          ...r,
          label: `${r.label} - ${bucket}`,
          breakdown_value: String(bucket),
          breakdown_bucket: 'value' as const,
        }));
      });
      expect(
        comparable(engine.results),
        `seed ${c.seed} breakdown ${JSON.stringify(query)}`,
      ).toEqual(comparable(expected));
      seen.trends += 1;
    }

    // Funnels: a cohort filter, then a cohort breakdown.
    for (const broken of [false, true]) {
      const { query, spec } = randomFunnel(rng, c.timezone, {
        orders: ['ordered', 'strict', 'unordered'],
        exclusions: true,
      });
      const [id, negated] = cohortOf();
      if (!broken) {
        const filter = {
          type: 'cohort',
          key: 'id',
          value: id,
          operator: negated ? 'not_in' : 'in',
        };
        const engineQuery = { ...query, properties: [...(query.properties as unknown[]), filter] };
        const engine = await runQuery(engineQuery, options);
        const reference = evaluateFunnel(
          restrict(c.dataset, members.get(id) ?? new Set(), negated),
          spec,
        );
        expect(
          engineSteps(engine.results as FunnelStepResult[]),
          `seed ${c.seed} ${JSON.stringify(engineQuery)}`,
        ).toEqual(referenceSteps(reference[0]));
      } else {
        const buckets = [id, 'all'] as const;
        const engine = await runQuery(
          { ...query, breakdownFilter: { breakdown_type: 'cohort', breakdown: buckets } },
          options,
        );
        const lists = engine.results as FunnelStepResult[][];
        expect(lists.map((steps) => steps[0]?.breakdown_value)).toEqual([String(id), 'all']);
        const expected = buckets.map((bucket) =>
          referenceSteps(
            evaluateFunnel(
              bucket === 'all'
                ? c.dataset
                : restrict(c.dataset, members.get(id) ?? new Set(), false),
              spec,
            )[0],
          ),
        );
        expect(lists.map(engineSteps), `seed ${c.seed} ${JSON.stringify(query)}`).toEqual(expected);
      }
      seen.funnels += 1;
    }
  });

  it.each(cases)('seed $seed ($timezone): retention, stickiness, lifecycle', async (c) => {
    const rng = mulberry32(c.seed * 7_919 + 3);
    const { members, options } = await cohortsFor(c, rng);
    const cohort = (): [unknown, Dataset] => {
      const id = 1 + Math.floor(rng() * 3);
      const negated = rng() < 0.35;
      const filter = { type: 'cohort', key: 'id', value: id, operator: negated ? 'not_in' : 'in' };
      return [filter, restrict(c.dataset, members.get(id) ?? new Set(), negated)];
    };
    {
      const { query, spec } = randomRetention(rng, c.timezone, c.weekStart);
      const [filter, data] = cohort();
      const engineQuery = { ...query, properties: withFilter(query.properties, filter) };
      const engine = (await runQuery(engineQuery, options)) as RetentionResponse;
      expect(
        engine.results.map((r) => ({
          startMs: Date.parse(r.date),
          values: r.values.map((v) => v.count),
        })),
        `seed ${c.seed} ${JSON.stringify(engineQuery)}`,
      ).toEqual(
        evaluateRetention(data, spec).map((p) => ({ startMs: p.periodStartMs, values: p.values })),
      );
    }
    {
      const { query, specs } = randomStickiness(rng, c);
      const [filter, data] = cohort();
      const engineQuery = { ...query, properties: withFilter(query.properties, filter) };
      const engine = (await runQuery(engineQuery, options)) as StickinessResponse;
      expect(
        engine.results.map((r) => ({ data: r.data, days: r.days })),
        `seed ${c.seed} ${JSON.stringify(engineQuery)}`,
      ).toEqual(
        specs.map((spec) => {
          const points = evaluateStickiness(data, spec);
          return { data: points.map((p) => p.count), days: points.map((p) => p.intervals) };
        }),
      );
    }
    {
      const { query, spec } = randomLifecycle(rng, c);
      const [filter, data] = cohort();
      const engineQuery = { ...query, properties: withFilter(query.properties, filter) };
      const engine = (await runQuery(engineQuery, options)) as LifecycleResponse;
      const points = evaluateLifecycle(data, spec);
      expect(
        engine.results.map((r) => ({ status: r.status, data: r.data })),
        `seed ${c.seed} ${JSON.stringify(engineQuery)}`,
      ).toEqual(
        (['new', 'returning', 'resurrecting', 'dormant'] as const).map((status) => ({
          status,
          data: points.map((p) => p[status]),
        })),
      );
    }
    seen.others += 3;
  });

  it('compared non-trivial answers over cohorts that split the persons', () => {
    expect(seen.funnels).toBe(cases.length * 2);
    expect(seen.others).toBe(cases.length * 3);
    expect(seen.trends).toBeGreaterThan(cases.length * 3);
    expect(seen.nonZero / seen.trends).toBeGreaterThan(0.3);
    expect(seen.splits).toBeGreaterThan(cases.length * 0.8);
  });
});
