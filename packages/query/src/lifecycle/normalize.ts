import { resolveCohorts } from '../cohorts/filters.js';
import type { CohortPlans } from '../cohorts/plan.js';
import { QueryError } from '../errors.js';
import { type Actor, actorFor } from '../plan/actor.js';
import { allOf, type Predicate, toPredicate } from '../plan/predicates.js';
import { LIFECYCLE_STATUSES, type LifecycleQuery } from '../spec/insights.js';
import type { Interval } from '../spec/nodes.js';
import type { Timeline } from '../time/buckets.js';
import type { WeekStartDay } from '../time/calendar.js';
import { queryTimeline } from '../time/query-range.js';
import { isValidTimeZone } from '../time/zone.js';

// Stage 1 of lifecycle (§2.5): the validated spec -> the timeline, the one series' event and
// predicate, who is counted and which statuses are shown.

export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];

export interface NormalizedLifecycle {
  readonly projectId: number;
  readonly timezone: string;
  readonly interval: Interval;
  readonly event: string | null;
  readonly label: string;
  readonly where: Predicate | null;
  readonly actor: Actor;
  readonly statuses: readonly LifecycleStatus[];
  readonly timeline: Timeline;
}

export interface LifecycleContext {
  readonly projectId: number;
  readonly timezone: string;
  readonly nowMs: number;
  readonly weekStartDay: WeekStartDay;
  readonly cohorts?: CohortPlans;
}

export function normalizeLifecycle(
  query: LifecycleQuery,
  ctx: LifecycleContext,
): NormalizedLifecycle {
  if (!isValidTimeZone(ctx.timezone)) throw new QueryError('invalid_query', 'timezone');
  const node = query.series[0];
  if (node === undefined) throw new QueryError('invalid_query', 'series');
  const globalWhere = resolveCohorts(
    toPredicate(query.properties, 'properties'),
    ctx.cohorts,
    'properties',
  );
  const seriesWhere = resolveCohorts(
    toPredicate(node.properties, 'series[0].properties'),
    ctx.cohorts,
    'series[0].properties',
  );
  const toggled = query.lifecycleFilter?.toggledLifecycles ?? null;
  return {
    projectId: ctx.projectId,
    timezone: ctx.timezone,
    interval: query.interval,
    event: node.event ?? null,
    label: node.custom_name ?? node.name ?? node.event ?? 'All events',
    where: allOf(globalWhere, seriesWhere),
    actor:
      node.math === 'unique_group'
        ? actorFor(node.math_group_type_index)
        : actorFor(query.aggregation_group_type_index),
    statuses: LIFECYCLE_STATUSES.filter((s) => toggled === null || toggled.includes(s)),
    timeline: queryTimeline(query.dateRange, query.interval, ctx),
  };
}
