import { numberOf } from '../run.js';
import type { SqlRow } from '../runner.js';
import type { Timeline } from '../time/buckets.js';
import type { TrendsBreakdown } from './breakdowns.js';
import { evaluateFormula } from './formula.js';
import type { NormalizedTrends } from './normalize.js';
import type { Period, TrendsPlan } from './plan.js';
import type { TrendsAction } from './series.js';

// Stage 5 of trends: SQL rows -> PostHog's result objects. Every bucket gets a number (empty =
// 0), breakdown values come in rank order then None then Other, formulas are evaluated here per
// bucket and per breakdown value, and in total-value mode on the range aggregates.

/** Breakdown buckets that are not a value: readable, and flagged in `breakdown_bucket`. */
export const BREAKDOWN_OTHER = 'Other';
export const BREAKDOWN_NONE = 'None';

export type BreakdownBucket = 'value' | 'other' | 'none';

export interface TrendsResult {
  readonly label: string;
  /** The series; null for a formula. */
  readonly action: TrendsAction | null;
  readonly data: number[];
  readonly labels: string[];
  readonly days: string[];
  /** Sum of `data` (PostHog's count); the aggregate itself in total-value mode. */
  readonly count: number;
  /** Total-value displays: the aggregate recomputed over the whole range. */
  readonly aggregated_value?: number;
  /**
   * The breakdown value; `Other` / `None` for those buckets (see breakdown_bucket). Several
   * breakdowns: the list of values in their order, `None` where one is missing, every entry
   * `Other` (or `None`) for those buckets.
   */
  readonly breakdown_value?: string | string[];
  readonly breakdown_bucket?: BreakdownBucket;
  readonly compare?: boolean;
  readonly compare_label?: Period;
}

/** One series (or formula) in one period under one breakdown bucket: a value per bucket key. */
interface Line {
  readonly key: string;
  readonly bucket: BreakdownBucket;
  readonly value: string | null;
  readonly rank: number;
  readonly byBucket: Map<string, number>;
}

const BUCKET_ORDER: Readonly<Record<BreakdownBucket, number>> = { value: 0, none: 1, other: 2 };

export function shapeTrends(
  plan: TrendsPlan,
  rowsByStatement: readonly SqlRow[][],
): TrendsResult[] {
  const { trends } = plan;
  const results: TrendsResult[] = [];
  const periods: Array<[Period, Timeline]> = [['current', trends.current]];
  if (trends.previous !== null) periods.push(['previous', trends.previous]);
  for (const [period, timeline] of periods) {
    const linesBySeries = trends.series.map((series) => {
      const index = plan.statements.findIndex(
        (s) => s.period === period && s.seriesIndex === series.index,
      );
      return linesOf(rowsByStatement[index] ?? [], trends.breakdown !== null);
    });
    const emit = (
      label: string,
      action: TrendsAction | null,
      line: Line,
      values: number[],
    ): void => {
      results.push(resultOf(trends, timeline, period, label, action, line, values));
    };
    if (trends.formulas.length === 0) {
      trends.series.forEach((series, i) => {
        for (const line of linesBySeries[i] ?? [])
          emit(series.label, series.action, line, valuesOf(trends, timeline, line));
      });
      continue;
    }
    for (const formula of trends.formulas) {
      const label = formula.customName ?? `Formula (${formula.text})`;
      for (const line of unionOfLines(linesBySeries)) {
        const perSeries = linesBySeries.map((lines) => {
          const match = lines.find((candidate) => candidate.key === line.key);
          return match === undefined ? zeros(trends, timeline) : valuesOf(trends, timeline, match);
        });
        const values = (perSeries[0] ?? []).map((_, b) =>
          evaluateFormula(
            formula.formula,
            perSeries.map((series) => series[b] ?? 0),
          ),
        );
        emit(label, null, line, values);
      }
    }
  }
  return results;
}

function linesOf(rows: readonly SqlRow[], isBrokenDown: boolean): Line[] {
  const lines = new Map<string, Line>();
  for (const row of rows) {
    const bucket = String(row.kind) as BreakdownBucket;
    const value =
      row.breakdown_value === null || row.breakdown_value === undefined
        ? null
        : String(row.breakdown_value);
    const key = `${bucket}\u0000${value ?? ''}`;
    let line = lines.get(key);
    if (line === undefined) {
      line = { key, bucket, value, rank: numberOf(row.rank), byBucket: new Map() };
      lines.set(key, line);
    }
    line.byBucket.set(String(row.bucket), numberOf(row.value));
  }
  // Without a breakdown there is always one line, zeros when nothing happened.
  if (!isBrokenDown && lines.size === 0)
    lines.set('value\u0000', {
      key: 'value\u0000',
      bucket: 'value',
      value: null,
      rank: 0,
      byBucket: new Map(),
    });
  return [...lines.values()].sort(
    (a, b) => BUCKET_ORDER[a.bucket] - BUCKET_ORDER[b.bucket] || a.rank - b.rank,
  );
}

/** Breakdown buckets present in any series, in the first series' order, then the rest. */
function unionOfLines(linesBySeries: readonly Line[][]): Line[] {
  const seen = new Map<string, Line>();
  for (const lines of linesBySeries)
    for (const line of lines) if (!seen.has(line.key)) seen.set(line.key, line);
  return [...seen.values()].sort((a, b) => BUCKET_ORDER[a.bucket] - BUCKET_ORDER[b.bucket]);
}

function zeros(trends: NormalizedTrends, timeline: Timeline): number[] {
  return trends.isTotalValue ? [0] : timeline.buckets.map(() => 0);
}

/**
 * One number per bucket (total value: one number), smoothed (a moving mean, rounded down), then
 * cumulated for the cumulative display.
 */
function valuesOf(trends: NormalizedTrends, timeline: Timeline, line: Line): number[] {
  if (trends.isTotalValue) return [line.byBucket.get('') ?? 0];
  const raw = timeline.buckets.map((bucket) => line.byBucket.get(bucket.key) ?? 0);
  const n = trends.smoothingIntervals;
  const values =
    n <= 1
      ? raw
      : raw.map((_, i) => {
          const window = raw.slice(Math.max(0, i - n + 1), i + 1);
          return Math.floor(window.reduce((sum, v) => sum + v, 0) / window.length);
        });
  if (trends.isCumulative)
    for (let i = 1; i < values.length; i++) values[i] = (values[i] ?? 0) + (values[i - 1] ?? 0);
  return values;
}

/** How a label joins several breakdown values (`Tickets - high::pro`), as PostHog's UI does. */
const BREAKDOWN_LABEL_SEPARATOR = '::';

/**
 * A line's `breakdown_value` (trends and funnels): the value, or Other / None for those buckets;
 * several breakdowns decode the JSON key into the list of values, None where one is missing.
 */
export function breakdownValueOf(
  breakdown: TrendsBreakdown,
  bucket: BreakdownBucket,
  value: string | null,
): string | string[] {
  const bucketLabel = bucket === 'other' ? BREAKDOWN_OTHER : BREAKDOWN_NONE;
  if (!breakdown.isMultiple) return bucket === 'value' ? (value ?? '') : bucketLabel;
  if (bucket !== 'value') return breakdown.properties.map(() => bucketLabel);
  const values = JSON.parse(value ?? '[]') as Array<string | null>;
  return values.map((v) => v ?? BREAKDOWN_NONE);
}

function resultOf(
  trends: NormalizedTrends,
  timeline: Timeline,
  period: Period,
  label: string,
  action: TrendsAction | null,
  line: Line,
  values: number[],
): TrendsResult {
  const breakdown =
    trends.breakdown === null
      ? {}
      : {
          breakdown_value: breakdownValueOf(trends.breakdown, line.bucket, line.value),
          breakdown_bucket: line.bucket,
        };
  const compare = trends.previous === null ? {} : { compare: true, compare_label: period };
  const shown = breakdown.breakdown_value;
  const fullLabel =
    shown === undefined
      ? label
      : `${label} - ${Array.isArray(shown) ? shown.join(BREAKDOWN_LABEL_SEPARATOR) : shown}`;
  if (trends.isTotalValue) {
    const total = values[0] ?? 0;
    return {
      label: fullLabel,
      action,
      data: [],
      labels: [],
      days: [],
      count: total,
      aggregated_value: total,
      ...breakdown,
      ...compare,
    };
  }
  return {
    label: fullLabel,
    action,
    data: values,
    labels: timeline.buckets.map((bucket) => bucket.label),
    days: timeline.buckets.map((bucket) => bucket.day),
    count: values.reduce((sum, value) => sum + value, 0),
    ...breakdown,
    ...compare,
  };
}
