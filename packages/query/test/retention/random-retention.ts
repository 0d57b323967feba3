// Seeded random RetentionQuery JSON for the engine-vs-reference comparison, each with the
// reference spec that states the same question: every period (weeks across DST included),
// retention type, cumulative, rolling 24-hour windows, minimum occurrences, filters and
// aggregation by tenant; and with
// an event, person or tenant property breakdown (random limit, Other sometimes hidden).

import type { Aggregation, EventMatcher } from '../reference/actors.js';
import type { PropertyFilter } from '../reference/filters.js';
import type { RetentionBreakdownSpec, RetentionSpec } from '../reference/retention.js';
import { addIntervals, bucketStart, type Interval, zonedToUtc } from '../reference/time.js';

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const chance = (rng: Rng, p: number): boolean => rng() < p;

export const RETENTION_TIMEZONES = [
  'Europe/Berlin',
  'America/New_York',
  'UTC',
  'Asia/Kolkata',
  'Australia/Sydney',
] as const;

export const RETENTION_EVENTS = [
  null,
  'user_logged_in',
  'ticket_created',
  'ticket_resolved',
  '$pageview',
  'feature_used',
  'time_entry_created',
  'invoice_generated',
] as const;

/** Filters both sides read alike: PostHog's leaf shape, `group_type_index` for groups. */
const FILTERS: ReadonlyArray<(r: Rng) => PropertyFilter> = [
  (r) => ({ type: 'event', key: 'priority', operator: 'exact', value: pick(r, ['high', 'low']) }),
  (r) => ({ type: 'event', key: 'priority', operator: 'is_not', value: pick(r, ['high', 'low']) }),
  (r) => ({ type: 'event', key: '$browser', operator: pick(r, ['is_set', 'is_not_set']) }),
  (r) => ({
    type: 'event',
    key: 'created_via',
    operator: 'icontains',
    value: pick(r, ['ai', 'P']),
  }),
  (r) => ({ type: 'event', key: 'duration_ms', operator: 'gt', value: pick(r, [600_000, 0]) }),
  (r) => ({
    type: 'person',
    key: 'user_type',
    operator: pick(r, ['exact', 'is_not']),
    value: 'technician',
  }),
  (r) => ({ type: 'person', key: 'plan', operator: pick(r, ['is_set', 'is_not_set']) }),
  (r) => ({
    type: 'group',
    key: 'plan',
    operator: pick(r, ['exact', 'is_not']),
    value: pick(r, ['free', 'enterprise']),
    groupTypeIndex: 0,
  }),
];

const SPANS: Readonly<Record<Interval, [number, number]>> = {
  hour: [12, 48],
  day: [3, 21],
  week: [2, 10],
  month: [1, 4],
};
const HOUR_MS = 3_600_000;
const WINDOW_MS = { hour: HOUR_MS, day: 24 * HOUR_MS, week: 7 * 24 * HOUR_MS } as const;
const PERIOD_NAMES = { hour: 'Hour', day: 'Day', week: 'Week', month: 'Month' } as const;
const TYPES = {
  recurring: 'retention_recurring',
  first_time: 'retention_first_time',
  first_ever: 'retention_first_ever_occurrence',
} as const;

export interface RandomRetention {
  query: Record<string, unknown>;
  spec: RetentionSpec;
}

const SPAN_DAYS: Readonly<Record<Interval, [number, number]>> = {
  hour: [1, 3],
  day: [3, 30],
  week: [14, 63],
  month: [30, 90],
};

function dateOf(dayIndex: number): { text: string; year: number; month: number; day: number } {
  const d = new Date(Date.UTC(2024, 2, 4 + dayIndex));
  return {
    text: d.toISOString().slice(0, 10),
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
  };
}

/**
 * A random interval and a date range of a length that suits it (lifecycle and stickiness
 * queries): the range as the query names it (local dates) and as the reference reads it (epoch
 * ms, from the start of the first bucket to the end of the last day).
 */
export function randomDateRange(
  rng: Rng,
  c: { readonly timezone: string; readonly weekStart: 0 | 1 },
): {
  interval: Interval;
  from: ReturnType<typeof dateOf>;
  to: ReturnType<typeof dateOf>;
  fromMs: number;
  toMs: number;
} {
  const interval = pick(rng, ['day', 'day', 'week', 'month', 'hour'] as const);
  const [min, max] = SPAN_DAYS[interval];
  const span = min + Math.floor(rng() * (max - min + 1));
  const fromIndex = Math.floor(rng() * Math.max(1, 66 - span)) - 2;
  const from = dateOf(fromIndex);
  const to = dateOf(fromIndex + span - 1);
  const fromMs = bucketStart(zonedToUtc(from, c.timezone), interval, c.timezone, c.weekStart);
  const toMs = zonedToUtc({ ...to, day: to.day + 1 }, c.timezone);
  return { interval, from, to, fromMs, toMs };
}

export const posthogFilter = (f: PropertyFilter): Record<string, unknown> => {
  const { groupTypeIndex, ...rest } = f;
  return groupTypeIndex === undefined ? rest : { ...rest, group_type_index: groupTypeIndex };
};

export function randomFilters(rng: Rng, p: number): PropertyFilter[] {
  return chance(rng, p) ? [pick(rng, FILTERS)(rng)] : [];
}

export function randomRetention(rng: Rng, timezone: string, weekStart: 0 | 1): RandomRetention {
  const period = pick(rng, ['day', 'day', 'week', 'week', 'month', 'hour'] as const);
  const [min, max] = SPANS[period];
  const totalPeriods = min + Math.floor(rng() * (max - min + 1));
  // The data runs 2024-03-04 + 63 days; date_to is somewhere in it or a little after.
  const dayIndex = 10 + Math.floor(rng() * 56);
  const toDate = new Date(Date.UTC(2024, 2, 4 + dayIndex));
  const dateTo = toDate.toISOString().slice(0, 10);
  const lastMs =
    zonedToUtc(
      {
        year: toDate.getUTCFullYear(),
        month: toDate.getUTCMonth() + 1,
        day: toDate.getUTCDate() + 1,
      },
      timezone,
    ) - 1;
  const fromMs = addIntervals(
    bucketStart(lastMs, period, timezone, weekStart),
    -(totalPeriods - 1),
    period,
    timezone,
  );

  const retentionType = pick(rng, ['recurring', 'recurring', 'first_time', 'first_ever'] as const);
  const startName = pick(rng, RETENTION_EVENTS);
  const returnName = chance(rng, 0.3) ? startName : pick(rng, RETENTION_EVENTS);
  const startEvent: EventMatcher = { event: startName, properties: randomFilters(rng, 0.25) };
  const returnEvent: EventMatcher = { event: returnName, properties: randomFilters(rng, 0.2) };
  const filters = randomFilters(rng, 0.25);
  const drawnCumulative = chance(rng, 0.3);
  const minimumOccurrences = chance(rng, 0.2) ? 2 : 1;
  const byTenant = chance(rng, 0.3);
  // Rolling windows (not with months, nor with cumulative: both refused).
  const windowMs = period !== 'month' && chance(rng, 0.3) ? WINDOW_MS[period] : undefined;
  const cumulative = windowMs === undefined && drawnCumulative;
  const aggregation: Aggregation = byTenant
    ? { kind: 'group', groupTypeIndex: 0 }
    : { kind: 'person' };

  const entity = (m: EventMatcher) => ({
    id: m.event,
    type: 'events',
    properties: (m.properties ?? []).map(posthogFilter),
  });
  const query: Record<string, unknown> = {
    kind: 'RetentionQuery',
    dateRange: { date_to: dateTo },
    retentionFilter: {
      targetEntity: entity(startEvent),
      returningEntity: entity(returnEvent),
      period: PERIOD_NAMES[period],
      totalIntervals: totalPeriods,
      retentionType: TYPES[retentionType],
      cumulative,
      ...(minimumOccurrences === 1 ? {} : { minimumOccurrences }),
      ...(windowMs === undefined ? {} : { timeWindowMode: '24_hour_windows' }),
    },
    properties: filters.map(posthogFilter),
    ...(byTenant ? { aggregation_group_type_index: 0 } : {}),
  };
  const spec: RetentionSpec = {
    startEvent,
    returnEvent,
    period,
    retentionType,
    totalPeriods,
    fromMs,
    timezone,
    weekStart,
    cumulative,
    minimumOccurrences,
    ...(windowMs === undefined ? {} : { windowMs }),
    aggregation,
    filters,
  };
  return { query, spec };
}

/** Breakdowns with few values, many (line_items: 12, so Other), booleans, and missing ones. */
const BREAKDOWNS: ReadonlyArray<RetentionBreakdownSpec> = [
  { type: 'event', key: 'method' },
  { type: 'event', key: 'priority' },
  { type: 'event', key: '$pathname' },
  { type: 'event', key: 'feature' },
  { type: 'event', key: 'line_items' },
  { type: 'event', key: 'is_internal' },
  { type: 'event', key: 'amount_bucket' },
  { type: 'person', key: 'user_type' },
  { type: 'person', key: 'plan' },
  { type: 'person', key: 'is_admin' },
  { type: 'group', key: 'plan', groupTypeIndex: 0 },
  { type: 'group', key: 'industry', groupTypeIndex: 0 },
];

/** The event each event property is on in the generated data. */
const CARRIERS: Readonly<Record<string, string>> = {
  method: 'user_logged_in',
  priority: 'ticket_created',
  $pathname: '$pageview',
  feature: 'feature_used',
  line_items: 'invoice_generated',
  amount_bucket: 'invoice_generated',
  is_internal: 'ticket_comment_added',
};

/** A random retention query with a property breakdown (random limit, Other sometimes hidden). */
export function randomRetentionBreakdown(
  rng: Rng,
  timezone: string,
  weekStart: 0 | 1,
): RandomRetention & { spec: RetentionSpec & { breakdown: RetentionBreakdownSpec } } {
  const { query, spec } = randomRetention(rng, timezone, weekStart);
  const chosen = pick(rng, BREAKDOWNS);
  // Half the event breakdowns start from the event that carries the property (else mostly None).
  const carrier = CARRIERS[chosen.key];
  if (chosen.type === 'event' && carrier !== undefined && chance(rng, 0.5)) {
    spec.startEvent = { ...spec.startEvent, event: carrier };
    const filter = query.retentionFilter as { targetEntity: { id: string | null } };
    filter.targetEntity = { ...filter.targetEntity, id: carrier };
  }
  const limit = pick(rng, [1, 1, 2, 3, undefined]);
  const hideOther = chance(rng, 0.15);
  const breakdown: RetentionBreakdownSpec = {
    ...chosen,
    ...(limit === undefined ? {} : { limit }),
    ...(hideOther ? { hideOther } : {}),
  };
  query.breakdownFilter = {
    breakdown: chosen.key,
    breakdown_type: chosen.type,
    ...(chosen.groupTypeIndex === undefined
      ? {}
      : { breakdown_group_type_index: chosen.groupTypeIndex }),
    ...(limit === undefined ? {} : { breakdown_limit: limit }),
    ...(hideOther ? { breakdown_hide_other_aggregation: true } : {}),
  };
  return { query, spec: { ...spec, breakdown } };
}
