import type { PeriodAxis } from '../sql/duckdb/periods.js';
import type { Timeline } from '../time/buckets.js';
import { offsetSegments } from '../time/zone.js';
import type { NormalizedStickiness, NormalizedStickinessSeries } from './normalize.js';

// Stage 2 of stickiness: one statement per series over [first bucket, range end), with the
// period axis the SQL counts active units on. Dialect-free.

export interface StickinessStatement {
  readonly projectId: number;
  readonly series: NormalizedStickinessSeries;
  /** `previous` only when comparing: the same series over the previous range. */
  readonly period: 'current' | 'previous';
  readonly axis: PeriodAxis;
  readonly toMs: number;
  readonly intervalsPerUnit: number;
  readonly criterion: NormalizedStickiness['criterion'];
  /** Units in the statement's range: its x axis is 1..units. */
  readonly units: number;
}

export interface StickinessPlan {
  readonly stickiness: NormalizedStickiness;
  /** Every series over the range, then (comparing) every series over the previous range. */
  readonly statements: readonly StickinessStatement[];
}

const DAY_MS = 86_400_000;

export function planStickiness(stickiness: NormalizedStickiness): StickinessPlan {
  const periods: Array<['current' | 'previous', Timeline]> = [['current', stickiness.timeline]];
  if (stickiness.previous !== null) periods.push(['previous', stickiness.previous]);
  const statements = periods.flatMap(([period, timeline]) => {
    const first = timeline.buckets[0];
    if (first === undefined) throw new Error('stickiness without buckets');
    const axis: PeriodAxis = {
      period: stickiness.interval,
      firstMs: first.startMs,
      firstWall: first.start,
      offsets: offsetSegments(
        stickiness.timezone,
        first.startMs - 2 * DAY_MS,
        timeline.toMs + 2 * DAY_MS,
      ),
    };
    const units = Math.ceil(timeline.buckets.length / stickiness.intervalsPerUnit);
    return stickiness.series.map((series) => ({
      projectId: stickiness.projectId,
      series,
      period,
      axis,
      toMs: timeline.toMs,
      intervalsPerUnit: stickiness.intervalsPerUnit,
      criterion: stickiness.criterion,
      units,
    }));
  });
  return { stickiness, statements };
}
