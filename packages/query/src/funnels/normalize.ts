import { resolveCohorts } from '../cohorts/filters.js';
import type { CohortPlans } from '../cohorts/plan.js';
import { QueryError } from '../errors.js';
import { type Actor, actorFor } from '../plan/actor.js';
import { type Predicate, toPredicate } from '../plan/predicates.js';
import type { FunnelsQuery } from '../spec/insights.js';
import type { EventsNode } from '../spec/nodes.js';
import { buildTimeline, type Timeline } from '../time/buckets.js';
import type { WeekStartDay } from '../time/calendar.js';
import { resolveDateRange } from '../time/date-range.js';
import { isValidTimeZone } from '../time/zone.js';
import { type TrendsBreakdown, trendsBreakdownOf } from '../trends/breakdowns.js';
import { MAX_BUCKETS } from '../trends/normalize.js';

// Stage 1 of funnels: the validated spec -> steps and exclusions as predicates, the date range
// as instants, the conversion window in ms (§2.2); options not built yet are refused with a path.

export type FunnelOrder = 'ordered' | 'strict' | 'unordered';

/** PostHog's DATERANGE_MAP: a month is 30 days for the conversion window. */
export const FUNNEL_WINDOW_UNIT_MS = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
} as const;
export const DEFAULT_FUNNEL_WINDOW = { interval: 14, unit: 'day' } as const;

export interface FunnelStep {
  /** Event name; null = any event. */
  readonly event: string | null;
  readonly where: Predicate | null;
  readonly name: string;
  readonly customName: string | null;
}

export interface FunnelExclusionStep {
  readonly event: string | null;
  readonly where: Predicate | null;
  /** 0-based: the attempt reached this step strictly before the excluded event... */
  readonly fromStep: number;
  /** ...and had not reached this one. */
  readonly toStep: number;
}

export type FunnelAttribution =
  | { readonly kind: 'first_touch' | 'last_touch' | 'all_events' }
  | { readonly kind: 'step'; readonly step: number };

/**
 * One property, or several (`breakdownFilter.breakdowns`) whose combination of values is one
 * breakdown value, as in trends.
 */
export interface FunnelBreakdown extends TrendsBreakdown {
  readonly attribution: FunnelAttribution;
}

/** Bins of the time-to-convert histogram when `binCount` is not given. */
export const DEFAULT_TIME_TO_CONVERT_BINS = 10;

/** What the funnel answers: step counts, time between two steps, or conversion by entry date. */
export type FunnelView =
  | { readonly kind: 'steps' }
  | {
      readonly kind: 'time_to_convert';
      readonly fromStep: number;
      readonly toStep: number;
      readonly binCount: number;
    }
  | { readonly kind: 'trends'; readonly toStep: number; readonly timeline: Timeline };

export interface NormalizedFunnel {
  readonly projectId: number;
  readonly fromMs: number;
  /** Exclusive; every step must happen in [fromMs, toMs). */
  readonly toMs: number;
  readonly actor: Actor;
  readonly order: FunnelOrder;
  readonly windowMs: number;
  readonly steps: readonly FunnelStep[];
  readonly exclusions: readonly FunnelExclusionStep[];
  /** Global filters: an event failing them does not exist for the funnel. */
  readonly where: Predicate | null;
  readonly breakdown: FunnelBreakdown | null;
  /** Event properties every step of an attempt must share with its entry (as text, not null). */
  readonly holdConstant: readonly string[];
  readonly view: FunnelView;
}

export interface FunnelNormalizeContext {
  readonly projectId: number;
  readonly timezone: string;
  readonly nowMs: number;
  readonly weekStartDay: WeekStartDay;
  readonly earliestEventMs?: number | null;
  readonly cohorts?: CohortPlans;
}

export function normalizeFunnel(
  query: FunnelsQuery,
  ctx: FunnelNormalizeContext,
): NormalizedFunnel {
  if (!isValidTimeZone(ctx.timezone)) throw new QueryError('invalid_query', 'timezone');
  const filter = query.funnelsFilter ?? {};
  refuseUnbuilt(query);
  const order = filter.funnelOrderType ?? 'ordered';
  const steps = query.series.map((node, i) => ({
    ...matcher(node, `series[${i}]`, ctx.cohorts),
    name: node.event ?? 'All events',
    customName: node.custom_name ?? null,
  }));
  const exclusions = (filter.exclusions ?? []).map((x, i) => {
    const path = `funnelsFilter.exclusions[${i}]`;
    if (x.funnelFromStep >= x.funnelToStep || x.funnelToStep >= steps.length)
      throw new QueryError('invalid_query', path, 'expected funnelFromStep < funnelToStep < steps');
    if (order === 'unordered' && (x.funnelFromStep !== 0 || x.funnelToStep !== steps.length - 1))
      throw new QueryError('invalid_query', path, 'unordered exclusions must span the funnel');
    return { ...matcher(x, path, ctx.cohorts), fromStep: x.funnelFromStep, toStep: x.funnelToStep };
  });
  const where = resolveCohorts(
    toPredicate(query.properties, 'properties'),
    ctx.cohorts,
    'properties',
  );
  // Day-aligned [from, to) in the project's zone, as trends resolves a day interval.
  const range = resolveDateRange(query.dateRange, 'day', ctx);
  const view = funnelView(query, steps.length, range, ctx);
  const unit = filter.funnelWindowIntervalUnit ?? DEFAULT_FUNNEL_WINDOW.unit;
  const interval = filter.funnelWindowInterval ?? DEFAULT_FUNNEL_WINDOW.interval;
  return {
    projectId: ctx.projectId,
    // Funnel trends count from the start of the first bucket, as trends do.
    fromMs: view.kind === 'trends' ? view.timeline.fromMs : range.fromMs,
    toMs: range.toMs,
    actor: actorFor(query.aggregation_group_type_index),
    order,
    windowMs: interval * FUNNEL_WINDOW_UNIT_MS[unit],
    steps,
    exclusions,
    where,
    // Time to convert ignores a breakdown; funnel trends refuse one (refuseUnbuilt).
    breakdown: view.kind === 'steps' ? funnelBreakdown(query, order, steps.length) : null,
    holdConstant: [
      ...new Set([
        ...(filter.holdPropertyConstant ? [filter.holdPropertyConstant] : []),
        ...(filter.holdConstant ?? []),
      ]),
    ],
    view,
  };
}

function funnelView(
  query: FunnelsQuery,
  stepCount: number,
  range: { fromMs: number; toMs: number },
  ctx: FunnelNormalizeContext,
): FunnelView {
  const filter = query.funnelsFilter ?? {};
  const kind = filter.funnelVizType ?? 'steps';
  if (kind === 'steps') return { kind };
  const toStep = filter.funnelToStep ?? stepCount - 1;
  if (toStep < 1 || toStep >= stepCount)
    throw new QueryError(
      'invalid_query',
      'funnelsFilter.funnelToStep',
      'not a step after the first',
    );
  if (kind === 'trends') {
    const timeline = buildTimeline(range, query.interval, ctx.timezone, ctx.weekStartDay);
    if (timeline.buckets.length > MAX_BUCKETS)
      throw new QueryError('invalid_query', 'interval', `more than ${MAX_BUCKETS} buckets`);
    return { kind, toStep, timeline };
  }
  const fromStep = filter.funnelFromStep ?? 0;
  if (fromStep >= toStep)
    throw new QueryError(
      'invalid_query',
      'funnelsFilter.funnelFromStep',
      'must be before funnelToStep',
    );
  return { kind, fromStep, toStep, binCount: filter.binCount ?? DEFAULT_TIME_TO_CONVERT_BINS };
}

function funnelBreakdown(
  query: FunnelsQuery,
  order: FunnelOrder,
  stepCount: number,
): FunnelBreakdown | null {
  const breakdown = trendsBreakdownOf(query.breakdownFilter);
  if (breakdown === null) return null;
  const type = query.funnelsFilter?.breakdownAttributionType ?? 'first_touch';
  if (type !== 'step') return { ...breakdown, attribution: { kind: type } };
  const step = query.funnelsFilter?.breakdownAttributionValue ?? 0;
  const path = 'funnelsFilter.breakdownAttributionValue';
  if (step >= stepCount) throw new QueryError('invalid_query', path, 'not a step of the funnel');
  if (order === 'unordered' && step !== 0)
    throw new QueryError('invalid_query', path, 'unordered funnels attribute to step 0 only');
  return { ...breakdown, attribution: { kind: 'step', step } };
}

function matcher(
  node: Pick<EventsNode, 'event' | 'properties'>,
  path: string,
  cohorts: CohortPlans | undefined,
): { event: string | null; where: Predicate | null } {
  const where = resolveCohorts(
    toPredicate(node.properties, `${path}.properties`),
    cohorts,
    `${path}.properties`,
  );
  return { event: node.event ?? null, where };
}

function refuseUnbuilt(query: FunnelsQuery): void {
  const filter = query.funnelsFilter ?? {};
  const refuse = (path: string): never => {
    throw new QueryError('not_implemented', path);
  };
  const hasBreakdown =
    (query.breakdownFilter?.breakdown !== undefined && query.breakdownFilter?.breakdown !== null) ||
    (query.breakdownFilter?.breakdowns?.length ?? 0) > 0;
  if (filter.funnelVizType === 'trends' && hasBreakdown) refuse('breakdownFilter');
  if (query.dateRange?.explicitDate === true) refuse('dateRange.explicitDate');
}
