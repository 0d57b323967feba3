import { resolveCohorts } from '../cohorts/filters.js';
import type { CohortPlans } from '../cohorts/plan.js';
import { QueryError } from '../errors.js';
import { actorFor } from '../plan/actor.js';
import { allOf, toPredicate } from '../plan/predicates.js';
import type { Interval } from '../spec/nodes.js';
import { TOTAL_VALUE_DISPLAYS, type TrendsQuery } from '../spec/trends.js';
import { buildTimeline, previousRange, type Timeline } from '../time/buckets.js';
import type { CalendarUnit, WeekStartDay } from '../time/calendar.js';
import { parseDate, resolveDateRange } from '../time/date-range.js';
import { isValidTimeZone } from '../time/zone.js';
import { type TrendsBreakdown, trendsBreakdownOf } from './breakdowns.js';
import { type Formula, parseFormula } from './formula.js';
import { actionOf, mathOf, type NormalizedSeries } from './series.js';

// Stage 1 of trends: the validated spec -> everything resolved (dates to instants and buckets,
// math to its family, filters to one predicate per series), and the combinations we do not
// support refused with a path. Nothing here knows SQL.

export interface NormalizedTrends {
  readonly projectId: number;
  readonly timezone: string;
  readonly weekStartDay: WeekStartDay;
  readonly interval: Interval;
  readonly series: readonly NormalizedSeries[];
  readonly isTotalValue: boolean;
  readonly isCumulative: boolean;
  /**
   * `trendsFilter.smoothingIntervals`: each value is the mean of it and the n - 1 before it in
   * the range (fewer at its start), rounded down as PostHog does; 1 = none.
   */
  readonly smoothingIntervals: number;
  readonly breakdown: TrendsBreakdown | null;
  readonly formulas: ReadonlyArray<{ formula: Formula; text: string; customName: string | null }>;
  readonly current: Timeline;
  /** Set when comparing to the previous period. */
  readonly previous: Timeline | null;
}

export interface NormalizeContext {
  readonly projectId: number;
  readonly timezone: string;
  readonly nowMs: number;
  readonly weekStartDay: WeekStartDay;
  /** First event of the project, for `date_from: 'all'` (now when there is none). */
  readonly earliestEventMs?: number | null;
  readonly cohorts?: CohortPlans;
}

/** A longer axis is almost surely a mistake (a year by hour is 8,760); refuse, do not clamp. */
export const MAX_BUCKETS = 5000;

const NOMINAL_INTERVAL_MS: Readonly<Record<Interval, number>> = {
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 28 * 86_400_000,
};

export function normalizeTrends(query: TrendsQuery, ctx: NormalizeContext): NormalizedTrends {
  if (!isValidTimeZone(ctx.timezone)) throw new QueryError('invalid_query', 'timezone');
  const display = query.trendsFilter?.display ?? 'ActionsLineGraph';
  if (display === 'CalendarHeatmap')
    throw new QueryError('not_implemented', 'trendsFilter.display', 'CalendarHeatmap');
  if (query.dateRange?.explicitDate === true)
    throw new QueryError('not_implemented', 'dateRange.explicitDate');
  const isTotalValue = TOTAL_VALUE_DISPLAYS.has(display);
  const isCumulative = display === 'ActionsLineGraphCumulative';
  const globalWhere = resolveCohorts(
    toPredicate(query.properties, 'properties'),
    ctx.cohorts,
    'properties',
  );
  const aggregation = query.aggregation_group_type_index;

  const series = query.series.map((node, index): NormalizedSeries => {
    const path = `series[${index}].properties`;
    const seriesWhere = resolveCohorts(toPredicate(node.properties, path), ctx.cohorts, path);
    return {
      index,
      event: node.event ?? null,
      label: node.custom_name ?? node.name ?? node.event ?? 'All events',
      action: actionOf(node, index),
      math: mathOf(node, actorFor(aggregation), isCumulative && !isTotalValue),
      where: allOf(globalWhere, seriesWhere),
    };
  });

  const formulas = [
    ...(query.trendsFilter?.formula
      ? [{ formula: query.trendsFilter.formula, custom_name: null }]
      : []),
    ...(query.trendsFilter?.formulaNodes ?? []),
  ].map((node, i) => ({
    formula: parseFormula(
      node.formula,
      series.length,
      query.trendsFilter?.formula && i === 0
        ? 'trendsFilter.formula'
        : `trendsFilter.formulaNodes[${i}].formula`,
    ),
    text: node.formula,
    customName: node.custom_name ?? null,
  }));

  const interval = query.interval;
  const range = resolveDateRange(query.dateRange, interval, ctx);
  // Refuse before building the axis: a four-year hourly range would be 35,000 buckets.
  if ((range.toMs - range.fromMs) / NOMINAL_INTERVAL_MS[interval] > MAX_BUCKETS + 2)
    throw new QueryError('invalid_query', 'interval', `more than ${MAX_BUCKETS} intervals`);
  const current = buildTimeline(range, interval, ctx.timezone, ctx.weekStartDay);
  if (current.buckets.length > MAX_BUCKETS)
    throw new QueryError('invalid_query', 'interval', `more than ${MAX_BUCKETS} intervals`);
  const compare = query.compareFilter?.compare ?? query.trendsFilter?.compare ?? false;
  const previous = compare
    ? buildTimeline(
        previousRange(current, ctx.timezone, compareTo(query.compareFilter?.compare_to)),
        interval,
        ctx.timezone,
        ctx.weekStartDay,
      )
    : null;

  return {
    projectId: ctx.projectId,
    timezone: ctx.timezone,
    weekStartDay: ctx.weekStartDay,
    interval,
    series,
    isTotalValue,
    isCumulative,
    smoothingIntervals: query.trendsFilter?.smoothingIntervals ?? 1,
    breakdown: trendsBreakdownOf(query.breakdownFilter),
    formulas,
    current,
    previous,
  };
}

/** `compareFilter.compare_to` (`-1y`, `-4w`, ...) as a move; null: back by the range's length. */
export function compareTo(
  text: string | null | undefined,
): { unit: CalendarUnit; amount: number } | null {
  const parsed = text === null || text === undefined ? undefined : parseDate(text);
  if (parsed === undefined || parsed.kind !== 'relative') return null;
  const units = { h: 'hour', d: 'day', w: 'week', m: 'month', q: 'quarter', y: 'year' } as const;
  return { unit: units[parsed.unit], amount: parsed.amount };
}
