import { QueryError } from '../errors.js';
import { FUNNEL_NULL_BUCKET, FUNNEL_OTHER_BUCKET, type FunnelStatement } from '../funnels/plan.js';
import type { LifecycleStatus } from '../lifecycle/normalize.js';
import type { LifecycleStatement } from '../lifecycle/plan.js';
import type { Actor } from '../plan/actor.js';
import type { RetentionStatement } from '../retention/plan.js';
import type { InsightActorsQuery } from '../spec/insights.js';
import type { StickinessStatement } from '../stickiness/plan.js';
import type { Timeline } from '../time/buckets.js';
import type { TrendsBreakdown } from '../trends/breakdowns.js';
import type { TrendsStatement } from '../trends/plan.js';

// Part of the actors plan stage: the data point of an InsightActorsQuery (day, series,
// breakdown, compare, funnelStep, interval, status) resolved against the insight's own plan,
// so the point names a statement of that plan and a bucket of its timeline.

/** A breakdown bucket of a trends or funnel result. */
export type BreakdownSelection =
  | { readonly bucket: 'value'; readonly value: string }
  | { readonly bucket: 'none' }
  | { readonly bucket: 'other' };

/** PostHog's sentinels, also accepted in place of the `Other` / `None` labels. */
const OTHER_LABELS = new Set(['Other', FUNNEL_OTHER_BUCKET]);
const NONE_LABELS = new Set(['None', FUNNEL_NULL_BUCKET]);

/**
 * A bucket of a trends result: also, with several breakdowns, a kept combination named by its
 * values in order (null where the value is missing: `None` in the result).
 */
export type TrendsBreakdownSelection =
  | BreakdownSelection
  | { readonly bucket: 'combination'; readonly values: ReadonlyArray<string | null> };

type Selector = InsightActorsQuery['breakdown'];

/** `breakdown` -> the bucket it names; null when absent. A list names one breakdown's value. */
export function breakdownSelection(
  selector: Selector,
  path = 'source.breakdown',
): BreakdownSelection | null {
  if (selector === null || selector === undefined) return null;
  if (Array.isArray(selector) && selector.length > 1)
    throw new QueryError('invalid_query', path, 'one value: the insight has one breakdown');
  const raw = Array.isArray(selector) ? selector[0] : selector;
  if (raw === undefined) return null;
  const text = String(raw);
  if (OTHER_LABELS.has(text)) return { bucket: 'other' };
  if (NONE_LABELS.has(text)) return { bucket: 'none' };
  return { bucket: 'value', value: text };
}

/**
 * A trends point's `breakdown` (or a funnel's `funnelStepBreakdown`, at `path`): with several
 * breakdowns, the result's `breakdown_value` list (one entry per breakdown; every entry Other,
 * or None, names that bucket; a None entry alone is a missing value in that position, as the
 * result shows it).
 */
export function trendsBreakdownSelection(
  selector: Selector,
  breakdown: TrendsBreakdown | null,
  path = 'source.breakdown',
): TrendsBreakdownSelection | null {
  if (breakdown === null || !breakdown.isMultiple) return breakdownSelection(selector, path);
  if (selector === null || selector === undefined) return null;
  const list = Array.isArray(selector) ? selector : [selector];
  if (list.length !== breakdown.properties.length)
    throw new QueryError('invalid_query', path, 'one value per breakdown');
  const entries = list.map((raw) => breakdownSelection(raw, path));
  if (entries.every((e) => e?.bucket === 'other')) return { bucket: 'other' };
  if (entries.every((e) => e?.bucket === 'none')) return { bucket: 'none' };
  if (entries.some((e) => e?.bucket === 'other'))
    throw new QueryError('invalid_query', path, 'Other names the whole bucket');
  return {
    bucket: 'combination',
    values: entries.map((e) => (e?.bucket === 'value' ? e.value : null)),
  };
}

/** The bucket of a timeline that `day` names: its `days` entry, its key or its label. */
export function bucketIndexOf(
  timeline: Timeline,
  day: string | number | null | undefined,
  path: string,
): number {
  if (day === null || day === undefined)
    throw new QueryError('invalid_query', path, 'the bucket of the data point is needed');
  const text = String(day);
  const index = timeline.buckets.findIndex(
    (b) =>
      b.day === text ||
      b.key === text ||
      b.label === text ||
      b.day.startsWith(`${text}T`) ||
      text.startsWith(`${b.key} `),
  );
  if (index < 0) throw new QueryError('invalid_query', path, 'not a bucket of the insight');
  return index;
}

export type ActorsPoint =
  | {
      readonly kind: 'trends';
      readonly statement: TrendsStatement;
      /** The bucket key (`''` in total-value mode). */
      readonly bucketKey: string;
      /** Cumulative display: the point is the sum of the buckets up to and including it. */
      readonly upTo: boolean;
      readonly breakdown: TrendsBreakdownSelection | null;
    }
  | {
      readonly kind: 'funnels';
      readonly statement: FunnelStatement;
      /** 1-based; negative = dropped off before that step (reached the one before, not it). */
      readonly funnelStep: number;
      /** The bucket of `b_best.key`; null = every bucket. */
      readonly breakdown: TrendsBreakdownSelection | null;
      /** Funnel trends: the 1-based entry bucket, and converters or those who dropped. */
      readonly entry: { readonly bucket: number; readonly dropOff: boolean } | null;
    }
  | {
      readonly kind: 'retention';
      readonly statement: RetentionStatement;
      readonly cohort: number;
      /** Periods after the cohort's; 0 = the cohort itself. */
      readonly offset: number;
    }
  | {
      readonly kind: 'stickiness';
      readonly statement: StickinessStatement;
      /** Active units; with `orMore` (cumulative) at least that many. */
      readonly active: number;
      readonly orMore: boolean;
    }
  | {
      readonly kind: 'lifecycle';
      readonly statement: LifecycleStatement;
      readonly period: number;
      readonly status: LifecycleStatus;
    }
  | {
      /** No source: every person (or tenant of one type) the project has, events or not. */
      readonly kind: 'all';
      readonly projectId: number;
    };

/** Who the listed actors are: persons (personless ids allowed for trends) or one group type. */
export interface ActorsTarget {
  readonly actor: Actor;
  /** Trends count a personless event as its distinct id; the other insights skip it. */
  readonly allowsPersonless: boolean;
}
