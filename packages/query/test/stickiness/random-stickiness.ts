// Seeded random StickinessQuery JSON for the engine-vs-reference comparisons, each with the
// reference specs (one per series) that state the same question.

import type { EventMatcher } from '../reference/actors.js';
import type { StickinessSpec } from '../reference/stickiness.js';
import { bucketStart, type Interval, zonedToUtc } from '../reference/time.js';
import {
  RETENTION_EVENTS as EVENTS,
  posthogFilter,
  randomFilters,
} from '../retention/random-retention.js';

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;

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

export function randomStickiness(
  rng: Rng,
  c: { readonly timezone: string; readonly weekStart: 0 | 1 },
): { query: Record<string, unknown>; specs: StickinessSpec[] } {
  const interval = pick(rng, ['day', 'day', 'week', 'month', 'hour'] as const);
  const [min, max] = SPAN_DAYS[interval];
  const span = min + Math.floor(rng() * (max - min + 1));
  const fromIndex = Math.floor(rng() * Math.max(1, 66 - span)) - 2;
  const from = dateOf(fromIndex);
  const to = dateOf(fromIndex + span - 1);
  const fromMs = bucketStart(zonedToUtc(from, c.timezone), interval, c.timezone, c.weekStart);
  const toMs = zonedToUtc({ ...to, day: to.day + 1 }, c.timezone);
  const intervalCount = rng() < 0.2 ? 2 + Math.floor(rng() * 2) : 1;
  const minCount = rng() < 0.2 ? 2 : 1;
  const cumulative = rng() < 0.3;
  const byTenant = rng() < 0.3;
  const filters = randomFilters(rng, 0.25);
  const series: EventMatcher[] = Array.from({ length: rng() < 0.3 ? 2 : 1 }, () => ({
    event: pick(rng, EVENTS),
    properties: randomFilters(rng, 0.2),
  }));
  const query: Record<string, unknown> = {
    kind: 'StickinessQuery',
    series: series.map((s) => ({
      kind: 'EventsNode',
      event: s.event,
      properties: (s.properties ?? []).map(posthogFilter),
      ...(byTenant ? { math: 'unique_group', math_group_type_index: 0 } : {}),
    })),
    interval,
    ...(intervalCount === 1 ? {} : { intervalCount }),
    dateRange: { date_from: from.text, date_to: to.text },
    properties: filters.map(posthogFilter),
    stickinessFilter: {
      computedAs: cumulative ? 'cumulative' : 'non_cumulative',
      ...(minCount === 1 ? {} : { stickinessCriteria: { operator: 'gte', value: minCount } }),
    },
  };
  const specs = series.map(
    (s): StickinessSpec => ({
      series: s,
      dateRange: { fromMs, toMs },
      interval,
      timezone: c.timezone,
      weekStart: c.weekStart,
      intervalCount,
      minCountPerInterval: minCount,
      cumulative,
      aggregation: byTenant ? { kind: 'group', groupTypeIndex: 0 } : { kind: 'person' },
      filters,
    }),
  );
  return { query, specs };
}
