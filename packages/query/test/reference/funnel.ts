// Reference funnel (§2.2): per actor, the furthest step of its best attempt (funnel-attempts.ts),
// counted once; broken down by a property with first-touch, last-touch, step-N or all-events
// attribution. Stages: select the actor's events -> walk attempts -> pick the best -> count.
//
// Decisions the semantics leave open (the engine must match them):
// - All steps must happen inside the date range, not only the entry.
// - Strict order sees every event of the actor that passes the global filters; the other orders
//   see only events that match a step or an exclusion.
// - Breakdown values are bucketed *before* the walk: values beyond the limit become "Other" and
//   an attempt under step-N attribution must fill step N with an event in its bucket. Buckets are
//   ranked by their count of actors at step 1 (ties by value).
// - First/last touch: the value on the earliest/latest step event (in range, passing the global
//   filters) that has one, events at the same instant ordered by uuid; none -> "None".
// - Step N: each bucket found on the actor's step-N events is tried; the actor is counted once,
//   under the bucket whose best attempt wins (bestAttempt's order; ties -> smaller value).
// - All events: the walk is repeated per value over the events carrying it (exclusion events
//   included), so an actor can count under several values (§2.2).

import type { Dataset } from '../dataset.js';
import { BY_PERSON, eventsByActor, inRange, matchesEvent, mean, median } from './actors.js';
import {
  BREAKDOWN_NULL,
  breakdownKey,
  compareBreakdownKeys,
  DEFAULT_BREAKDOWN_LIMIT,
  folder,
  keptValues,
} from './breakdown.js';
import { type DatasetIndex, indexDataset, matchesAll, propertyOf, stringForm } from './filters.js';
import {
  type Attempt,
  type AttemptRules,
  bestAttempt,
  type FunnelEvent,
  levelOf,
  runAttempts,
} from './funnel-attempts.js';
import {
  type BreakdownAttribution,
  DEFAULT_FUNNEL_WINDOW,
  type FunnelBreakdown,
  type FunnelExclusion,
  type FunnelSpec,
  validateFunnelSpec,
  WINDOW_UNIT_MS,
  type WindowUnit,
} from './funnel-spec.js';

export type { BreakdownAttribution, FunnelBreakdown, FunnelExclusion, FunnelSpec, WindowUnit };

export interface FunnelStepResult {
  /** Actors whose best attempt reached this step. */
  count: number;
  actorIds: string[];
  /** Time from the previous step over those actors (ms); null on step 1 or when none. */
  meanTimeMs: number | null;
  medianTimeMs: number | null;
}

export interface FunnelSeries {
  /** Bucket (BREAKDOWN_NULL / BREAKDOWN_OTHER included); absent without a breakdown. */
  breakdownValue?: string;
  steps: FunnelStepResult[];
}

/** An actor's counted attempt (never void) and its breakdown bucket. */
export interface FunnelOutcome {
  actor: string;
  attempt: Attempt;
  breakdownValue?: string;
}

export function evaluateFunnel(dataset: Dataset, spec: FunnelSpec): FunnelSeries[] {
  validateFunnelSpec(spec);
  const breakdown = spec.breakdown;
  if (breakdown === undefined) return [toSeries(funnelOutcomes(dataset, spec), spec.steps.length)];
  const unlimited = funnelOutcomes(dataset, spec);
  const kept = keptValues(countByBucket(unlimited), breakdown.limit ?? DEFAULT_BREAKDOWN_LIMIT);
  const outcomes = funnelOutcomes(dataset, spec, folder(kept));
  const byBucket = new Map<string, FunnelOutcome[]>();
  for (const o of outcomes) {
    const bucket = o.breakdownValue ?? BREAKDOWN_NULL;
    const list = byBucket.get(bucket);
    if (list === undefined) byBucket.set(bucket, [o]);
    else list.push(o);
  }
  return [...byBucket.keys()].sort(compareBreakdownKeys(countByBucket(outcomes))).map((bucket) => ({
    breakdownValue: bucket,
    ...toSeries(byBucket.get(bucket) ?? [], spec.steps.length),
  }));
}

/** Every counted (actor, attempt, bucket); `fold` maps breakdown values to their bucket. */
export function funnelOutcomes(
  dataset: Dataset,
  spec: FunnelSpec,
  fold: (value: string) => string = (v) => v,
): FunnelOutcome[] {
  validateFunnelSpec(spec);
  const index = indexDataset(dataset);
  const rules = attemptRules(spec);
  const breakdown = spec.breakdown;
  const outcomes: FunnelOutcome[] = [];
  for (const [actor, events] of actorFunnelEvents(index, spec)) {
    const counted = (attempt: Attempt | undefined, breakdownValue?: string): void => {
      if (attempt === undefined || attempt.isVoid) return;
      outcomes.push(
        breakdownValue === undefined ? { actor, attempt } : { actor, attempt, breakdownValue },
      );
    };
    if (breakdown === undefined) {
      counted(bestAttempt(runAttempts(events, rules)));
      continue;
    }
    const propertyValue = (fe: FunnelEvent, p: Omit<FunnelBreakdown, 'attribution'>): unknown =>
      propertyOf(index, fe.event, p.source, p.key, p.groupTypeIndex);
    const bucketOf = (fe: FunnelEvent): string => {
      if (breakdown.also === undefined) return fold(breakdownKey(propertyValue(fe, breakdown)));
      const values = [breakdown, ...breakdown.also].map((p) => {
        const raw = propertyValue(fe, p);
        const text = raw === undefined || raw === null ? '' : stringForm(raw);
        return text === '' ? null : text;
      });
      return fold(values.every((v) => v === null) ? BREAKDOWN_NULL : JSON.stringify(values));
    };
    const stepEvents = events.filter((fe) => fe.steps.length > 0);
    const attribution = breakdown.attribution;
    if (attribution.kind === 'first_touch' || attribution.kind === 'last_touch') {
      const ordered = attribution.kind === 'first_touch' ? stepEvents : [...stepEvents].reverse();
      const touch = ordered.map(bucketOf).find((b) => b !== BREAKDOWN_NULL) ?? BREAKDOWN_NULL;
      counted(bestAttempt(runAttempts(events, rules)), touch);
    } else if (attribution.kind === 'all_events') {
      for (const bucket of new Set(stepEvents.map(bucketOf))) {
        const own = events.filter((fe) => bucketOf(fe) === bucket);
        counted(bestAttempt(runAttempts(own, rules)), bucket);
      }
    } else {
      const n = attribution.step;
      const unordered = rules.order === 'unordered';
      // Unordered funnels attribute to the entry event, which may fill any step.
      const fillers = unordered ? stepEvents : stepEvents.filter((fe) => fe.steps.includes(n));
      const candidates = [...new Set(fillers.map(bucketOf))].sort();
      let winner: { attempt: Attempt; bucket: string } | undefined;
      for (const bucket of candidates.length > 0 ? candidates : [BREAKDOWN_NULL]) {
        const gated: AttemptRules = {
          ...rules,
          canFill: (step, fe, isEntry) =>
            (unordered ? isEntry : step === n) ? bucketOf(fe) === bucket : true,
        };
        const best = bestAttempt(runAttempts(events, gated));
        if (best === undefined) continue;
        if (winner === undefined || bestAttempt([winner.attempt, best]) !== winner.attempt) {
          winner = { attempt: best, bucket };
        }
      }
      counted(winner?.attempt, winner?.bucket ?? BREAKDOWN_NULL);
    }
  }
  return outcomes;
}

/** Each actor's events as the funnel walk sees them (range, global filters, step matches). */
export function actorFunnelEvents(
  index: DatasetIndex,
  spec: FunnelSpec,
): Map<string, FunnelEvent[]> {
  const strict = (spec.order ?? 'ordered') === 'strict';
  const held = spec.holdConstant ?? [];
  const result = new Map<string, FunnelEvent[]>();
  const byActor = eventsByActor(
    index,
    spec.aggregation ?? BY_PERSON,
    (e) => inRange(e.timestampMs, spec.dateRange) && matchesAll(index, e, spec.filters),
  );
  for (const [actor, events] of byActor) {
    const funnelEvents: FunnelEvent[] = [];
    for (const event of events) {
      const steps = indicesWhere(spec.steps, (m) => matchesEvent(index, event, m));
      const exclusions = indicesWhere(spec.exclusions ?? [], (m) => matchesEvent(index, event, m));
      if (!strict && steps.length === 0 && exclusions.length === 0) continue;
      funnelEvents.push({
        event,
        steps,
        exclusions,
        held: held.map((key) => event.properties[key]),
      });
    }
    if (funnelEvents.length > 0) result.set(actor, funnelEvents);
  }
  return result;
}

export function attemptRules(spec: FunnelSpec): AttemptRules {
  const window = spec.window ?? DEFAULT_FUNNEL_WINDOW;
  return {
    stepCount: spec.steps.length,
    windowMs: window.count * WINDOW_UNIT_MS[window.unit],
    order: spec.order ?? 'ordered',
    exclusions: spec.exclusions ?? [],
  };
}

function toSeries(outcomes: readonly FunnelOutcome[], stepCount: number): FunnelSeries {
  const steps: FunnelStepResult[] = [];
  for (let k = 0; k < stepCount; k++) {
    const reached = outcomes.filter((o) => levelOf(o.attempt) > k);
    const times =
      k === 0
        ? []
        : reached.map((o) => (o.attempt.stepMs[k] ?? 0) - (o.attempt.stepMs[k - 1] ?? 0));
    steps.push({
      count: reached.length,
      actorIds: reached.map((o) => o.actor).sort(),
      meanTimeMs: mean(times),
      medianTimeMs: median(times),
    });
  }
  return { steps };
}

function countByBucket(outcomes: readonly FunnelOutcome[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const o of outcomes) {
    const bucket = o.breakdownValue ?? BREAKDOWN_NULL;
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  }
  return counts;
}

function indicesWhere<T>(items: readonly T[], predicate: (item: T) => boolean): number[] {
  const out: number[] = [];
  items.forEach((item, i) => {
    if (predicate(item)) out.push(i);
  });
  return out;
}
