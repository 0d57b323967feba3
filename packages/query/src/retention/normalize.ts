import { resolveCohorts } from '../cohorts/filters.js';
import type { CohortPlans } from '../cohorts/plan.js';
import { QueryError } from '../errors.js';
import { type Actor, actorFor } from '../plan/actor.js';
import { allOf, type Predicate, toPredicate } from '../plan/predicates.js';
import type { RetentionQuery } from '../spec/insights.js';
import type { Interval } from '../spec/nodes.js';
import { shift, startOf, type WeekStartDay } from '../time/calendar.js';
import { parseDate, resolveRange } from '../time/date-range.js';
import { fromWall, isValidTimeZone, toWall, type Wall } from '../time/zone.js';
import type { NormalizedBreakdown } from '../trends/series.js';
import { retentionBreakdownOf } from './breakdown.js';

// Stage 1 of retention (§2.3): the validated spec -> the cohort periods as instants, the start
// and return events with their predicates, and the options we do not support refused by path.
//
// Range (PostHog's QueryDateRangeWithIntervals): the last cohort is the period containing
// date_to (now when missing); `totalIntervals` cohorts end there. date_from is ignored.

export type RetentionType = 'recurring' | 'first_time' | 'first_ever';

/** An event name (null = any event) and the predicate its events must pass (global included). */
export interface RetentionEvent {
  readonly event: string | null;
  readonly where: Predicate | null;
}

export interface NormalizedRetention {
  readonly projectId: number;
  readonly timezone: string;
  readonly weekStartDay: WeekStartDay;
  readonly period: Interval;
  readonly totalIntervals: number;
  readonly retentionType: RetentionType;
  readonly cumulative: boolean;
  /**
   * `24_hour_windows`: period k of a cohort is [t + k·L, t + (k + 1)·L) from the actor's first
   * start event t in its cohort period, L = 1 h, 24 h or 7 × 24 h (§2.3 "rolling 24-hour
   * windows"); null: calendar periods.
   */
  readonly windowMs: number | null;
  readonly minimumOccurrences: number;
  readonly actor: Actor;
  readonly start: RetentionEvent;
  readonly returning: RetentionEvent;
  /**
   * A property breakdown (event, person or group; cohort breakdowns run once per cohort, see
   * run.ts): the value is read on the start event that puts the actor in its cohort, as
   * §2.3 says for first-ever occurrence and PostHog's event-based retention did; return events
   * count whatever their own value.
   */
  readonly breakdown: NormalizedBreakdown | null;
  /** Start instant of each cohort period, then the end of the last one (length n + 1). */
  readonly boundariesMs: readonly number[];
  /** Local wall time each cohort period starts at (length n). */
  readonly starts: readonly Wall[];
}

export interface RetentionContext {
  readonly projectId: number;
  readonly timezone: string;
  readonly nowMs: number;
  readonly weekStartDay: WeekStartDay;
  readonly cohorts?: CohortPlans;
}

/** PostHog's runner default. */
export const DEFAULT_TOTAL_INTERVALS = 7;
export const DEFAULT_RETENTION_EVENT = '$pageview';

const PERIODS = { Hour: 'hour', Day: 'day', Week: 'week', Month: 'month' } as const;
const TYPES = {
  retention_recurring: 'recurring',
  retention_first_time: 'first_time',
  retention_first_ever_occurrence: 'first_ever',
} as const;
const HOUR_MS = 3_600_000;

export function normalizeRetention(
  query: RetentionQuery,
  ctx: RetentionContext,
): NormalizedRetention {
  if (!isValidTimeZone(ctx.timezone)) throw new QueryError('invalid_query', 'timezone');
  const filter = query.retentionFilter;
  const cumulative = filter.cumulative ?? false;
  const period = PERIODS[filter.period ?? 'Day'];
  const windowMs = filter.timeWindowMode === '24_hour_windows' ? rollingWindowMs(period) : null;
  if (windowMs !== null && cumulative)
    throw new QueryError(
      'invalid_query',
      'retentionFilter.cumulative',
      'cumulative retention is not supported with 24-hour windows',
    );
  const globalWhere = resolveCohorts(
    toPredicate(query.properties, 'properties'),
    ctx.cohorts,
    'properties',
  );
  const target = filter.targetEntity ?? { id: DEFAULT_RETENTION_EVENT, properties: null };
  const returning = filter.returningEntity ?? target;
  const entity = (
    e: { id?: string | null | undefined; properties?: unknown },
    path: string,
  ): RetentionEvent => {
    const where = toPredicate(
      e.properties as Parameters<typeof toPredicate>[0],
      `${path}.properties`,
    );
    return {
      event: e.id ?? null,
      where: allOf(globalWhere, resolveCohorts(where, ctx.cohorts, `${path}.properties`)),
    };
  };

  const n = filter.totalIntervals ?? DEFAULT_TOTAL_INTERVALS;
  const last = lastPeriodStart(query, period, ctx);
  const starts: Wall[] = [];
  const boundariesMs: number[] = [];
  for (let p = 0; p <= n; p++) {
    const back = n - 1 - p;
    if (period === 'hour') {
      boundariesMs.push(last.ms - back * HOUR_MS);
      if (p < n) starts.push(toWall(last.ms - back * HOUR_MS, ctx.timezone));
    } else {
      const wall = shift(last.wall, period, -back);
      boundariesMs.push(fromWall(wall, ctx.timezone));
      if (p < n) starts.push(wall);
    }
  }
  return {
    projectId: ctx.projectId,
    timezone: ctx.timezone,
    weekStartDay: ctx.weekStartDay,
    period,
    totalIntervals: n,
    retentionType: TYPES[filter.retentionType ?? 'retention_recurring'],
    cumulative,
    windowMs,
    minimumOccurrences: filter.minimumOccurrences ?? 1,
    actor: actorFor(query.aggregation_group_type_index),
    start: entity(target, 'retentionFilter.targetEntity'),
    returning: entity(returning, 'retentionFilter.returningEntity'),
    breakdown: retentionBreakdownOf(query.breakdownFilter),
    boundariesMs,
    starts,
  };
}

/** The length of a rolling window standing for `period`; months have no fixed length. */
function rollingWindowMs(period: Interval): number {
  switch (period) {
    case 'hour':
      return HOUR_MS;
    case 'day':
      return 24 * HOUR_MS;
    case 'week':
      return 7 * 24 * HOUR_MS;
    case 'month':
      throw new QueryError(
        'invalid_query',
        'retentionFilter.timeWindowMode',
        '24-hour windows need an Hour, Day or Week period',
      );
  }
}

/** The period containing the last instant of date_to (as trends reads date_to). */
function lastPeriodStart(
  query: RetentionQuery,
  period: Interval,
  ctx: RetentionContext,
): { ms: number; wall: Wall } {
  const toText = query.dateRange?.date_to ?? null;
  const to = toText === null ? null : parseDate(toText);
  if (to === undefined) throw new QueryError('invalid_query', 'dateRange.date_to', 'not a date');
  const { toMs } = resolveRange(to ?? { kind: 'instant', ms: ctx.nowMs }, to, 'hour', ctx);
  const lastMs = toMs - 1;
  if (period === 'hour') {
    const wall = toWall(lastMs, ctx.timezone);
    const ms = lastMs - (wall.minute * 60_000 + wall.second * 1000 + wall.ms);
    return { ms, wall: toWall(ms, ctx.timezone) };
  }
  const wall = startOf(toWall(lastMs, ctx.timezone), period, ctx.weekStartDay);
  return { ms: fromWall(wall, ctx.timezone), wall };
}
