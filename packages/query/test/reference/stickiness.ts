// Reference stickiness (§2.4): for each actor, the number of intervals of the range in which it
// did the event (at least `minCountPerInterval` times); output, for n = 1..N, how many actors
// were active in exactly n intervals ("n or more" when cumulative).
//
// Decisions: the range's intervals are the buckets of [fromMs, toMs) (time.ts), grouped
// `intervalCount` at a time from the first one (the last group may be shorter); only events
// inside [fromMs, toMs) count; actors active in no interval are not reported.

import type { Dataset } from '../dataset.js';
import {
  type Aggregation,
  BY_PERSON,
  type DateRange,
  type EventMatcher,
  eventsByActor,
  inRange,
  matchesEvent,
} from './actors.js';
import { indexDataset, matchesAll, type PropertyFilter } from './filters.js';
import {
  bucketStarts,
  DEFAULT_WEEK_START,
  type Interval,
  intervalsBetween,
  type WeekStart,
} from './time.js';

export interface StickinessSpec {
  series: EventMatcher;
  dateRange: DateRange;
  interval: Interval;
  timezone: string;
  weekStart?: WeekStart;
  /** Intervals per counted unit (2 with 'day' = two-day units); default 1. */
  intervalCount?: number;
  /** Events an actor needs in a unit for it to count as active; default 1. */
  minCountPerInterval?: number;
  cumulative?: boolean;
  aggregation?: Aggregation;
  filters?: PropertyFilter[];
}

export interface StickinessPoint {
  /** Number of active units, 1..N. */
  intervals: number;
  /** Actors active in exactly that many units (at least that many when cumulative). */
  count: number;
  actorIds: string[];
}

export function evaluateStickiness(dataset: Dataset, spec: StickinessSpec): StickinessPoint[] {
  const index = indexDataset(dataset);
  const weekStart = spec.weekStart ?? DEFAULT_WEEK_START;
  const { fromMs, toMs } = spec.dateRange;
  const per = spec.intervalCount ?? 1;
  const units = Math.ceil(
    bucketStarts(fromMs, toMs, spec.interval, spec.timezone, weekStart).length / per,
  );
  const byActor = eventsByActor(
    index,
    spec.aggregation ?? BY_PERSON,
    (e) =>
      inRange(e.timestampMs, spec.dateRange) &&
      matchesEvent(index, e, spec.series) &&
      matchesAll(index, e, spec.filters),
  );
  const exactly: string[][] = Array.from({ length: units }, () => []);
  for (const [actor, events] of byActor) {
    const perUnit = new Map<number, number>();
    for (const e of events) {
      const unit = Math.floor(
        intervalsBetween(fromMs, e.timestampMs, spec.interval, spec.timezone, weekStart) / per,
      );
      perUnit.set(unit, (perUnit.get(unit) ?? 0) + 1);
    }
    const active = [...perUnit.values()].filter((c) => c >= (spec.minCountPerInterval ?? 1)).length;
    if (active > 0) exactly[active - 1]?.push(actor);
  }
  return exactly.map((_, i) => {
    const ids = (spec.cumulative === true ? exactly.slice(i).flat() : (exactly[i] ?? [])).sort();
    return { intervals: i + 1, count: ids.length, actorIds: ids };
  });
}
