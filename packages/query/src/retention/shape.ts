import { numberOf } from '../run.js';
import type { SqlRow } from '../runner.js';
import { formatDateTime, formatOffset } from '../time/calendar.js';
import { offsetMs } from '../time/zone.js';
import type { RetentionStatement } from './plan.js';

// Stage 5 of retention: rows -> PostHog's triangle, one result per cohort with its values
// `[{count}]` for periods 0 .. n-1-p (value 0 is the cohort size; §2.3).

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
}

const NAMES = { hour: 'Hour', day: 'Day', week: 'Week', month: 'Month' } as const;

export function shapeRetention(
  plan: RetentionStatement,
  rows: readonly SqlRow[],
): RetentionResult[] {
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
