import { resolveCohorts } from '../cohorts/filters.js';
import type { CohortPlans } from '../cohorts/plan.js';
import { QueryError } from '../errors.js';
import { type Actor, actorFor } from '../plan/actor.js';
import { allOf, type Predicate, toPredicate } from '../plan/predicates.js';
import type { StickinessQuery } from '../spec/insights.js';
import type { Interval } from '../spec/nodes.js';
import { buildTimeline, previousRange, type Timeline } from '../time/buckets.js';
import type { WeekStartDay } from '../time/calendar.js';
import { queryTimeline } from '../time/query-range.js';
import { isValidTimeZone } from '../time/zone.js';
import { compareTo } from '../trends/normalize.js';

// Stage 1 of stickiness (§2.4): the validated spec -> the range's timeline, one event and
// predicate per series, who is counted, and the per-unit criterion.

export interface StickinessCriterion {
  readonly operator: 'gte' | 'lte' | 'exact';
  readonly value: number;
}

export interface NormalizedStickinessSeries {
  readonly index: number;
  readonly event: string | null;
  readonly label: string;
  readonly where: Predicate | null;
  readonly actor: Actor;
}

export interface NormalizedStickiness {
  readonly projectId: number;
  readonly timezone: string;
  readonly interval: Interval;
  /** Intervals per counted unit (`intervalCount`). */
  readonly intervalsPerUnit: number;
  readonly cumulative: boolean;
  readonly criterion: StickinessCriterion;
  readonly series: readonly NormalizedStickinessSeries[];
  readonly timeline: Timeline;
  /** `compareFilter.compare`: the same counts over the previous range (as trends compare). */
  readonly previous: Timeline | null;
}

export interface StickinessContext {
  readonly projectId: number;
  readonly timezone: string;
  readonly nowMs: number;
  readonly weekStartDay: WeekStartDay;
  readonly cohorts?: CohortPlans;
}

export function normalizeStickiness(
  query: StickinessQuery,
  ctx: StickinessContext,
): NormalizedStickiness {
  if (!isValidTimeZone(ctx.timezone)) throw new QueryError('invalid_query', 'timezone');
  const globalWhere = resolveCohorts(
    toPredicate(query.properties, 'properties'),
    ctx.cohorts,
    'properties',
  );
  const series = query.series.map((node, index): NormalizedStickinessSeries => {
    const path = `series[${index}].properties`;
    const where = resolveCohorts(toPredicate(node.properties, path), ctx.cohorts, path);
    const actor =
      node.math === 'unique_group'
        ? actorFor(node.math_group_type_index)
        : actorFor(query.aggregation_group_type_index);
    return {
      index,
      event: node.event ?? null,
      label: node.custom_name ?? node.name ?? node.event ?? 'All events',
      where: allOf(globalWhere, where),
      actor,
    };
  });
  const criteria = query.stickinessFilter?.stickinessCriteria;
  const timeline = queryTimeline(query.dateRange, query.interval, ctx);
  return {
    projectId: ctx.projectId,
    timezone: ctx.timezone,
    interval: query.interval,
    intervalsPerUnit: query.intervalCount ?? 1,
    cumulative: query.stickinessFilter?.computedAs === 'cumulative',
    criterion: criteria ?? { operator: 'gte', value: 1 },
    series,
    timeline,
    previous:
      query.compareFilter?.compare === true
        ? buildTimeline(
            previousRange(timeline, ctx.timezone, compareTo(query.compareFilter.compare_to)),
            query.interval,
            ctx.timezone,
            ctx.weekStartDay,
          )
        : null,
  };
}
