// The per-actor funnel walk of §2.2, with every attempt kept explicitly (PostHog's UDF keeps one
// slot per step instead; the furthest step comes out the same, and this reads like the spec):
// - every event matching step 1 opens an attempt entered at its time (unordered: any step event);
// - an event advances an attempt only while `t - entry <= window` (window from step 1), by one
//   step at most, and before it opens its own attempt, so one event never fills two steps;
// - events at the same instant are taken in step-index order (events matching no step last);
// - strict: an attempt not advanced by the events at an instant after its last step stops there;
// - exclusion X between steps i and j voids an attempt that reached i strictly before X, had not
//   reached j (a step at the same instant as X counts as before X), while X is in its window;
// - hold constant: an event advances an attempt only if each held property equals, as a string,
//   the value on the attempt's entry event; a missing value never equals anything.

import type { RefEvent } from '../dataset.js';
import { stringForm } from './filters.js';

export type FunnelOrder = 'ordered' | 'strict' | 'unordered';

/** One of an actor's events as the funnel sees it. */
export interface FunnelEvent {
  event: RefEvent;
  /** 0-based step indices the event matches, ascending. */
  steps: number[];
  /** Indices into `AttemptRules.exclusions` of the exclusions the event matches. */
  exclusions: number[];
  /** The event's values of the hold-constant properties, in order. */
  held: unknown[];
}

export interface ExclusionRange {
  /** 0-based: the attempt must have reached this step... */
  fromStep: number;
  /** ...and not yet this one. */
  toStep: number;
}

export interface AttemptRules {
  stepCount: number;
  windowMs: number;
  order: FunnelOrder;
  exclusions: readonly ExclusionRange[];
  /**
   * Extra condition for filling a step (breakdown attribution "step N"); `isEntry` when the event
   * would open the attempt. Default: any matching event.
   */
  canFill?: (step: number, event: FunnelEvent, isEntry: boolean) => boolean;
}

export interface Attempt {
  entryMs: number;
  /** Time of each step filled, in the order filled (ordered and strict: index k = step k). */
  stepMs: number[];
  stepEvents: RefEvent[];
  /** Unordered only: which steps are filled. */
  filled: boolean[];
  held: unknown[];
  isVoid: boolean;
  /** Strict only: reset by an unexpected event, cannot advance any more. */
  isStopped: boolean;
}

export function levelOf(attempt: Attempt): number {
  return attempt.stepMs.length;
}

/** All attempts of one actor, from its events sorted by time. */
export function runAttempts(events: readonly FunnelEvent[], rules: AttemptRules): Attempt[] {
  const attempts: Attempt[] = [];
  for (const group of tieGroups(events)) {
    const t = group[0]?.event.timestampMs ?? 0;
    for (const fe of group) {
      for (const attempt of attempts) advance(attempt, fe, t, rules);
      const entryStep = fe.steps.find(
        (s) => (s === 0 || rules.order === 'unordered') && (rules.canFill?.(s, fe, true) ?? true),
      );
      if (entryStep !== undefined) attempts.push(open(fe, entryStep, t, rules.stepCount));
    }
    if (rules.order === 'strict') {
      for (const attempt of attempts) {
        if ((attempt.stepMs.at(-1) ?? t) < t) attempt.isStopped = true;
      }
    }
    for (const fe of group) {
      for (const x of fe.exclusions) {
        const range = rules.exclusions[x];
        if (range === undefined) continue;
        for (const attempt of attempts) {
          if (isExcludedBy(attempt, range, t, rules)) attempt.isVoid = true;
        }
      }
    }
  }
  return attempts;
}

/**
 * The attempt that decides the actor's result: the furthest one; among equals the one that got
 * there first, then the one entered last (PostHog's UDF records the step the first time it is
 * reached, from the latest entry that could reach it). Void attempts compete too (§2.2: the
 * actor is removed if its best attempt is void).
 */
export function bestAttempt(attempts: readonly Attempt[]): Attempt | undefined {
  let best: Attempt | undefined;
  for (const a of attempts) {
    if (best === undefined) {
      best = a;
      continue;
    }
    const byLevel = levelOf(a) - levelOf(best);
    const byReached = (best.stepMs.at(-1) ?? 0) - (a.stepMs.at(-1) ?? 0);
    if (
      byLevel > 0 ||
      (byLevel === 0 && (byReached > 0 || (byReached === 0 && a.entryMs > best.entryMs)))
    ) {
      best = a;
    }
  }
  return best;
}

function open(fe: FunnelEvent, step: number, t: number, stepCount: number): Attempt {
  const filled = new Array<boolean>(stepCount).fill(false);
  filled[step] = true;
  return {
    entryMs: t,
    stepMs: [t],
    stepEvents: [fe.event],
    filled,
    held: fe.held,
    isVoid: false,
    isStopped: false,
  };
}

function advance(attempt: Attempt, fe: FunnelEvent, t: number, rules: AttemptRules): void {
  const level = levelOf(attempt);
  if (attempt.isVoid || attempt.isStopped || level >= rules.stepCount) return;
  if (t - attempt.entryMs > rules.windowMs || !holdsConstant(attempt.held, fe.held)) return;
  const canFill = (s: number): boolean => rules.canFill?.(s, fe, false) ?? true;
  const step =
    rules.order === 'unordered'
      ? fe.steps.find((s) => !attempt.filled[s] && canFill(s))
      : fe.steps.includes(level) && canFill(level)
        ? level
        : undefined;
  if (step === undefined) return;
  attempt.filled[step] = true;
  attempt.stepMs.push(t);
  attempt.stepEvents.push(fe.event);
}

function isExcludedBy(
  attempt: Attempt,
  range: ExclusionRange,
  t: number,
  rules: AttemptRules,
): boolean {
  if (attempt.isVoid || t - attempt.entryMs > rules.windowMs) return false;
  const level = levelOf(attempt);
  if (rules.order === 'unordered') {
    // Unordered exclusions span the whole funnel (§2.2).
    return level < rules.stepCount && attempt.entryMs < t;
  }
  const reachedFromMs = attempt.stepMs[range.fromStep];
  return reachedFromMs !== undefined && reachedFromMs < t && level <= range.toStep;
}

function holdsConstant(
  attemptValues: readonly unknown[],
  eventValues: readonly unknown[],
): boolean {
  return attemptValues.every((value, i) => {
    const other = eventValues[i];
    return (
      value !== undefined &&
      value !== null &&
      other !== undefined &&
      other !== null &&
      stringForm(value) === stringForm(other)
    );
  });
}

/** Events grouped by instant; within an instant by lowest step index, step-less events last. */
function tieGroups(events: readonly FunnelEvent[]): FunnelEvent[][] {
  const groups: FunnelEvent[][] = [];
  for (const fe of events) {
    const last = groups.at(-1);
    if (last !== undefined && last[0]?.event.timestampMs === fe.event.timestampMs) last.push(fe);
    else groups.push([fe]);
  }
  const rank = (fe: FunnelEvent): number => fe.steps[0] ?? Number.MAX_SAFE_INTEGER;
  for (const group of groups) group.sort((a, b) => rank(a) - rank(b));
  return groups;
}
