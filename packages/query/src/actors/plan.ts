import { cohortBuckets } from '../cohorts/breakdown.js';
import { isQueryError, QueryError } from '../errors.js';
import { normalizeFunnel } from '../funnels/normalize.js';
import { planFunnel } from '../funnels/plan.js';
import { normalizeLifecycle } from '../lifecycle/normalize.js';
import { planLifecycle } from '../lifecycle/plan.js';
import { type Actor, PERSON } from '../plan/actor.js';
import type { Predicate } from '../plan/predicates.js';
import type { QueryContext } from '../query-context.js';
import { normalizeRetention } from '../retention/normalize.js';
import { planRetention } from '../retention/plan.js';
import type { ActorsQuery, FunnelsActorsQuery, InsightActorsQuery } from '../spec/insights.js';
import { normalizeStickiness } from '../stickiness/normalize.js';
import { planStickiness } from '../stickiness/plan.js';
import { normalizeTrends } from '../trends/normalize.js';
import { planTrends } from '../trends/plan.js';
import { planAllActors } from './all.js';
import { listFilters } from './list-filters.js';
import { type ActorsPage, actorsPage } from './page.js';
import {
  type ActorsPoint,
  type ActorsTarget,
  breakdownSelection,
  bucketIndexOf,
  trendsBreakdownSelection,
} from './point.js';

// Stage 2 of actors: the insight the list drills into is normalized and planned by its own
// stages (trends/normalize.ts + plan.ts, ...), then the data point is resolved against that plan:
// which statement, which bucket, which breakdown bucket. The SQL stage reads the insight's CTEs.
// Without a source the list is every person of the project (all.ts).

export interface ActorsPlan {
  readonly projectId: number;
  readonly target: ActorsTarget;
  readonly point: ActorsPoint;
  readonly page: ActorsPage;
  /** ActorsQuery `properties`: person (or the actor's tenant) properties and cohorts. */
  readonly where: Predicate | null;
}

type Source = NonNullable<ActorsQuery['source']>;
type Insight = InsightActorsQuery['source'];

export function planActors(query: ActorsQuery, ctx: QueryContext): ActorsPlan {
  const source = query.source;
  if (source === null || source === undefined) return planAllActors(query, PERSON, ctx);
  const page = actorsPage(query);
  const { point, target } = resolvePoint(source, ctx);
  const appearances = page.columns.indexOf('appearances');
  if (appearances >= 0 && point.kind !== 'retention')
    throw new QueryError('invalid_query', `select[${appearances}]`, 'retention only');
  const where = listFilters(query.properties, target.actor, ctx);
  return { projectId: ctx.projectId, target, point, page, where };
}

function resolvePoint(
  source: Source,
  ctx: QueryContext,
): { point: ActorsPoint; target: ActorsTarget } {
  if (source.kind === 'FunnelsActorsQuery')
    return funnelPoint(cohortBucketOf(source, source.source, 'funnelStepBreakdown', ctx), ctx);
  const selector = source.source.kind === 'FunnelsQuery' ? 'funnelStepBreakdown' : 'breakdown';
  const resolved = cohortBucketOf(source, source.source, selector, ctx);
  const insight = resolved.source;
  switch (insight.kind) {
    case 'TrendsQuery':
      return trendsPoint(resolved, insight, ctx);
    case 'FunnelsQuery':
      return funnelPoint({ ...resolved, source: insight }, ctx);
    case 'RetentionQuery': {
      // A property breakdown's bucket narrows the cohorts to its entries (retention/plan.ts).
      const bucket = breakdownSelection(source.breakdown);
      const statement = ofInsight(() =>
        planRetention(normalizeRetention(insight, ctx), { bucket }),
      );
      const n = statement.retention.totalIntervals;
      const cohort = source.interval ?? 0;
      const offset = source.intervalOffset ?? 0;
      if (cohort >= n)
        throw new QueryError('invalid_query', 'source.interval', 'not a cohort of the insight');
      if (cohort + offset >= n)
        throw new QueryError('invalid_query', 'source.intervalOffset', 'outside the triangle');
      return {
        point: { kind: 'retention', statement, cohort, offset },
        target: { actor: statement.retention.actor, allowsPersonless: false },
      };
    }
    case 'StickinessQuery': {
      const plan = ofInsight(() => planStickiness(normalizeStickiness(insight, ctx)));
      const seriesIndex = source.series ?? 0;
      const period = source.compare ?? 'current';
      if (period === 'previous' && plan.stickiness.previous === null)
        throw new QueryError('invalid_query', 'source.compare', 'the insight does not compare');
      const statement = plan.statements.find(
        (s) => s.series.index === seriesIndex && s.period === period,
      );
      if (statement === undefined)
        throw new QueryError('invalid_query', 'source.series', 'not a series of the insight');
      const active = Number(source.day);
      if (!Number.isInteger(active) || active < 1 || active > statement.units)
        throw new QueryError(
          'invalid_query',
          'source.day',
          `an interval count 1..${statement.units}`,
        );
      return {
        point: { kind: 'stickiness', statement, active, orMore: plan.stickiness.cumulative },
        target: { actor: statement.series.actor, allowsPersonless: false },
      };
    }
    case 'LifecycleQuery': {
      const statement = ofInsight(() => planLifecycle(normalizeLifecycle(insight, ctx)));
      const status = source.status;
      if (status === null || status === undefined)
        throw new QueryError('invalid_query', 'source.status', 'the lifecycle status is needed');
      const period = bucketIndexOf(statement.lifecycle.timeline, source.day, 'source.day');
      return {
        point: { kind: 'lifecycle', statement, period, status },
        target: { actor: statement.lifecycle.actor, allowsPersonless: false },
      };
    }
  }
}

/**
 * A cohort breakdown runs the insight once per cohort with the cohort as a filter
 * (cohorts/breakdown.ts), so its point is a point of that cohort's query, without breakdown.
 */
function cohortBucketOf<S extends { readonly source: Insight }>(
  source: S,
  insight: Insight,
  selector: 'breakdown' | 'funnelStepBreakdown',
  ctx: QueryContext,
): S {
  if (!('breakdownFilter' in insight) || insight.breakdownFilter?.breakdown_type !== 'cohort')
    return source;
  const buckets = ofInsight(() => cohortBuckets(insight, ctx.cohorts)) ?? [];
  const raw = (source as { [key: string]: unknown })[selector];
  const value = Array.isArray(raw) ? raw[0] : raw;
  const bucket = buckets.find((b) => b.value === String(value));
  if (bucket === undefined)
    throw new QueryError('invalid_query', `source.${selector}`, 'not a cohort of the breakdown');
  return { ...source, source: bucket.query, [selector]: null };
}

function trendsPoint(
  source: InsightActorsQuery,
  insight: Extract<InsightActorsQuery['source'], { kind: 'TrendsQuery' }>,
  ctx: QueryContext,
): { point: ActorsPoint; target: ActorsTarget } {
  const plan = ofInsight(() => planTrends(normalizeTrends(insight, ctx)));
  const { trends } = plan;
  // A smoothed point is a mean over several intervals: no one list of actors makes it.
  if (trends.smoothingIntervals > 1)
    throw new QueryError(
      'not_implemented',
      'source.source.trendsFilter.smoothingIntervals',
      'the actors behind a smoothed point; drill into the unsmoothed insight',
    );
  const seriesIndex = source.series ?? 0;
  const period = source.compare ?? 'current';
  if (period === 'previous' && trends.previous === null)
    throw new QueryError('invalid_query', 'source.compare', 'the insight does not compare');
  const statement = plan.statements.find(
    (s) => s.seriesIndex === seriesIndex && s.period === period,
  );
  if (statement === undefined)
    throw new QueryError('invalid_query', 'source.series', 'not a series of the insight');
  const bucketKey = trends.isTotalValue
    ? ''
    : (statement.timeline.buckets[bucketIndexOf(statement.timeline, source.day, 'source.day')]
        ?.key ?? '');
  const breakdown = trendsBreakdownSelection(source.breakdown, trends.breakdown);
  if (breakdown !== null && trends.breakdown === null)
    throw new QueryError('invalid_query', 'source.breakdown', 'the insight has no breakdown');
  if (breakdown === null && trends.breakdown !== null)
    throw new QueryError('invalid_query', 'source.breakdown', 'the breakdown value is needed');
  // Maths that count actors list those; the others (total, sessions, property) list the actors
  // the insight aggregates by whose events made the point.
  const math = statement.math;
  const actor: Actor = 'actor' in math ? math.actor : aggregationActor(insight);
  return {
    point: {
      kind: 'trends',
      statement,
      bucketKey,
      upTo: trends.isCumulative && !trends.isTotalValue,
      breakdown: trends.breakdown === null ? null : breakdown,
    },
    target: { actor, allowsPersonless: actor.kind === 'person' },
  };
}

/** The insight's own stages name fields of the insight: prefix them with where it sits. */
function ofInsight<T>(stage: () => T): T {
  try {
    return stage();
  } catch (error) {
    if (!isQueryError(error) || error.path === undefined) throw error;
    throw new QueryError(error.code, `source.source.${error.path}`, error.detail, {
      cause: error.cause,
    });
  }
}

function aggregationActor(insight: {
  aggregation_group_type_index?: number | null | undefined;
}): Actor {
  const index = insight.aggregation_group_type_index;
  return index === null || index === undefined ? PERSON : { kind: 'group', index };
}

function funnelPoint(
  source: Pick<
    FunnelsActorsQuery,
    | 'source'
    | 'funnelStep'
    | 'funnelStepBreakdown'
    | 'funnelTrendsEntrancePeriodStart'
    | 'funnelTrendsDropOff'
  >,
  ctx: QueryContext,
): { point: ActorsPoint; target: ActorsTarget } {
  const { statement } = ofInsight(() => planFunnel(normalizeFunnel(source.source, ctx)));
  const { view } = statement;
  if (view.kind === 'time_to_convert')
    throw new QueryError(
      'not_implemented',
      'source.source.funnelsFilter.funnelVizType',
      'actors of the steps and trends views only',
    );
  if (view.kind === 'trends') {
    const path = 'source.funnelTrendsEntrancePeriodStart';
    const bucket = bucketIndexOf(view.timeline, source.funnelTrendsEntrancePeriodStart, path);
    return {
      point: {
        kind: 'funnels',
        statement,
        funnelStep: view.toStep + 1,
        breakdown: null,
        entry: { bucket: bucket + 1, dropOff: source.funnelTrendsDropOff ?? false },
      },
      target: { actor: statement.actor, allowsPersonless: false },
    };
  }
  const n = statement.steps.length;
  const funnelStep = source.funnelStep ?? 1;
  if (funnelStep === 0 || funnelStep === -1 || Math.abs(funnelStep) > n)
    throw new QueryError('invalid_query', 'source.funnelStep', `1..${n}, or -2..-${n}`);
  const path = 'source.funnelStepBreakdown';
  const selection = trendsBreakdownSelection(source.funnelStepBreakdown, statement.breakdown, path);
  if (selection !== null && statement.breakdown === null)
    throw new QueryError('invalid_query', path, 'no breakdown');
  return {
    point: {
      kind: 'funnels',
      statement,
      funnelStep,
      breakdown: selection,
      entry: null,
    },
    target: { actor: statement.actor, allowsPersonless: false },
  };
}
