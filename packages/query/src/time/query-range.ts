import { QueryError } from '../errors.js';
import type { DateRange, Interval } from '../spec/nodes.js';
import { buildTimeline, type Timeline } from './buckets.js';
import { type DateContext, resolveDateRange } from './date-range.js';

// A query's dateRange -> its timeline, for the insights that read dates as trends does
// (stickiness, lifecycle). `date_from: 'all'` starts at the project's first event.

/** A longer axis is almost surely a mistake; refuse, do not clamp (as trends). */
export const MAX_PERIODS = 5000;

export function queryTimeline(
  dateRange: DateRange | null | undefined,
  interval: Interval,
  ctx: DateContext & { readonly earliestEventMs?: number | null | undefined },
): Timeline {
  if (dateRange?.explicitDate === true)
    throw new QueryError('not_implemented', 'dateRange.explicitDate');
  const range = resolveDateRange(dateRange, interval, ctx);
  const nominal = { hour: 3_600_000, day: 86_400_000, week: 604_800_000, month: 2_419_200_000 };
  if ((range.toMs - range.fromMs) / nominal[interval] > MAX_PERIODS + 2)
    throw new QueryError('invalid_query', 'interval', `more than ${MAX_PERIODS} intervals`);
  return buildTimeline(range, interval, ctx.timezone, ctx.weekStartDay);
}
