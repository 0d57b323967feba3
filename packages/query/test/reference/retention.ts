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
// - Rolling windows: a cohort's start is the actor's earliest start event in the cohort period;
//   window k >= 1 counts return events at or after start + k·w and before start + (k + 1)·w, even
//   past the last period; not combinable with cumulative.
// - Breakdown (§2.1 rules): the value of the start event that puts the actor in cohort p (the
//   first one for first_time / first_ever; for recurring each start event of p, so one actor can
//   be in cohort p under several values); return events count whatever their value. Values rank
//   by their (actor, cohort) entries, ties by value; missing and '' are None, outside the limit;
//   past the limit the values fold into Other, where an actor counts once per cohort.

import type { Dataset, RefEvent } from '../dataset.js';
import {
  type Aggregation,
  BY_PERSON,
  type EventMatcher,
  eventsByActor,
  matchesEvent,
} from './actors.js';
import {
  BREAKDOWN_NULL,
  BREAKDOWN_OTHER,
  compareBreakdownKeys,
  DEFAULT_BREAKDOWN_LIMIT,
  folder,
  keptValues,
} from './breakdown.js';
import {
  indexDataset,
  matchesAll,
  type PropertyFilter,
  type PropertySource,
  propertyOf,
  stringForm,
} from './filters.js';
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
  /**
   * Rolling windows (`24_hour_windows`): cohort p's period k is [t + k·w, t + (k + 1)·w), t the
   * actor's first start event in period p; unset: calendar periods.
   */
  windowMs?: number;
  aggregation?: Aggregation;
  filters?: PropertyFilter[];
  breakdown?: RetentionBreakdownSpec;
}

export interface RetentionBreakdownSpec {
  type: PropertySource;
  key: string;
  groupTypeIndex?: number;
  /** Default 25. */
  limit?: number;
  /** Drop the Other bucket. */
  hideOther?: boolean;
}

/** One breakdown bucket's triangle; value is BREAKDOWN_NULL / BREAKDOWN_OTHER for those. */
export interface RetentionBucket {
  value: string;
  cohorts: RetentionCohort[];
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

/** The triangle over every cohort entry (a breakdown, if any, is ignored). */
export function evaluateRetention(dataset: Dataset, spec: RetentionSpec): RetentionCohort[] {
  const actors = actorsOf(dataset, spec);
  return fill(
    spec,
    actors.map((a) => ({ ...a, periods: new Set(a.entries.map((e) => e.p)) })),
  );
}

/** One triangle per breakdown bucket with an entry: kept values by weight, None, then Other. */
export function evaluateRetentionBreakdown(
  dataset: Dataset,
  spec: RetentionSpec & { breakdown: RetentionBreakdownSpec },
): RetentionBucket[] {
  const index = indexDataset(dataset);
  const { breakdown } = spec;
  const bucketOf = (e: RefEvent): string => {
    const raw = propertyOf(index, e, breakdown.type, breakdown.key, breakdown.groupTypeIndex ?? 0);
    const text = raw === undefined || raw === null ? '' : stringForm(raw);
    return text === '' ? BREAKDOWN_NULL : text;
  };
  const actors = actorsOf(dataset, spec, index).map((a) => ({
    ...a,
    // Distinct (p, value) entries: two start events of one period with one value are one entry.
    entries: [...new Set(a.entries.map((e) => `${e.p}\u0000${bucketOf(e.event)}`))].map((k) => {
      const [p, value] = k.split('\u0000') as [string, string];
      return { p: Number(p), value };
    }),
  }));
  const weights = new Map<string, number>();
  for (const a of actors)
    for (const e of a.entries) weights.set(e.value, (weights.get(e.value) ?? 0) + 1);
  const fold = folder(keptValues(weights, breakdown.limit ?? DEFAULT_BREAKDOWN_LIMIT));
  const buckets = new Set<string>();
  for (const a of actors) for (const e of a.entries) buckets.add(fold(e.value));
  if (breakdown.hideOther === true) buckets.delete(BREAKDOWN_OTHER);
  return [...buckets].sort(compareBreakdownKeys(weights)).map((value) => ({
    value,
    cohorts: fill(
      spec,
      actors.map((a) => ({
        ...a,
        periods: new Set(a.entries.filter((e) => fold(e.value) === value).map((e) => e.p)),
      })),
    ),
  }));
}

interface ActorActivity {
  actor: string;
  /** The start events that put the actor in cohort p. */
  entries: Array<{ p: number; event: RefEvent }>;
  /** Whether the actor, as a member of cohort c, returned in period p (c + k). */
  returned: (c: number, p: number) => boolean;
}

function actorsOf(
  dataset: Dataset,
  spec: RetentionSpec,
  index = indexDataset(dataset),
): ActorActivity[] {
  const n = spec.totalPeriods;
  const weekStart = spec.weekStart ?? DEFAULT_WEEK_START;
  const firstMs = bucketStart(spec.fromMs, spec.period, spec.timezone, weekStart);
  const periodOf = (ms: number): number | undefined => {
    const i = intervalsBetween(firstMs, ms, spec.period, spec.timezone, weekStart);
    return ms >= firstMs && i < n ? i : undefined;
  };
  const passes = (e: RefEvent, m: EventMatcher): boolean =>
    matchesEvent(index, e, m) && matchesAll(index, e, spec.filters);
  const result: ActorActivity[] = [];
  for (const [actor, events] of eventsByActor(index, spec.aggregation ?? BY_PERSON, () => true)) {
    const returns = new Map<number, number>();
    const returnTimes: number[] = [];
    for (const e of events) {
      if (!passes(e, spec.returnEvent)) continue;
      returnTimes.push(e.timestampMs);
      const p = periodOf(e.timestampMs);
      if (p !== undefined) returns.set(p, (returns.get(p) ?? 0) + 1);
    }
    const min = spec.minimumOccurrences ?? 1;
    const entries = cohortEntries(events, spec, passes, periodOf);
    const window = spec.windowMs;
    if (window === undefined) {
      result.push({ actor, entries, returned: (_c, p) => (returns.get(p) ?? 0) >= min });
      continue;
    }
    // Each cohort's start: its earliest entry.
    const starts = new Map<number, number>();
    for (const { p, event } of entries)
      starts.set(p, Math.min(starts.get(p) ?? Number.POSITIVE_INFINITY, event.timestampMs));
    const returned = (c: number, p: number): boolean => {
      const t = starts.get(c);
      if (t === undefined) return false;
      const from = t + (p - c) * window;
      return returnTimes.filter((ms) => ms >= from && ms < from + window).length >= min;
    };
    result.push({ actor, entries, returned });
  }
  return result;
}

function fill(
  spec: RetentionSpec,
  actors: ReadonlyArray<{
    actor: string;
    periods: Set<number>;
    returned: (c: number, p: number) => boolean;
  }>,
): RetentionCohort[] {
  const n = spec.totalPeriods;
  const weekStart = spec.weekStart ?? DEFAULT_WEEK_START;
  const firstMs = bucketStart(spec.fromMs, spec.period, spec.timezone, weekStart);
  const cohorts: RetentionCohort[] = Array.from({ length: n }, (_, p) => ({
    periodStartMs: addIntervals(firstMs, p, spec.period, spec.timezone),
    size: 0,
    values: new Array<number>(n - p).fill(0),
    actorIds: Array.from({ length: n - p }, () => []),
  }));
  for (const { actor, periods, returned } of actors) {
    for (const p of periods) {
      const cohort = cohorts[p];
      if (cohort === undefined) continue;
      for (let k = 0; k < n - p; k++) {
        const counted =
          k === 0 ||
          (spec.cumulative === true
            ? range(p + k, n).some((q) => returned(p, q))
            : returned(p, p + k));
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

function cohortEntries(
  events: readonly RefEvent[],
  spec: RetentionSpec,
  passes: (e: RefEvent, m: EventMatcher) => boolean,
  periodOf: (ms: number) => number | undefined,
): Array<{ p: number; event: RefEvent }> {
  const entries: Array<{ p: number; event: RefEvent }> = [];
  const add = (e: RefEvent | undefined): void => {
    const p = e === undefined ? undefined : periodOf(e.timestampMs);
    if (e !== undefined && p !== undefined) entries.push({ p, event: e });
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
  return entries;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}
