// Seeded random LifecycleQuery JSON for the engine-vs-reference comparisons, each with the
// reference spec that states the same question.

import type { LifecycleSpec } from '../reference/lifecycle.js';
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

function dateOf(dayIndex: number) {
  const d = new Date(Date.UTC(2024, 2, 4 + dayIndex));
  return {
    text: d.toISOString().slice(0, 10),
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
  };
}

export function randomLifecycle(
  rng: Rng,
  c: { readonly timezone: string; readonly weekStart: 0 | 1 },
): { query: Record<string, unknown>; spec: LifecycleSpec } {
  const interval = pick(rng, ['day', 'day', 'week', 'month', 'hour'] as const);
  const [min, max] = SPAN_DAYS[interval];
  const span = min + Math.floor(rng() * (max - min + 1));
  const fromIndex = Math.floor(rng() * Math.max(1, 66 - span)) - 2;
  const from = dateOf(fromIndex);
  const to = dateOf(fromIndex + span - 1);
  const fromMs = bucketStart(zonedToUtc(from, c.timezone), interval, c.timezone, c.weekStart);
  const toMs = zonedToUtc({ ...to, day: to.day + 1 }, c.timezone);
  const byTenant = rng() < 0.3;
  const filters = randomFilters(rng, 0.25);
  const series = { event: pick(rng, EVENTS), properties: randomFilters(rng, 0.2) };
  const query: Record<string, unknown> = {
    kind: 'LifecycleQuery',
    series: [
      {
        kind: 'EventsNode',
        event: series.event,
        properties: series.properties.map(posthogFilter),
      },
    ],
    interval,
    dateRange: { date_from: from.text, date_to: to.text },
    properties: filters.map(posthogFilter),
    ...(byTenant ? { aggregation_group_type_index: 0 } : {}),
  };
  const spec: LifecycleSpec = {
    series,
    dateRange: { fromMs, toMs },
    interval,
    timezone: c.timezone,
    weekStart: c.weekStart,
    aggregation: byTenant ? { kind: 'group', groupTypeIndex: 0 } : { kind: 'person' },
    filters,
  };
  return { query, spec };
}
