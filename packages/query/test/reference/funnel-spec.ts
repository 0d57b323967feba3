// The input of the reference funnel: a plain spec that engine tests translate PostHog's
// FunnelsQuery into (steps, window, order, exclusions, breakdown, hold-constant, aggregation).

import type { Aggregation, DateRange, EventMatcher } from './actors.js';
import type { PropertyFilter, PropertySource } from './filters.js';
import type { ExclusionRange, FunnelOrder } from './funnel-attempts.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS, WEEK_MS } from './time.js';

export type { FunnelOrder };

export type WindowUnit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month';

/** A month is 30 days, as PostHog's DATERANGE_MAP makes it for the conversion window. */
export const WINDOW_UNIT_MS: Record<WindowUnit, number> = {
  second: SECOND_MS,
  minute: MINUTE_MS,
  hour: HOUR_MS,
  day: DAY_MS,
  week: WEEK_MS,
  month: 30 * DAY_MS,
};
export const DEFAULT_FUNNEL_WINDOW = { count: 14, unit: 'day' } as const;

export interface FunnelExclusion extends EventMatcher, ExclusionRange {}

export type BreakdownAttribution =
  | { kind: 'first_touch' }
  | { kind: 'last_touch' }
  | { kind: 'step'; step: number }
  | { kind: 'all_events' };

export interface FunnelBreakdown {
  source: PropertySource;
  key: string;
  groupTypeIndex?: number;
  /**
   * Further properties (`breakdowns`): the value is then the combination, the JSON list of the
   * values (null where missing or ''), and missing only when all are.
   */
  also?: Array<{ source: PropertySource; key: string; groupTypeIndex?: number }>;
  attribution: BreakdownAttribution;
  /** Default 25. */
  limit?: number;
}

export interface FunnelSpec {
  steps: EventMatcher[];
  dateRange: DateRange;
  /** Measured from step 1. Default 14 days. */
  window?: { count: number; unit: WindowUnit };
  /** Default 'ordered'. */
  order?: FunnelOrder;
  exclusions?: FunnelExclusion[];
  breakdown?: FunnelBreakdown;
  /** Event properties every step of an attempt must share with its step 1. */
  holdConstant?: string[];
  /** Default by person. */
  aggregation?: Aggregation;
  /** Global filters: an event failing them does not exist for the funnel. */
  filters?: PropertyFilter[];
}

/** Throws on a spec the semantics do not define. */
export function validateFunnelSpec(spec: FunnelSpec): void {
  const n = spec.steps.length;
  if (n === 0) throw new Error('a funnel needs at least one step');
  for (const x of spec.exclusions ?? []) {
    if (!(x.fromStep >= 0 && x.fromStep < x.toStep && x.toStep < n))
      throw new Error('bad exclusion range');
    if (spec.order === 'unordered' && (x.fromStep !== 0 || x.toStep !== n - 1)) {
      throw new Error('unordered funnel exclusions must span the whole funnel');
    }
  }
  const attribution = spec.breakdown?.attribution;
  if (attribution?.kind === 'step') {
    if (attribution.step < 0 || attribution.step >= n) throw new Error('bad attribution step');
    if (spec.order === 'unordered' && attribution.step !== 0) {
      throw new Error('unordered funnels attribute breakdowns to the first step only');
    }
  }
}
