import { QueryError } from '../errors.js';
import type { PropertyRef } from '../plan/predicates.js';
import { type BreakdownFilter, DEFAULT_BREAKDOWN_LIMIT, GroupTypeIndex } from '../spec/nodes.js';
import { breakdownOf } from './series.js';

// Part of stage 1 (normalize): the trends breakdown as a list of properties. A single
// `breakdown` is the one-element list; PostHog's multiple-breakdown form, `breakdowns: [{property,
// type, group_type_index}]` (up to 3, PostHog's cap), is the longer one. Either way one
// combination of values is one breakdown value: ranked, limited and folded into Other as a
// single breakdown's value is (sql/duckdb/trends.ts keys it as one column).

/** PostHog caps `breakdowns` at 3 (its schema's MultipleBreakdown UI limit). */
export const MAX_BREAKDOWNS = 3;

export interface TrendsBreakdown {
  /** In order: one per breakdown. */
  readonly properties: readonly PropertyRef[];
  /** Given as `breakdowns`: each result's `breakdown_value` is the list of values, as PostHog's. */
  readonly isMultiple: boolean;
  readonly limit: number;
  readonly hideOther: boolean;
}

const PROPERTY_TYPES = new Set(['event', 'person', 'group']);
/** PostHog's other MultipleBreakdownType values: known, not built (501 rather than 400). */
const UNSUPPORTED_TYPES = new Set([
  'cohort',
  'session',
  'hogql',
  'event_metadata',
  'data_warehouse',
  'data_warehouse_person_property',
  'revenue_analytics',
]);

export function trendsBreakdownOf(
  filter: BreakdownFilter | null | undefined,
): TrendsBreakdown | null {
  const list = filter?.breakdowns;
  if (filter === null || filter === undefined || list === null || list === undefined) {
    const single = breakdownOf(filter);
    return single === null
      ? null
      : {
          properties: [single.property],
          isMultiple: false,
          limit: single.limit,
          hideOther: single.hideOther,
        };
  }
  const path = 'breakdownFilter.breakdowns';
  if (filter.breakdown !== null && filter.breakdown !== undefined)
    throw new QueryError('invalid_query', path, 'either breakdown or breakdowns, not both');
  if (list.length === 0) throw new QueryError('invalid_query', path, 'at least one breakdown');
  if (list.length > MAX_BREAKDOWNS)
    throw new QueryError('invalid_query', path, `at most ${MAX_BREAKDOWNS} breakdowns`);
  if (
    filter.breakdown_histogram_bin_count !== null &&
    filter.breakdown_histogram_bin_count !== undefined
  )
    throw new QueryError('not_implemented', 'breakdownFilter.breakdown_histogram_bin_count');
  return {
    properties: list.map((item, i) => entryOf(item, `${path}[${i}]`)),
    isMultiple: true,
    limit: filter.breakdown_limit ?? DEFAULT_BREAKDOWN_LIMIT,
    hideOther: filter.breakdown_hide_other_aggregation ?? false,
  };
}

/** One `{property, type, group_type_index}` entry -> the property it reads. */
function entryOf(item: unknown, path: string): PropertyRef {
  if (item === null || typeof item !== 'object' || Array.isArray(item))
    throw new QueryError('invalid_query', path, 'expected {property, type}');
  const entry = item as Record<string, unknown>;
  const key = entry.property;
  if (!(typeof key === 'string' && key !== '') && typeof key !== 'number')
    throw new QueryError('invalid_query', `${path}.property`, 'expected a property name');
  const type = entry.type ?? 'event';
  if (typeof type !== 'string' || !PROPERTY_TYPES.has(type))
    throw UNSUPPORTED_TYPES.has(String(type))
      ? new QueryError('not_implemented', `${path}.type`, 'event, person or group')
      : new QueryError('invalid_query', `${path}.type`, 'expected event, person or group');
  for (const option of ['histogram_bin_count', 'normalize_url'])
    if (entry[option] !== null && entry[option] !== undefined && entry[option] !== false)
      throw new QueryError('not_implemented', `${path}.${option}`);
  if (type !== 'group') return { source: { type: type as 'event' | 'person' }, key: String(key) };
  const index = GroupTypeIndex.safeParse(entry.group_type_index);
  if (!index.success)
    throw new QueryError('invalid_query', `${path}.group_type_index`, 'expected 0 to 4');
  return { source: { type: 'group', index: index.data }, key: String(key) };
}
