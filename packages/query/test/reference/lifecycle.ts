// Reference lifecycle (§2.5): per actor, its active periods (looking one period back before the
// range) and its creation period (person or group createdAt); each active period in the range
// is new (= creation period), returning (active in the period before) or resurrecting; the period
// after an active period without activity is dormant, reported as a negative count.
//
// Decisions: the buckets are those of [fromMs, toMs) (time.ts), `fromMs` being a bucket start;
// "new" wins over "returning" when both hold (events before creation, e.g. merged ids); dormant
// is reported only for periods inside the range; personless events do not count (§2.5).

import type { Dataset } from '../dataset.js';
import {
  type Aggregation,
  BY_PERSON,
  createdAtOf,
  type DateRange,
  type EventMatcher,
  eventsByActor,
  matchesEvent,
} from './actors.js';
import { indexDataset, matchesAll, type PropertyFilter } from './filters.js';
import {
  addIntervals,
  bucketStarts,
  DEFAULT_WEEK_START,
  type Interval,
  intervalsBetween,
  type WeekStart,
} from './time.js';

export type LifecycleStatus = 'new' | 'returning' | 'resurrecting' | 'dormant';

export interface LifecycleSpec {
  series: EventMatcher;
  dateRange: DateRange;
  interval: Interval;
  timezone: string;
  weekStart?: WeekStart;
  aggregation?: Aggregation;
  filters?: PropertyFilter[];
}

export interface LifecyclePoint {
  bucketStartMs: number;
  new: number;
  returning: number;
  resurrecting: number;
  /** Zero or negative. */
  dormant: number;
  actorIds: Record<LifecycleStatus, string[]>;
}

export function evaluateLifecycle(dataset: Dataset, spec: LifecycleSpec): LifecyclePoint[] {
  const index = indexDataset(dataset);
  const aggregation = spec.aggregation ?? BY_PERSON;
  const weekStart = spec.weekStart ?? DEFAULT_WEEK_START;
  const starts = bucketStarts(
    spec.dateRange.fromMs,
    spec.dateRange.toMs,
    spec.interval,
    spec.timezone,
    weekStart,
  );
  const first = starts[0];
  if (first === undefined) return [];
  const lookbackMs = addIntervals(first, -1, spec.interval, spec.timezone);
  const periodOf = (ms: number): number =>
    intervalsBetween(first, ms, spec.interval, spec.timezone, weekStart);
  const points: LifecyclePoint[] = starts.map((bucketStartMs) => ({
    bucketStartMs,
    new: 0,
    returning: 0,
    resurrecting: 0,
    dormant: 0,
    actorIds: { new: [], returning: [], resurrecting: [], dormant: [] },
  }));
  const mark = (period: number, status: LifecycleStatus, actor: string): void => {
    const point = points[period];
    if (point === undefined) return;
    point[status] += status === 'dormant' ? -1 : 1;
    point.actorIds[status].push(actor);
  };

  const byActor = eventsByActor(
    index,
    aggregation,
    (e) =>
      e.timestampMs >= lookbackMs &&
      e.timestampMs < spec.dateRange.toMs &&
      matchesEvent(index, e, spec.series) &&
      matchesAll(index, e, spec.filters),
  );
  for (const [actor, events] of byActor) {
    const active = new Set(events.map((e) => periodOf(e.timestampMs)));
    const createdAtMs = createdAtOf(index, actor, aggregation);
    const created = createdAtMs === undefined ? undefined : periodOf(createdAtMs);
    for (const p of active) {
      if (p >= 0) {
        mark(p, p === created ? 'new' : active.has(p - 1) ? 'returning' : 'resurrecting', actor);
      }
      if (!active.has(p + 1)) mark(p + 1, 'dormant', actor);
    }
  }
  for (const point of points) {
    for (const ids of Object.values(point.actorIds)) ids.sort();
  }
  return points;
}
