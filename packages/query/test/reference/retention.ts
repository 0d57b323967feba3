// Reference retention (§2.3): cohorts by the period of a start event, cells by returning events
// in later periods, calendar-aligned in the project's time zone. Stages: per actor, find its
// cohort periods and its active return periods -> fill the triangle.
//
// Decisions the semantics leave open (the engine must match them):
// - `totalPeriods` cohorts start at the period containing `fromMs`; cohort p has cells
//   k = 0 .. totalPeriods-1-p (the triangle), and returns after the last period are ignored.
// - Cell (p, 0) is the cohort size (§2.3: period 0 is the cohort itself).
// - first_time: the actor's first start event over all time that matches the start event's
//   filters and the global filters; first_ever: the actor's first event with the start event's
//   name, over all time and ignoring every filter, which must then pass them.
// - Global filters apply to start and return events alike.

import type { Dataset, RefEvent } from '../dataset.js';
import {
  type Aggregation,
  BY_PERSON,
  type EventMatcher,
  eventsByActor,
  matchesEvent,
} from './actors.js';
import { indexDataset, matchesAll, type PropertyFilter } from './filters.js';
import {
  addIntervals,
  bucketStart,
  DEFAULT_WEEK_START,
  type Interval,
  intervalsBetween,
  type WeekStart,
} from './time.js';

export type RetentionType = 'recurring' | 'first_time' | 'first_ever';

export interface RetentionSpec {
  startEvent: EventMatcher;
  returnEvent: EventMatcher;
  period: Interval;
  retentionType: RetentionType;
  /** Number of cohorts, and width of the triangle. */
  totalPeriods: number;
  /** The first cohort is the period that contains this instant. */
  fromMs: number;
  timezone: string;
  weekStart?: WeekStart;
  /** Count an actor at k if it returned in any period >= k ("on or after"). */
  cumulative?: boolean;
  /** Return events needed in a period to count as returned; default 1. */
  minimumOccurrences?: number;
  aggregation?: Aggregation;
  filters?: PropertyFilter[];
}

export interface RetentionCohort {
  periodStartMs: number;
  /** = values[0] */
  size: number;
  /** values[k] = actors of this cohort counted in period p + k. */
  values: number[];
  /** actorIds[k], sorted. */
  actorIds: string[][];
}

export function evaluateRetention(dataset: Dataset, spec: RetentionSpec): RetentionCohort[] {
  const index = indexDataset(dataset);
  const weekStart = spec.weekStart ?? DEFAULT_WEEK_START;
  const n = spec.totalPeriods;
  const firstMs = bucketStart(spec.fromMs, spec.period, spec.timezone, weekStart);
  const periodOf = (ms: number): number | undefined => {
    const i = intervalsBetween(firstMs, ms, spec.period, spec.timezone, weekStart);
    return ms >= firstMs && i < n ? i : undefined;
  };
  const passes = (e: RefEvent, m: EventMatcher): boolean =>
    matchesEvent(index, e, m) && matchesAll(index, e, spec.filters);

  const cohorts: RetentionCohort[] = Array.from({ length: n }, (_, p) => ({
    periodStartMs: addIntervals(firstMs, p, spec.period, spec.timezone),
    size: 0,
    values: new Array<number>(n - p).fill(0),
    actorIds: Array.from({ length: n - p }, () => []),
  }));

  const all = eventsByActor(index, spec.aggregation ?? BY_PERSON, () => true);
  for (const [actor, events] of all) {
    const returns = new Map<number, number>();
    for (const e of events) {
      const p = periodOf(e.timestampMs);
      if (p !== undefined && passes(e, spec.returnEvent)) returns.set(p, (returns.get(p) ?? 0) + 1);
    }
    const min = spec.minimumOccurrences ?? 1;
    const returned = (p: number): boolean => (returns.get(p) ?? 0) >= min;

    for (const p of cohortPeriods(events, spec, passes, periodOf)) {
      const cohort = cohorts[p];
      if (cohort === undefined) continue;
      for (let k = 0; k < n - p; k++) {
        const counted =
          k === 0 || (spec.cumulative === true ? range(p + k, n).some(returned) : returned(p + k));
        if (!counted) continue;
        cohort.values[k] = (cohort.values[k] ?? 0) + 1;
        cohort.actorIds[k]?.push(actor);
      }
    }
  }
  for (const cohort of cohorts) {
    cohort.size = cohort.values[0] ?? 0;
    for (const ids of cohort.actorIds) ids.sort();
  }
  return cohorts;
}

function cohortPeriods(
  events: readonly RefEvent[],
  spec: RetentionSpec,
  passes: (e: RefEvent, m: EventMatcher) => boolean,
  periodOf: (ms: number) => number | undefined,
): Set<number> {
  const periods = new Set<number>();
  const add = (e: RefEvent | undefined): void => {
    const p = e === undefined ? undefined : periodOf(e.timestampMs);
    if (p !== undefined) periods.add(p);
  };
  switch (spec.retentionType) {
    case 'recurring':
      for (const e of events) if (passes(e, spec.startEvent)) add(e);
      break;
    case 'first_time':
      add(events.find((e) => passes(e, spec.startEvent)));
      break;
    case 'first_ever': {
      const name = spec.startEvent.event;
      const first = events.find((e) => name === null || e.event === name);
      if (first !== undefined && passes(first, spec.startEvent)) add(first);
      break;
    }
  }
  return periods;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}
