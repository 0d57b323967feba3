import type { PeriodAxis } from '../sql/duckdb/periods.js';
import { shift } from '../time/calendar.js';
import { fromWall, offsetSegments } from '../time/zone.js';
import type { NormalizedLifecycle } from './normalize.js';

// Stage 2 of lifecycle: one statement reading events from one period before the first bucket
// (so the first bucket's actors can be judged returning), with the period axis. Dialect-free.

export interface LifecycleStatement {
  readonly lifecycle: NormalizedLifecycle;
  readonly axis: PeriodAxis;
  /** Start of period -1. */
  readonly lookbackMs: number;
  readonly toMs: number;
  readonly periods: number;
}

const DAY_MS = 86_400_000;

export function planLifecycle(lifecycle: NormalizedLifecycle): LifecycleStatement {
  const { timeline } = lifecycle;
  const first = timeline.buckets[0];
  if (first === undefined) throw new Error('lifecycle without buckets');
  const lookbackMs =
    lifecycle.interval === 'hour'
      ? first.startMs - 3_600_000
      : fromWall(shift(first.start, lifecycle.interval, -1), lifecycle.timezone);
  return {
    lifecycle,
    axis: {
      period: lifecycle.interval,
      firstMs: first.startMs,
      firstWall: first.start,
      offsets: offsetSegments(
        lifecycle.timezone,
        lookbackMs - 2 * DAY_MS,
        timeline.toMs + 2 * DAY_MS,
      ),
    },
    lookbackMs,
    toMs: timeline.toMs,
    periods: timeline.buckets.length,
  };
}
