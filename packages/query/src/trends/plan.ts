import type { Predicate } from '../plan/predicates.js';
import type { Timeline } from '../time/buckets.js';
import { shift, startOf, type WeekStartDay } from '../time/calendar.js';
import { fromWall, type OffsetSegment, offsetSegments, toWall, type Wall } from '../time/zone.js';
import type { TrendsBreakdown } from './breakdowns.js';
import type { NormalizedTrends } from './normalize.js';
import type { TrendsMath } from './series.js';

// Stage 2 of trends: one statement per series and period, with the exact instants to scan, the
// windows of rolling-active math and the zone offsets the SQL turns UTC into wall time with.
// Still dialect-free: sql/<dialect>/trends.ts renders each statement.

export type Period = 'current' | 'previous';

/** A rolling-active window in local wall time, `[from, to)`, for the bucket with `key`. */
export interface ActiveWindow {
  readonly key: string;
  readonly from: Wall;
  readonly to: Wall;
}

export interface TrendsStatement {
  readonly seriesIndex: number;
  readonly period: Period;
  readonly projectId: number;
  readonly event: string | null;
  readonly where: Predicate | null;
  readonly math: TrendsMath;
  readonly breakdown: TrendsBreakdown | null;
  /** One value per breakdown value over the whole range, instead of one per bucket. */
  readonly isTotalValue: boolean;
  readonly timeline: Timeline;
  /** Events read, `[fromMs, toMs)`; fromMs null reads the whole history (first-time math). */
  readonly scan: { readonly fromMs: number | null; readonly toMs: number };
  /** Rolling-active math only. */
  readonly windows: readonly ActiveWindow[];
  /** Wall-clock granularity windows are aligned to: active events are deduplicated at it. */
  readonly windowSlot: 'hour' | 'day';
  readonly offsets: readonly OffsetSegment[];
  readonly weekStartDay: WeekStartDay;
}

export interface TrendsPlan {
  readonly trends: NormalizedTrends;
  readonly statements: readonly TrendsStatement[];
}

const DAY_MS = 86_400_000;

export function planTrends(trends: NormalizedTrends): TrendsPlan {
  const periods: Array<[Period, Timeline]> = [['current', trends.current]];
  if (trends.previous !== null) periods.push(['previous', trends.previous]);
  const statements = periods.flatMap(([period, timeline]) =>
    trends.series.map((series) => statement(trends, series.index, period, timeline)),
  );
  return { trends, statements };
}

function statement(
  trends: NormalizedTrends,
  seriesIndex: number,
  period: Period,
  timeline: Timeline,
): TrendsStatement {
  const series = trends.series[seriesIndex];
  if (series === undefined) throw new Error('series index out of range');
  const { math } = series;
  const windows =
    math.kind === 'active_actors' ? activeWindows(trends, timeline, math.windowDays) : [];
  let scanFrom: number | null = timeline.fromMs;
  if (math.kind === 'first_time') scanFrom = null;
  const first = windows[0];
  // A day of margin: the exact bound is applied to wall time in SQL.
  if (first !== undefined) scanFrom = fromWall(first.from, trends.timezone) - DAY_MS;
  const offsetsFrom = Math.min(scanFrom ?? timeline.fromMs, timeline.fromMs) - 2 * DAY_MS;
  return {
    seriesIndex,
    period,
    projectId: trends.projectId,
    event: series.event,
    where: series.where,
    math,
    breakdown: trends.breakdown,
    isTotalValue: trends.isTotalValue,
    timeline,
    scan: { fromMs: scanFrom, toMs: timeline.toMs },
    windows,
    windowSlot: trends.interval === 'hour' && !trends.isTotalValue ? 'hour' : 'day',
    offsets: offsetSegments(trends.timezone, offsetsFrom, timeline.toMs + 2 * DAY_MS),
    weekStartDay: trends.weekStartDay,
  };
}

/**
 * §2.1: for a bucket starting at local time s, actors with an event in the local days
 * [s - (N-1) days, s + 1 day), i.e. the N days ending with the bucket's first day (an hour
 * bucket's window is the N x 24 hours ending one day after its start, as PostHog's). Events
 * after the range end never count. Total value: the N local days ending with the range's last.
 */
function activeWindows(trends: NormalizedTrends, timeline: Timeline, days: number): ActiveWindow[] {
  if (trends.isTotalValue) {
    const lastDay = startOf(toWall(timeline.toMs - 1, trends.timezone), 'day', 1);
    return [{ key: '', from: shift(lastDay, 'day', -(days - 1)), to: shift(lastDay, 'day', 1) }];
  }
  return timeline.buckets.map((bucket) => ({
    key: bucket.key,
    from: shift(bucket.start, 'day', -(days - 1)),
    to: shift(bucket.start, 'day', 1),
  }));
}
