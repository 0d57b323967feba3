import { numberOf } from '../run.js';
import type { SqlRow } from '../runner.js';
import { type BreakdownBucket, breakdownValueOf } from '../trends/shape.js';
import { FUNNEL_NULL_BUCKET, FUNNEL_OTHER_BUCKET, type FunnelPlan } from './plan.js';

// Stage 5 of funnels: the statement's rows (see sql/duckdb/funnels.ts) ->
// PostHog's list of steps, or a list of such lists when broken down (kept values by actors at
// step 1, ties by value, then None, then Other).

export interface FunnelStepResult {
  readonly action_id: string | null;
  readonly name: string;
  readonly custom_name: string | null;
  readonly order: number;
  /** Actors whose best attempt reached this step. */
  readonly count: number;
  readonly type: 'events';
  /** Seconds from the previous step over actors who reached this one; null on step 1 or none. */
  readonly average_conversion_time: number | null;
  readonly median_conversion_time: number | null;
  /**
   * The breakdown value; `Other` / `None` for those buckets (see breakdown_bucket). With several
   * breakdowns, the list of their values (`None` where one is missing), as in trends.
   */
  readonly breakdown_value?: string | string[];
  readonly breakdown_bucket?: BreakdownBucket;
}

/** `funnelVizType: 'time_to_convert'`: seconds between the two steps, and their histogram. */
export interface TimeToConvertResult {
  readonly average_conversion_time: number | null;
  readonly median_conversion_time: number | null;
  /** `[bin start in seconds, actors]`; bins start at the shortest time, the longest in the last. */
  readonly bins: Array<[number, number]>;
}

/** `funnelVizType: 'trends'`: conversion rate (percent) by the interval actors entered in. */
export interface FunnelTrendsResult {
  readonly count: number;
  readonly data: number[];
  readonly days: string[];
  readonly labels: string[];
}

export type FunnelResults =
  | FunnelStepResult[]
  | FunnelStepResult[][]
  | TimeToConvertResult
  | FunnelTrendsResult[];

export function shapeFunnel(plan: FunnelPlan, rows: readonly SqlRow[]): FunnelResults {
  const view = plan.funnel.view;
  if (view.kind === 'time_to_convert') return timeToConvert(rows[0] ?? {}, view.binCount);
  if (view.kind === 'trends') {
    const byBucket = new Map(rows.map((row) => [numberOf(row.bucket), row]));
    const buckets = view.timeline.buckets;
    const data = buckets.map((_, i) => {
      const row = byBucket.get(i + 1);
      const entered = numberOf(row?.entered);
      return entered === 0 ? 0 : (numberOf(row?.converted) / entered) * 100;
    });
    return [
      {
        count: buckets.length,
        data,
        days: buckets.map((b) => b.day),
        labels: buckets.map((b) => b.label),
      },
    ];
  }
  const { breakdown } = plan.funnel;
  if (breakdown === null) return stepsOf(plan, rows[0] ?? {});
  const keyOf = (row: SqlRow): string => String(row.breakdown_value);
  const rank = (key: string): number =>
    key === FUNNEL_OTHER_BUCKET ? 2 : key === FUNNEL_NULL_BUCKET ? 1 : 0;
  const sorted = [...rows]
    .filter((row) => !(breakdown.hideOther && keyOf(row) === FUNNEL_OTHER_BUCKET))
    .sort((a, b) => {
      const [ka, kb] = [keyOf(a), keyOf(b)];
      return (
        rank(ka) - rank(kb) || numberOf(b.c0) - numberOf(a.c0) || (ka < kb ? -1 : ka > kb ? 1 : 0)
      );
    });
  return sorted.map((row) => {
    const key = keyOf(row);
    const bucket: BreakdownBucket =
      key === FUNNEL_OTHER_BUCKET ? 'other' : key === FUNNEL_NULL_BUCKET ? 'none' : 'value';
    const value = breakdownValueOf(breakdown, bucket, key);
    return stepsOf(plan, row).map((step) => ({
      ...step,
      breakdown_value: value,
      breakdown_bucket: bucket,
    }));
  });
}

function stepsOf(plan: FunnelPlan, row: SqlRow): FunnelStepResult[] {
  const seconds = (value: unknown): number | null =>
    value === null || value === undefined ? null : numberOf(value) / 1000;
  return plan.funnel.steps.map((step, k) => ({
    action_id: step.event,
    name: step.name,
    custom_name: step.customName,
    order: k,
    count: numberOf(row[`c${k}`]),
    type: 'events',
    average_conversion_time: k === 0 ? null : seconds(row[`avg${k}`]),
    median_conversion_time: k === 0 ? null : seconds(row[`med${k}`]),
  }));
}

function timeToConvert(row: SqlRow, binCount: number): TimeToConvertResult {
  const seconds = (value: unknown): number | null =>
    value === null || value === undefined ? null : numberOf(value) / 1000;
  const times = Array.isArray(row.times) ? row.times.map(numberOf) : [];
  return {
    average_conversion_time: seconds(row.avg_ms),
    median_conversion_time: seconds(row.med_ms),
    bins: histogram(times, binCount).map(([fromMs, n]) => [fromMs / 1000, n]),
  };
}

/** `binCount` bins `max(1 ms, ceil((max - min) / binCount))` wide from the shortest time. */
function histogram(times: readonly number[], binCount: number): Array<[number, number]> {
  if (times.length === 0) return [];
  // A loop, not Math.min(...times): a spread of 100k+ arguments overflows the stack.
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const t of times) {
    min = Math.min(min, t);
    max = Math.max(max, t);
  }
  const width = Math.max(1, Math.ceil((max - min) / binCount));
  const bins: Array<[number, number]> = Array.from({ length: binCount }, (_, i) => [
    min + i * width,
    0,
  ]);
  for (const t of times) {
    const bin = bins[Math.min(binCount - 1, Math.floor((t - min) / width))];
    if (bin !== undefined) bin[1] += 1;
  }
  return bins;
}
