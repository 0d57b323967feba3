// Seeded random StickinessQuery JSON for the engine-vs-reference comparisons, each with the
// reference specs (one per series) that state the same question.

import type { EventMatcher } from '../reference/actors.js';
import type { StickinessSpec } from '../reference/stickiness.js';
import { addIntervals, bucketStart, intervalsBetween, zonedToUtc } from '../reference/time.js';
import {
  RETENTION_EVENTS as EVENTS,
  posthogFilter,
  randomDateRange,
  randomFilters,
} from '../retention/random-retention.js';

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;

export function randomStickiness(
  rng: Rng,
  c: { readonly timezone: string; readonly weekStart: 0 | 1 },
): { query: Record<string, unknown>; specs: StickinessSpec[] } {
  const { interval, from, to, fromMs, toMs } = randomDateRange(rng, c);
  const intervalCount = rng() < 0.2 ? 2 + Math.floor(rng() * 2) : 1;
  const minCount = rng() < 0.2 ? 2 : 1;
  const cumulative = rng() < 0.3;
  const byTenant = rng() < 0.3;
  const filters = randomFilters(rng, 0.25);
  const series: EventMatcher[] = Array.from({ length: rng() < 0.3 ? 2 : 1 }, () => ({
    event: pick(rng, EVENTS),
    properties: randomFilters(rng, 0.2),
  }));
  // Compare to the previous range: the same number of intervals earlier (months are left to
  // the fixtures: a month back from a day late in one depends on the calendar's clamping).
  const compare = interval !== 'month' && rng() < 0.3;
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
    ...(compare ? { compareFilter: { compare: true } } : {}),
  };
  const ranges = [{ fromMs, toMs }];
  if (compare) {
    const n = intervalsBetween(fromMs, toMs - 1, interval, c.timezone, c.weekStart) + 1;
    const fromInstant = zonedToUtc(from, c.timezone);
    ranges.push({
      fromMs: bucketStart(
        addIntervals(fromInstant, -n, interval, c.timezone),
        interval,
        c.timezone,
        c.weekStart,
      ),
      toMs: addIntervals(toMs, -n, interval, c.timezone),
    });
  }
  const specs = ranges.flatMap((range) =>
    series.map(
      (s): StickinessSpec => ({
        series: s,
        dateRange: range,
        interval,
        timezone: c.timezone,
        weekStart: c.weekStart,
        intervalCount,
        minCountPerInterval: minCount,
        cumulative,
        aggregation: byTenant ? { kind: 'group', groupTypeIndex: 0 } : { kind: 'person' },
        filters,
      }),
    ),
  );
  return { query, specs };
}
