import type { PeriodAxis } from '../sql/duckdb/periods.js';
import { offsetSegments } from '../time/zone.js';
import type { NormalizedStickiness, NormalizedStickinessSeries } from './normalize.js';

// Stage 2 of stickiness: one statement per series over [first bucket, range end), with the
// period axis the SQL counts active units on. Dialect-free.

export interface StickinessStatement {
  readonly projectId: number;
  readonly series: NormalizedStickinessSeries;
  readonly axis: PeriodAxis;
  readonly toMs: number;
  readonly intervalsPerUnit: number;
  readonly criterion: NormalizedStickiness['criterion'];
}

export interface StickinessPlan {
  readonly stickiness: NormalizedStickiness;
  /** Units in the range: the x axis is 1..units. */
  readonly units: number;
  readonly statements: readonly StickinessStatement[];
}

const DAY_MS = 86_400_000;

export function planStickiness(stickiness: NormalizedStickiness): StickinessPlan {
  const { timeline } = stickiness;
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
  return {
    stickiness,
    units: Math.ceil(timeline.buckets.length / stickiness.intervalsPerUnit),
    statements: stickiness.series.map((series) => ({
      projectId: stickiness.projectId,
      series,
      axis,
      toMs: timeline.toMs,
      intervalsPerUnit: stickiness.intervalsPerUnit,
      criterion: stickiness.criterion,
    })),
  };
}
