// Reference drill-down for trends (§2.1 "drill into the actors behind any data point"): the
// actors whose units (events, or first-time events) make one point, with how many units each.
// Built on the trends reference's own units, periods and breakdown ranking (trends.ts).
//
// Decisions the engine must match:
// - a point is a series, a period (current / previous), a bucket (ignored in total-value mode)
//   and, with a breakdown, a bucket of it: a kept value, None or Other;
// - the cumulative display's point at bucket b is made by the units of buckets 0..b;
// - maths that count actors list them; the others list the actors whose units count: every
//   unit for total, those with a number for property maths, with a session for unique_session;
// - weekly/monthly active: the units inside the point's window(s); their count is per unit.

import type { Dataset } from '../dataset.js';
import { type WeekStart, zonedParts, zonedToUtc } from './time.js';
import {
  keptValues,
  type RefTrendsQuery,
  referencePeriods,
  referenceSeriesUnits,
} from './trends.js';
import type { Unit } from './trends-math.js';
import { windowOf } from './trends-time.js';

export interface RefTrendsPoint {
  series: number;
  compare: 'current' | 'previous';
  /** Index into the period's buckets; ignored in total-value mode. */
  bucket: number;
  breakdown: { bucket: 'value'; value: string } | { bucket: 'none' } | { bucket: 'other' } | null;
}

const TOTAL_DISPLAYS = new Set([
  'BoldNumber',
  'ActionsPie',
  'ActionsBarValue',
  'ActionsTable',
  'WorldMap',
]);

/** Actor -> units behind the point. */
export function referenceTrendsActors(
  dataset: Dataset,
  query: RefTrendsQuery,
  ctx: { timezone: string; weekStart: WeekStart },
  point: RefTrendsPoint,
): Map<string, number> {
  const period = referencePeriods(query, ctx).find(([label]) => label === point.compare)?.[1];
  if (period === undefined) throw new Error('no such period');
  const series = referenceSeriesUnits(dataset, query, period, ctx)[point.series];
  if (series === undefined) throw new Error('no such series');
  const { math, units } = series;
  const isTotal = TOTAL_DISPLAYS.has(query.trendsFilter?.display ?? '');
  const isCumulative = query.trendsFilter?.display === 'ActionsLineGraphCumulative' && !isTotal;

  let inBucket: Unit[] = units;
  const breakdown = point.breakdown;
  if (breakdown !== null) {
    const kept = new Set(keptValues(math, units, period, query, ctx.timezone));
    inBucket = units.filter((u) =>
      breakdown.bucket === 'value'
        ? u.breakdown === breakdown.value && kept.has(breakdown.value)
        : breakdown.bucket === 'none'
          ? u.breakdown === null
          : u.breakdown !== null &&
            !kept.has(u.breakdown) &&
            query.breakdownFilter?.breakdown_hide_other_aggregation !== true,
    );
  }

  const { starts, toMs } = period;
  const chosen: number[] = isCumulative
    ? Array.from({ length: point.bucket + 1 }, (_, i) => i)
    : [point.bucket];
  let made: Unit[];
  if (math.kind === 'active') {
    const windows: Array<[string, string]> = isTotal
      ? [totalWindow(toMs, math.days, ctx.timezone)]
      : chosen.map((b) => windowOf(starts[b] ?? 0, math.days, ctx.timezone));
    // A unit counts once per window it falls in (the engine joins windows to events).
    made = windows.flatMap(([from, to]) =>
      inBucket.filter((u) => u.actor !== null && u.wall >= from && u.wall < to && u.ts < toMs),
    );
  } else {
    const first = starts[0] ?? toMs;
    const inRange = inBucket.filter((u) => u.ts >= first && u.ts < toMs);
    const bucketOf = (ts: number): number => {
      let i = 0;
      while (i + 1 < starts.length && (starts[i + 1] ?? Infinity) <= ts) i++;
      return i;
    };
    const wanted = new Set(chosen);
    made = isTotal ? inRange : inRange.filter((u) => wanted.has(bucketOf(u.ts)));
    if (math.kind === 'property') made = made.filter((u) => u.value !== undefined);
    if (math.kind === 'unique_sessions') made = made.filter((u) => u.session !== null);
  }
  const counts = new Map<string, number>();
  for (const u of made) if (u.actor !== null) counts.set(u.actor, (counts.get(u.actor) ?? 0) + 1);
  return counts;
}

function totalWindow(toMs: number, days: number, timezone: string): [string, string] {
  const last = zonedParts(toMs - 1, timezone);
  const lastDay = zonedToUtc({ year: last.year, month: last.month, day: last.day }, timezone);
  return windowOf(lastDay, days, timezone);
}
