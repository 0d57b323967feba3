import { QueryError } from '../errors.js';
import type { Actor } from '../plan/actor.js';
import type { Predicate, PropertyRef } from '../plan/predicates.js';
import {
  type BreakdownFilter,
  DEFAULT_BREAKDOWN_LIMIT,
  type EventsNode,
  isCountPerActorMath,
  isPropertyMath,
  type MathType,
} from '../spec/nodes.js';

// Part of stage 1 (normalize): one series' math to its family and its PostHog `action`, and
// the breakdown filter to a property, a limit and whether to show Other.

export type Aggregate = 'sum' | 'avg' | 'min' | 'max' | 'quantile';

export type TrendsMath =
  | { readonly kind: 'total' }
  | { readonly kind: 'unique_actors'; readonly actor: Actor }
  | { readonly kind: 'unique_sessions' }
  | {
      readonly kind: 'property';
      readonly aggregate: Aggregate;
      readonly quantile: number;
      readonly property: PropertyRef;
    }
  | {
      readonly kind: 'count_per_actor';
      readonly aggregate: Exclude<Aggregate, 'sum'>;
      readonly quantile: number;
      readonly actor: Actor;
    }
  /** Actors active in the `windowDays` local days ending with each bucket's start (§2.1). */
  | { readonly kind: 'active_actors'; readonly windowDays: 7 | 30; readonly actor: Actor }
  /** Each actor once, in the bucket of its first event (first_time_for_user and friends). */
  | { readonly kind: 'first_time'; readonly actor: Actor; readonly firstMatching: boolean }
  /** Each actor once, in the first bucket it is active in: cumulative unique actors. */
  | { readonly kind: 'first_active_bucket'; readonly actor: Actor };

export interface TrendsAction {
  readonly id: string | null;
  readonly type: 'events';
  readonly order: number;
  readonly name: string;
  readonly custom_name: string | null;
  readonly math: MathType;
  readonly math_property: string | null;
  readonly math_group_type_index: number | null;
}

export interface NormalizedSeries {
  readonly index: number;
  readonly event: string | null;
  readonly label: string;
  readonly action: TrendsAction;
  readonly math: TrendsMath;
  /** Global and series filters together. */
  readonly where: Predicate | null;
}

export interface NormalizedBreakdown {
  readonly property: PropertyRef;
  readonly limit: number;
  readonly hideOther: boolean;
}

const QUANTILES: Readonly<Record<string, number>> = {
  median: 0.5,
  p75: 0.75,
  p90: 0.9,
  p95: 0.95,
  p99: 0.99,
};

export function actionOf(node: EventsNode, index: number): TrendsAction {
  return {
    id: node.event ?? null,
    type: 'events',
    order: index,
    name: node.event ?? 'All events',
    custom_name: node.custom_name ?? null,
    math: node.math,
    math_property: node.math_property ?? null,
    math_group_type_index: node.math_group_type_index ?? null,
  };
}

export function mathOf(node: EventsNode, actor: Actor, isCumulative: boolean): TrendsMath {
  const math = node.math;
  if (math === 'total') return { kind: 'total' };
  if (math === 'dau' || math === 'unique_group') {
    const who: Actor =
      math === 'unique_group' ? { kind: 'group', index: node.math_group_type_index ?? 0 } : actor;
    return isCumulative
      ? { kind: 'first_active_bucket', actor: who }
      : { kind: 'unique_actors', actor: who };
  }
  if (math === 'weekly_active' || math === 'monthly_active')
    return { kind: 'active_actors', windowDays: math === 'weekly_active' ? 7 : 30, actor };
  if (math === 'unique_session') return { kind: 'unique_sessions' };
  if (math === 'first_time_for_user' || math === 'first_matching_event_for_user')
    return { kind: 'first_time', actor, firstMatching: math === 'first_matching_event_for_user' };
  if (isPropertyMath(math)) {
    const quantile = QUANTILES[math];
    return {
      kind: 'property',
      aggregate: quantile === undefined ? (math as Exclude<Aggregate, 'quantile'>) : 'quantile',
      quantile: quantile ?? 0,
      property: { source: { type: 'event' }, key: node.math_property ?? '' },
    };
  }
  if (isCountPerActorMath(math)) {
    const name = math.replace('_count_per_actor', '');
    const quantile = QUANTILES[name];
    return {
      kind: 'count_per_actor',
      aggregate: quantile === undefined ? (name as 'avg' | 'min' | 'max') : 'quantile',
      quantile: quantile ?? 0,
      actor,
    };
  }
  throw new QueryError('not_implemented', 'math');
}

export function breakdownOf(
  filter: BreakdownFilter | null | undefined,
): NormalizedBreakdown | null {
  if (filter === null || filter === undefined) return null;
  if ((filter.breakdowns?.length ?? 0) > 0)
    throw new QueryError('not_implemented', 'breakdownFilter.breakdowns', 'several breakdowns');
  if (
    filter.breakdown_histogram_bin_count !== null &&
    filter.breakdown_histogram_bin_count !== undefined
  )
    throw new QueryError('not_implemented', 'breakdownFilter.breakdown_histogram_bin_count');
  const key = filter.breakdown;
  if (key === null || key === undefined) return null;
  const type = filter.breakdown_type ?? 'event';
  if (type === 'cohort')
    throw new QueryError('not_implemented', 'breakdownFilter.breakdown_type', 'cohort breakdowns');
  if (Array.isArray(key))
    throw new QueryError('not_implemented', 'breakdownFilter.breakdown', 'several properties');
  let property: PropertyRef;
  if (type === 'group') {
    const index = filter.breakdown_group_type_index;
    if (index === null || index === undefined)
      throw new QueryError(
        'invalid_query',
        'breakdownFilter.breakdown_group_type_index',
        'group breakdowns need it',
      );
    property = { source: { type: 'group', index }, key: String(key) };
  } else property = { source: { type: type }, key: String(key) };
  return {
    property,
    limit: filter.breakdown_limit ?? DEFAULT_BREAKDOWN_LIMIT,
    hideOther: filter.breakdown_hide_other_aggregation ?? false,
  };
}
