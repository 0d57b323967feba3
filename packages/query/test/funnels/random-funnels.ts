// Random FunnelsQuery specs for the engine-vs-reference comparison, and their translation into
// the reference's FunnelSpec (same steps, filters, window, order, exclusions, aggregation).

import type { Rng } from '../dataset-psa.js';
import type { PropertyFilter } from '../reference/filters.js';
import type { FunnelSpec, WindowUnit } from '../reference/funnel-spec.js';
import { zonedToUtc } from '../reference/time.js';

const EVENTS = [
  'ticket_created',
  'ticket_assigned',
  'ticket_resolved',
  'ticket_comment_added',
  'time_entry_created',
  'invoice_generated',
  'feature_used',
  '$pageview',
] as const;

const STEP_FILTERS: PropertyFilter[] = [
  { type: 'event', key: 'priority', operator: 'exact', value: ['high', 'urgent'] },
  { type: 'event', key: 'priority', operator: 'is_not', value: 'low' },
  { type: 'event', key: 'billable', operator: 'exact', value: true },
  { type: 'person', key: 'user_type', operator: 'exact', value: 'technician' },
  { type: 'event', key: 'is_internal', operator: 'is_set' },
];

const GLOBAL_FILTERS: PropertyFilter[] = [
  { type: 'person', key: 'plan', operator: 'is_not', value: 'free' },
  { type: 'event', key: 'priority', operator: 'is_not', value: 'urgent' },
  { type: 'person', key: 'is_admin', operator: 'exact', value: false },
];

const WINDOWS: Array<{ count: number; unit: WindowUnit }> = [
  { count: 14, unit: 'day' },
  { count: 1, unit: 'day' },
  { count: 2, unit: 'hour' },
  { count: 30, unit: 'minute' },
  { count: 1, unit: 'week' },
  { count: 1, unit: 'month' },
  { count: 90, unit: 'second' },
];

export interface RandomFunnel {
  query: Record<string, unknown>;
  spec: FunnelSpec;
}

export interface RandomFunnelOptions {
  orders: ReadonlyArray<'ordered' | 'strict' | 'unordered'>;
  exclusions: boolean;
  breakdown?: boolean;
  holdConstant?: boolean;
}

const BREAKDOWNS: Array<{ source: 'event' | 'person' | 'group'; key: string }> = [
  { source: 'event', key: 'priority' },
  { source: 'event', key: 'created_via' },
  { source: 'event', key: 'is_internal' },
  { source: 'person', key: 'user_type' },
  { source: 'group', key: 'industry' },
  { source: 'group', key: 'plan' },
];
const ATTRIBUTIONS = ['first_touch', 'last_touch', 'all_events', 'step'] as const;

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;

function isoDay(year: number, month: number, day: number): string {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.toISOString().slice(0, 10);
}

export function randomFunnel(
  rng: Rng,
  timezone: string,
  options: RandomFunnelOptions,
): RandomFunnel {
  const stepCount = 2 + Math.floor(rng() * 3);
  // Ticket events first: they chain naturally, so most funnels have converters.
  const pool = rng() < 0.6 ? EVENTS.slice(0, 4) : EVENTS;
  const steps = Array.from({ length: stepCount }, () => {
    const event = rng() < 0.05 ? null : pick(rng, pool);
    const properties = rng() < 0.2 ? [pick(rng, STEP_FILTERS)] : [];
    return { event, properties };
  });
  const order = pick(rng, options.orders);
  const window = pick(rng, WINDOWS);
  const exclusions: Array<{ event: string; fromStep: number; toStep: number }> = [];
  if (options.exclusions && rng() < 0.5) {
    const fromStep = order === 'unordered' ? 0 : Math.floor(rng() * (stepCount - 1));
    const toStep =
      order === 'unordered'
        ? stepCount - 1
        : fromStep + 1 + Math.floor(rng() * (stepCount - 1 - fromStep));
    exclusions.push({ event: pick(rng, EVENTS), fromStep, toStep });
  }
  const byGroup = rng() < 0.3;
  const filters = rng() < 0.25 ? [pick(rng, GLOBAL_FILTERS)] : [];
  const breakdown = options.breakdown === true ? pick(rng, BREAKDOWNS) : undefined;
  const attributionType = pick(rng, ATTRIBUTIONS);
  const attributionStep = order === 'unordered' ? 0 : Math.floor(rng() * stepCount);
  const limit = rng() < 0.4 ? 1 + Math.floor(rng() * 2) : undefined;
  // Sometimes several properties (`breakdowns`): the combination of values is the value.
  const also =
    breakdown !== undefined && options.breakdown === true && rng() < 0.35
      ? [
          pick(
            rng,
            BREAKDOWNS.filter((b) => b !== breakdown),
          ),
        ]
      : [];
  const held =
    options.holdConstant === true
      ? pick(rng, [['ticket_id'], ['ticket_id'], ['ticket_id', 'priority'], ['priority']])
      : [];
  const startDay = 4 + Math.floor(rng() * 20);
  const lengthDays = 3 + Math.floor(rng() * 40);
  const dateFrom = isoDay(2024, 3, startDay);
  const dateTo = isoDay(2024, 3, startDay + lengthDays);
  const [y, m, d] = dateTo.split('-').map(Number) as [number, number, number];
  const query = {
    kind: 'FunnelsQuery',
    series: steps.map((s) => ({ kind: 'EventsNode', event: s.event, properties: s.properties })),
    dateRange: { date_from: dateFrom, date_to: dateTo },
    properties: filters,
    ...(breakdown === undefined
      ? {}
      : {
          breakdownFilter: {
            ...(also.length === 0
              ? {
                  breakdown: breakdown.key,
                  breakdown_type: breakdown.source,
                  ...(breakdown.source === 'group' ? { breakdown_group_type_index: 0 } : {}),
                }
              : {
                  breakdowns: [breakdown, ...also].map((b) => ({
                    property: b.key,
                    type: b.source,
                    ...(b.source === 'group' ? { group_type_index: 0 } : {}),
                  })),
                }),
            ...(limit === undefined ? {} : { breakdown_limit: limit }),
          },
        }),
    ...(byGroup ? { aggregation_group_type_index: 0 } : {}),
    funnelsFilter: {
      funnelOrderType: order,
      funnelWindowInterval: window.count,
      funnelWindowIntervalUnit: window.unit,
      ...(held.length === 0 ? {} : { holdConstant: held }),
      ...(breakdown === undefined
        ? {}
        : {
            breakdownAttributionType: attributionType,
            breakdownAttributionValue: attributionStep,
          }),
      exclusions: exclusions.map((x) => ({
        kind: 'EventsNode',
        event: x.event,
        funnelFromStep: x.fromStep,
        funnelToStep: x.toStep,
      })),
    },
  };
  const spec: FunnelSpec = {
    steps: steps.map((s) => ({ event: s.event, properties: s.properties })),
    dateRange: {
      fromMs: zonedToUtc({ year: 2024, month: 3, day: startDay }, timezone),
      toMs: zonedToUtc({ year: y, month: m, day: d + 1 }, timezone),
    },
    window,
    order,
    exclusions: exclusions.map((x) => ({ event: x.event, fromStep: x.fromStep, toStep: x.toStep })),
    aggregation: byGroup ? { kind: 'group', groupTypeIndex: 0 } : { kind: 'person' },
    filters,
  };
  if (held.length > 0) spec.holdConstant = held;
  if (breakdown !== undefined)
    spec.breakdown = {
      source: breakdown.source,
      key: breakdown.key,
      groupTypeIndex: 0,
      ...(also.length === 0
        ? {}
        : { also: also.map((b) => ({ source: b.source, key: b.key, groupTypeIndex: 0 })) }),
      attribution:
        attributionType === 'step'
          ? { kind: 'step', step: attributionStep }
          : { kind: attributionType },
      ...(limit === undefined ? {} : { limit }),
    };
  return { query, spec };
}

/**
 * Turns a random funnel into a funnel-trends one (to a random step) over a random range that
 * starts on a bucket start (weeks on Mondays), so engine and reference count the same events.
 * The interval cycles with `q`: day, week, month, hour.
 */
export function toFunnelTrends(
  rng: Rng,
  q: number,
  timezone: string,
  { query, spec }: RandomFunnel,
): { interval: 'day' | 'week' | 'month' | 'hour'; toStep: number } {
  const interval = (['day', 'week', 'month', 'hour'] as const)[q % 4] ?? 'day';
  const from =
    interval === 'month'
      ? { month: 4, day: 1 }
      : interval === 'week'
        ? { month: 3, day: 4 + 7 * Math.floor(rng() * 3) }
        : { month: 3, day: 4 + Math.floor(rng() * 20) };
  const days = interval === 'hour' ? 2 : 10 + Math.floor(rng() * 30);
  const iso = (month: number, day: number) =>
    new Date(Date.UTC(2024, month - 1, day)).toISOString().slice(0, 10);
  query.dateRange = {
    date_from: iso(from.month, from.day),
    date_to: iso(from.month, from.day + days),
  };
  query.interval = interval;
  spec.dateRange = {
    fromMs: zonedToUtc({ year: 2024, ...from }, timezone),
    toMs: zonedToUtc({ year: 2024, month: from.month, day: from.day + days + 1 }, timezone),
  };
  const toStep = 1 + Math.floor(rng() * (spec.steps.length - 1));
  Object.assign(query.funnelsFilter as Record<string, unknown>, {
    funnelVizType: 'trends',
    funnelToStep: toStep,
  });
  return { interval, toStep };
}
