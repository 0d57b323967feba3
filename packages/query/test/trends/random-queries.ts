// Seeded random TrendsQuery JSON for the engine-vs-reference comparison: every math, interval,
// filter kind, breakdown kind (one or several), display, formula and compare, over the generated
// PSA data.

import { type Dataset, mulberry32 } from '../dataset.js';
import type { RefFilter, RefFilterGroup, RefTrendsQuery } from '../reference/trends.js';
import { REF_FORMULAS } from '../reference/trends-math.js';

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const chance = (rng: Rng, p: number): boolean => rng() < p;

export const TIMEZONES = [
  'Europe/Berlin',
  'America/New_York',
  'UTC',
  'Asia/Kolkata',
  'Australia/Sydney',
] as const;

const EVENTS = [
  null,
  'ticket_created',
  'ticket_resolved',
  'ticket_assigned',
  '$pageview',
  'feature_used',
  'time_entry_created',
  'user_logged_in',
  'invoice_generated',
] as const;

const MATHS = [
  'total',
  'total',
  'dau',
  'dau',
  'weekly_active',
  'monthly_active',
  'unique_session',
  'unique_group',
  'first_time_for_user',
  'first_matching_event_for_user',
  'sum',
  'avg',
  'min',
  'max',
  'median',
  'p90',
  'p99',
  'avg_count_per_actor',
  'max_count_per_actor',
  'median_count_per_actor',
  'p75_count_per_actor',
] as const;

const PROPERTY_MATHS = new Set(['sum', 'avg', 'min', 'max', 'median', 'p90', 'p99']);
/** Numeric properties and the events that carry them. */
const NUMERIC: ReadonlyArray<[string, string | null]> = [
  ['duration_ms', 'ticket_resolved'],
  ['duration_ms', 'time_entry_created'],
  ['duration_ms', null],
  ['line_items', 'invoice_generated'],
  ['score', 'feature_used'],
];
/** Sometimes a property that is never a number: every bucket is then 0. */
const NOT_NUMERIC: ReadonlyArray<[string, string | null]> = [
  ['priority', 'ticket_created'],
  ['billable', 'time_entry_created'],
];

const FILTERS: ReadonlyArray<(rng: Rng) => RefFilter> = [
  (r) => ({
    type: 'event',
    key: 'priority',
    operator: 'exact',
    value: pick(r, ['high', 'low', ['urgent', 'medium']]),
  }),
  (r) => ({
    type: 'event',
    key: 'priority',
    operator: 'is_not',
    value: pick(r, ['high', ['low', 'medium']]),
  }),
  (r) => ({
    type: 'event',
    key: 'created_via',
    operator: pick(r, ['icontains', 'not_icontains']),
    value: pick(r, ['P', 'ai', 'mail']),
  }),
  (r) => ({
    type: 'event',
    key: 'feature',
    operator: pick(r, ['regex', 'not_regex']),
    value: pick(r, ['^(dash|rep)', 'o.*t', '_']),
  }),
  (r) => ({
    type: 'event',
    key: 'duration_ms',
    operator: pick(r, ['gt', 'lt', 'gte', 'lte']),
    value: pick(r, [3_600_000, '600000', 0]),
  }),
  (r) => ({
    type: 'event',
    key: 'duration_ms',
    operator: pick(r, ['between', 'not_between']),
    value: [60_000, 7_200_000],
  }),
  (r) => ({
    type: 'event',
    key: 'priority',
    operator: pick(r, ['in', 'not_in']),
    value: ['high', 'low'],
  }),
  (r) => ({ type: 'event', key: 'line_items', operator: pick(r, ['min', 'max']), value: 4 }),
  (r) => ({
    type: 'event',
    key: 'is_internal',
    operator: 'exact',
    value: pick(r, [true, 'false']),
  }),
  (r) => ({
    type: 'event',
    key: '$pathname',
    operator: pick(r, ['exact', 'is_not']),
    value: pick(r, ['/tickets', '/reports']),
  }),
  (r) => ({
    type: 'event',
    key: '$browser',
    operator: pick(r, ['exact', 'is_set', 'is_not_set']),
    value: 'Chrome',
  }),
  (r) => ({ type: 'event', key: 'ticket_id', operator: pick(r, ['is_set', 'is_not_set']) }),
  (r) => ({
    type: 'event',
    key: 'line_items',
    operator: pick(r, ['exact', 'gte']),
    value: pick(r, [3, '5']),
  }),
  (r) => ({
    type: 'person',
    key: 'user_type',
    operator: pick(r, ['exact', 'is_not']),
    value: pick(r, ['technician', ['manager', 'dispatcher']]),
  }),
  (r) => ({ type: 'person', key: 'is_admin', operator: 'exact', value: pick(r, [true, false]) }),
  (r) => ({
    type: 'person',
    key: 'plan',
    operator: pick(r, ['is_set', 'is_not_set', 'exact']),
    value: 'pro',
  }),
  (r) => ({
    type: 'group',
    key: 'plan',
    operator: pick(r, ['exact', 'is_not']),
    value: pick(r, ['free', 'enterprise']),
    group_type_index: 0,
  }),
  (r) => ({
    type: 'group',
    key: 'industry',
    operator: pick(r, ['is_set', 'is_not_set', 'icontains']),
    value: 'S',
    group_type_index: 0,
  }),
];

const BREAKDOWNS: ReadonlyArray<NonNullable<RefTrendsQuery['breakdownFilter']>> = [
  { breakdown: 'priority' },
  { breakdown: 'created_via', breakdown_type: 'event' },
  { breakdown: 'feature' },
  { breakdown: '$browser' },
  { breakdown: '$pathname' },
  { breakdown: 'is_internal' },
  { breakdown: 'line_items' },
  { breakdown: 'user_type', breakdown_type: 'person' },
  { breakdown: 'plan', breakdown_type: 'person' },
  { breakdown: 'plan', breakdown_type: 'group', breakdown_group_type_index: 0 },
  { breakdown: 'industry', breakdown_type: 'group', breakdown_group_type_index: 0 },
];

/** The single breakdowns as entries of `breakdowns`: event, person and tenant properties. */
const MULTI_BREAKDOWNS = BREAKDOWNS.map(
  (b): NonNullable<NonNullable<RefTrendsQuery['breakdownFilter']>['breakdowns']>[number] => ({
    property: b.breakdown ?? '',
    type: b.breakdown_type ?? 'event',
    ...(b.breakdown_group_type_index === undefined
      ? {}
      : { group_type_index: b.breakdown_group_type_index }),
  }),
);

/**
 * {@link randomTrendsQuery} broken down by 1 to 3 of `breakdowns` (PostHog's multiple form),
 * mostly with a small limit so combinations fold into Other.
 */
export function randomMultiBreakdownQuery(rng: Rng): RefTrendsQuery {
  const query = randomTrendsQuery(rng);
  const count = pick(rng, [1, 2, 2, 3, 3]);
  const pool = [...MULTI_BREAKDOWNS];
  const breakdowns = Array.from({ length: count }, () => {
    const i = Math.floor(rng() * pool.length);
    return pool.splice(i, 1)[0] as (typeof MULTI_BREAKDOWNS)[number];
  });
  query.breakdownFilter = { breakdowns };
  if (chance(rng, 0.7)) query.breakdownFilter.breakdown_limit = 1 + Math.floor(rng() * 5);
  if (chance(rng, 0.1)) query.breakdownFilter.breakdown_hide_other_aggregation = true;
  return query;
}

const DAY_MS = 86_400_000;
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** A random query over the data's period (2024-03-04 + 63 days), sometimes reaching past it. */
export function randomTrendsQuery(rng: Rng): RefTrendsQuery {
  const interval = pick(rng, ['day', 'day', 'week', 'month', 'hour'] as const);
  const start = Date.UTC(2024, 2, 4);
  const span =
    interval === 'hour'
      ? 1 + Math.floor(rng() * 3)
      : interval === 'day'
        ? 3 + Math.floor(rng() * 30)
        : 10 + Math.floor(rng() * 60);
  const from = start + Math.floor(rng() * 58 - 3) * DAY_MS;
  const seriesCount = chance(rng, 0.35) ? 2 : 1;
  const series = Array.from({ length: seriesCount }, () => {
    const math = pick(rng, MATHS);
    const node: RefTrendsQuery['series'][number] = {
      kind: 'EventsNode',
      event: pick(rng, EVENTS),
      math,
    };
    if (PROPERTY_MATHS.has(math)) {
      const [property, event] = pick(rng, chance(rng, 0.1) ? NOT_NUMERIC : NUMERIC);
      node.math_property = property;
      if (chance(rng, 0.85)) node.event = event;
    }
    if (math === 'unique_group') node.math_group_type_index = 0;
    if (chance(rng, 0.2)) node.properties = [pick(rng, FILTERS)(rng)];
    return node;
  });
  const query: RefTrendsQuery = {
    kind: 'TrendsQuery',
    series,
    interval,
    dateRange: { date_from: isoDate(from), date_to: isoDate(from + (span - 1) * DAY_MS) },
  };
  if (chance(rng, 0.25)) query.properties = randomFilters(rng);
  if (chance(rng, 0.45)) {
    query.breakdownFilter = { ...pick(rng, BREAKDOWNS) };
    if (chance(rng, 0.6)) query.breakdownFilter.breakdown_limit = 1 + Math.floor(rng() * 4);
    if (chance(rng, 0.1)) query.breakdownFilter.breakdown_hide_other_aggregation = true;
  }
  const display = rng();
  if (display < 0.25)
    query.trendsFilter = { display: pick(rng, ['BoldNumber', 'ActionsTable', 'ActionsPie']) };
  else if (display < 0.35) query.trendsFilter = { display: 'ActionsLineGraphCumulative' };
  if (seriesCount === 2 && chance(rng, 0.3))
    query.trendsFilter = { ...query.trendsFilter, formula: pick(rng, Object.keys(REF_FORMULAS)) };
  if (chance(rng, 0.15)) query.compareFilter = { compare: true };
  if (chance(rng, 0.1)) query.aggregation_group_type_index = 0;
  return query;
}

function randomFilters(rng: Rng): RefFilter[] | RefFilterGroup {
  const leaves = Array.from({ length: 1 + Math.floor(rng() * 2) }, () => pick(rng, FILTERS)(rng));
  if (!chance(rng, 0.3)) return leaves;
  return { type: 'OR', values: [{ type: 'AND', values: leaves }, pick(rng, FILTERS)(rng)] };
}

/**
 * Adds what the generator leaves out and trends needs: `$session_id` on most person events, a
 * `$browser` (a hot column; '' on some, which the column stores as NULL) on page views, and a
 * numeric string `score` on feature use. Deterministic from the event uuid.
 */
export function withTrendsProperties(dataset: Dataset, seed: number): Dataset {
  const rng = mulberry32(seed ^ 0x5eed);
  const events = dataset.events.map((event) => {
    const properties = { ...event.properties };
    if (event.personId !== null && chance(rng, 0.85))
      properties.$session_id = `s-${event.personId}-${Math.floor(event.timestampMs / (3 * 3_600_000))}`;
    if (event.event === '$pageview')
      properties.$browser = pick(rng, ['Chrome', 'Firefox', 'Safari', '']);
    if (event.event === 'feature_used' && chance(rng, 0.7))
      properties.score = String(Math.floor(rng() * 100) / 4);
    return { ...event, properties };
  });
  return { ...dataset, events };
}
