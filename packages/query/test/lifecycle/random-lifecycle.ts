// Seeded random LifecycleQuery JSON for the engine-vs-reference comparisons, each with the
// reference spec that states the same question.

import type { LifecycleSpec } from '../reference/lifecycle.js';
import {
  RETENTION_EVENTS as EVENTS,
  posthogFilter,
  randomDateRange,
  randomFilters,
} from '../retention/random-retention.js';

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;

export function randomLifecycle(
  rng: Rng,
  c: { readonly timezone: string; readonly weekStart: 0 | 1 },
): { query: Record<string, unknown>; spec: LifecycleSpec } {
  const { interval, from, to, fromMs, toMs } = randomDateRange(rng, c);
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
