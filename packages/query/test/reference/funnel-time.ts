// Reference funnel views over time (§2.2): time to convert between two steps of each actor's best
// attempt (mean, median, histogram), and conversion trends by the interval of entry.
//
// Decisions: the histogram takes its bin count as input; bins are `width = max(1 ms,
// ceil((max - min) / binCount))` wide starting at the smallest time, and the largest time falls
// in the last bin. Funnel trends judge each actor once per entry bucket, by the best of the
// attempts entered in that bucket (void -> not counted in that bucket); every bucket of the range
// is reported, an empty one with rate 0.

import type { Dataset } from '../dataset.js';
import { inRange, mean, median } from './actors.js';
import { indexDataset } from './filters.js';
import { actorFunnelEvents, attemptRules, type FunnelSpec, funnelOutcomes } from './funnel.js';
import { type Attempt, bestAttempt, levelOf, runAttempts } from './funnel-attempts.js';
import {
  bucketStart,
  bucketStarts,
  DEFAULT_WEEK_START,
  type Interval,
  type WeekStart,
} from './time.js';

export interface TimeToConvertOptions {
  /** 0-based; default 0. */
  fromStep?: number;
  /** 0-based; default the last step. */
  toStep?: number;
  binCount: number;
}

export interface TimeToConvertResult {
  averageMs: number | null;
  medianMs: number | null;
  /** Actors whose best attempt reached `toStep`. */
  count: number;
  bins: { fromMs: number; count: number }[];
}

export function evaluateTimeToConvert(
  dataset: Dataset,
  spec: FunnelSpec,
  options: TimeToConvertOptions,
): TimeToConvertResult {
  const from = options.fromStep ?? 0;
  const to = options.toStep ?? spec.steps.length - 1;
  if (!(from >= 0 && from < to && to < spec.steps.length)) throw new Error('bad step range');
  // Time to convert ignores breakdowns.
  const { breakdown, ...plain } = spec;
  const times = funnelOutcomes(dataset, plain)
    .filter((o) => levelOf(o.attempt) > to)
    .map((o) => (o.attempt.stepMs[to] ?? 0) - (o.attempt.stepMs[from] ?? 0));
  return {
    averageMs: mean(times),
    medianMs: median(times),
    count: times.length,
    bins: histogram(times, options.binCount),
  };
}

export function histogram(
  times: readonly number[],
  binCount: number,
): { fromMs: number; count: number }[] {
  if (times.length === 0) return [];
  const min = Math.min(...times);
  const max = Math.max(...times);
  const width = Math.max(1, Math.ceil((max - min) / binCount));
  const bins = Array.from({ length: binCount }, (_, i) => ({ fromMs: min + i * width, count: 0 }));
  for (const t of times) {
    const bin = bins[Math.min(binCount - 1, Math.floor((t - min) / width))];
    if (bin !== undefined) bin.count += 1;
  }
  return bins;
}

export interface FunnelTrendsOptions {
  interval: Interval;
  timezone: string;
  weekStart?: WeekStart;
  /** 0-based step that counts as converted; default the last step. */
  toStep?: number;
}

export interface FunnelTrendsPoint {
  bucketStartMs: number;
  /** Actors with a counted attempt entered in this bucket. */
  entered: number;
  /** Of those, actors whose best such attempt reached `toStep`. */
  converted: number;
  /** converted / entered, 0 when nobody entered. */
  conversionRate: number;
  /** The actors behind `entered` and `converted`, sorted. */
  enteredActorIds: string[];
  convertedActorIds: string[];
}

export function evaluateFunnelTrends(
  dataset: Dataset,
  spec: FunnelSpec,
  options: FunnelTrendsOptions,
): FunnelTrendsPoint[] {
  const weekStart = options.weekStart ?? DEFAULT_WEEK_START;
  const to = options.toStep ?? spec.steps.length - 1;
  const rules = attemptRules(spec);
  const starts = bucketStarts(
    spec.dateRange.fromMs,
    spec.dateRange.toMs,
    options.interval,
    options.timezone,
    weekStart,
  );
  const points = new Map<number, FunnelTrendsPoint>(
    starts.map((s) => [
      s,
      {
        bucketStartMs: s,
        entered: 0,
        converted: 0,
        conversionRate: 0,
        enteredActorIds: [],
        convertedActorIds: [],
      },
    ]),
  );
  for (const [actor, events] of actorFunnelEvents(indexDataset(dataset), spec)) {
    const byBucket = new Map<number, Attempt[]>();
    for (const attempt of runAttempts(events, rules)) {
      if (!inRange(attempt.entryMs, spec.dateRange)) continue;
      const bucket = bucketStart(attempt.entryMs, options.interval, options.timezone, weekStart);
      byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), attempt]);
    }
    for (const [bucket, attempts] of byBucket) {
      const best = bestAttempt(attempts);
      const point = points.get(bucket);
      if (best === undefined || best.isVoid || point === undefined) continue;
      point.entered += 1;
      point.enteredActorIds.push(actor);
      if (levelOf(best) > to) {
        point.converted += 1;
        point.convertedActorIds.push(actor);
      }
    }
  }
  return [...points.values()].map((p) => ({
    ...p,
    conversionRate: p.entered === 0 ? 0 : p.converted / p.entered,
    enteredActorIds: [...p.enteredActorIds].sort(),
    convertedActorIds: [...p.convertedActorIds].sort(),
  }));
}
