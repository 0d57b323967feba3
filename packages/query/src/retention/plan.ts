import { type OffsetSegment, offsetSegments } from '../time/zone.js';
import type { NormalizedRetention } from './normalize.js';

// Stage 2 of retention: one statement over the whole triangle, with the instants that bound it
// and the zone offsets the SQL turns UTC into wall time with. Dialect-free: sql/<dialect>/
// retention.ts renders it into rows `(kind, cohort, k, n)`, with a breakdown `(kind, bucket,
// breakdown_value, rank, cohort, k, n)`.

/** One breakdown bucket: a kept value, None (missing or '') or Other (values past the limit). */
export type RetentionBreakdownBucket =
  | { readonly bucket: 'value'; readonly value: string }
  | { readonly bucket: 'none' }
  | { readonly bucket: 'other' };

export interface RetentionStatement {
  readonly retention: NormalizedRetention;
  /** First instant of cohort 0. */
  readonly firstMs: number;
  /** End of the last period: start events after it are ignored, and calendar returns too. */
  readonly endMs: number;
  /**
   * Returns are read up to here: endMs, or with rolling windows (length L) past it, as far as
   * the cohorts' windows reach. Cohort p's last window ends (n - p)·L after a start inside
   * period p: at most L past endMs, plus the hours DST changes took from the calendar periods in
   * between, which one more day covers.
   */
  readonly returnsEndMs: number;
  /** Start events are read from all history for first-time types (the first ever is wanted). */
  readonly scansHistory: boolean;
  readonly offsets: readonly OffsetSegment[];
  /**
   * With a breakdown, the actors drill-down's bucket: `starts` then holds only the cohort
   * entries in it (null = every entry, the chart's own statement).
   */
  readonly bucket: RetentionBreakdownBucket | null;
}

export interface RetentionPlanOptions {
  readonly bucket?: RetentionBreakdownBucket | null;
}

const DAY_MS = 86_400_000;

export function planRetention(
  retention: NormalizedRetention,
  options: RetentionPlanOptions = {},
): RetentionStatement {
  const firstMs = retention.boundariesMs[0] ?? 0;
  const endMs = retention.boundariesMs[retention.boundariesMs.length - 1] ?? firstMs;
  return {
    retention,
    firstMs,
    endMs,
    returnsEndMs: retention.windowMs === null ? endMs : endMs + retention.windowMs + DAY_MS,
    scansHistory: retention.retentionType !== 'recurring',
    offsets: offsetSegments(retention.timezone, firstMs - 2 * DAY_MS, endMs + 2 * DAY_MS),
    bucket: retention.breakdown === null ? null : (options.bucket ?? null),
  };
}
