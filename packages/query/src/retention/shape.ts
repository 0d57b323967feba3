import { numberOf } from '../run.js';
import type { SqlRow } from '../runner.js';
import { formatDateTime, formatOffset } from '../time/calendar.js';
import { offsetMs } from '../time/zone.js';
import { BREAKDOWN_NONE, BREAKDOWN_OTHER, type BreakdownBucket } from '../trends/shape.js';
import type { RetentionStatement } from './plan.js';

// Stage 5 of retention: rows -> PostHog's triangle, one result per cohort with its values
// `[{count}]` for periods 0 .. n-1-p (value 0 is the cohort size; §2.3). Broken down, PostHog's
// flat list: a whole triangle per breakdown bucket, each row with its `breakdown_value`; kept
// values in rank order, then None, then Other (as trends), only buckets with a cohort entry.

export interface RetentionValue {
  readonly count: number;
  /** `Day 1`, `Week 2`... */
  readonly label: string;
}

export interface RetentionResult {
  /** Start of the cohort's period in the project's zone: `2024-03-04T00:00:00+01:00`. */
  readonly date: string;
  /** `Day 0`, `Week 3`... */
  readonly label: string;
  readonly values: RetentionValue[];
  /** The breakdown value; `Other` / `None` for those buckets (see breakdown_bucket). */
  readonly breakdown_value?: string;
  readonly breakdown_bucket?: BreakdownBucket;
}

const NAMES = { hour: 'Hour', day: 'Day', week: 'Week', month: 'Month' } as const;
const BUCKET_ORDER: Readonly<Record<BreakdownBucket, number>> = { value: 0, none: 1, other: 2 };

export function shapeRetention(
  plan: RetentionStatement,
  rows: readonly SqlRow[],
): RetentionResult[] {
  if (plan.retention.breakdown === null) return triangle(plan, rows);
  const lines = new Map<
    string,
    { bucket: BreakdownBucket; value: string; rank: number; rows: SqlRow[] }
  >();
  for (const row of rows) {
    const bucket = String(row.bucket) as BreakdownBucket;
    const value =
      bucket === 'value'
        ? String(row.breakdown_value)
        : bucket === 'other'
          ? BREAKDOWN_OTHER
          : BREAKDOWN_NONE;
    const key = `${bucket}\u0000${value}`;
    let line = lines.get(key);
    if (line === undefined) {
      line = { bucket, value, rank: numberOf(row.rank), rows: [] };
      lines.set(key, line);
    }
    line.rows.push(row);
  }
  return [...lines.values()]
    .sort((a, b) => BUCKET_ORDER[a.bucket] - BUCKET_ORDER[b.bucket] || a.rank - b.rank)
    .flatMap((line) =>
      triangle(plan, line.rows).map((result) => ({
        ...result,
        breakdown_value: line.value,
        breakdown_bucket: line.bucket,
      })),
    );
}

/** One triangle from rows `(kind, cohort, k, n)`. */
function triangle(plan: RetentionStatement, rows: readonly SqlRow[]): RetentionResult[] {
  const { retention } = plan;
  const n = retention.totalIntervals;
  const grid = Array.from({ length: n }, (_, p) => new Array<number>(n - p).fill(0));
  for (const row of rows) {
    const cohort = grid[numberOf(row.cohort)];
    const k = numberOf(row.k);
    if (cohort === undefined || k >= cohort.length) continue;
    cohort[k] = (cohort[k] ?? 0) + numberOf(row.n);
  }
  // Cumulative rows count each actor once, at its last return: "on or after k" is a suffix sum.
  if (retention.cumulative)
    for (const cohort of grid)
      for (let k = cohort.length - 2; k >= 1; k--)
        cohort[k] = (cohort[k] ?? 0) + (cohort[k + 1] ?? 0);
  const name = NAMES[retention.period];
  return grid.map((values, p) => {
    const startMs = retention.boundariesMs[p] ?? 0;
    const wall = retention.starts[p];
    const local = wall === undefined ? '' : formatDateTime({ ...wall, ms: 0 }).replace(' ', 'T');
    return {
      date: `${local}${formatOffset(offsetMs(startMs, retention.timezone))}`,
      label: `${name} ${p}`,
      values: values.map((count, k) => ({ count, label: `${name} ${k}` })),
    };
  });
}
