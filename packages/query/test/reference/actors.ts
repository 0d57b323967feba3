// What every reference evaluator shares: who the actor of an event is (a person, or a group key
// of one group type: §2.8), which events a series matches, and the half-open date range.
//
// Decisions the engine must match:
// - By person, events with `personId === null` (personless, `$process_person_profile: false`)
//   belong to no actor and are skipped; §2.5 says so for lifecycle and we apply it everywhere.
// - By group, events whose `groups[groupTypeIndex]` is null are skipped.
// - Date ranges are half-open [fromMs, toMs) in epoch ms.
// - An actor's events at the same instant are ordered by uuid, so evaluation is deterministic.

import type { RefEvent } from '../dataset.js';
import { type DatasetIndex, groupOf, matchesAll, type PropertyFilter } from './filters.js';

export type Aggregation = { kind: 'person' } | { kind: 'group'; groupTypeIndex: number };

export const BY_PERSON: Aggregation = { kind: 'person' };

/** `[fromMs, toMs)` in epoch ms. */
export interface DateRange {
  fromMs: number;
  toMs: number;
}

/** An event name (null = any event) with its own property filters (all must hold). */
export interface EventMatcher {
  event: string | null;
  properties?: PropertyFilter[];
}

export function actorOf(event: RefEvent, aggregation: Aggregation): string | null {
  return aggregation.kind === 'person'
    ? event.personId
    : (event.groups[aggregation.groupTypeIndex] ?? null);
}

export function matchesEvent(index: DatasetIndex, event: RefEvent, matcher: EventMatcher): boolean {
  return (
    (matcher.event === null || matcher.event === event.event) &&
    matchesAll(index, event, matcher.properties)
  );
}

export function inRange(ms: number, range: DateRange): boolean {
  return ms >= range.fromMs && ms < range.toMs;
}

export function compareEvents(a: RefEvent, b: RefEvent): number {
  return a.timestampMs - b.timestampMs || (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0);
}

/** Events that pass `keep`, grouped by actor, each list sorted by time then uuid. */
export function eventsByActor(
  index: DatasetIndex,
  aggregation: Aggregation,
  keep: (event: RefEvent) => boolean,
): Map<string, RefEvent[]> {
  const byActor = new Map<string, RefEvent[]>();
  for (const event of index.dataset.events) {
    const actor = actorOf(event, aggregation);
    if (actor === null || !keep(event)) continue;
    const list = byActor.get(actor);
    if (list === undefined) byActor.set(actor, [event]);
    else list.push(event);
  }
  for (const list of byActor.values()) list.sort(compareEvents);
  return byActor;
}

/** Person creation time, or group creation time (§2.5); undefined for an unknown actor. */
export function createdAtOf(
  index: DatasetIndex,
  actor: string,
  aggregation: Aggregation,
): number | undefined {
  return aggregation.kind === 'person'
    ? index.persons.get(actor)?.createdAtMs
    : groupOf(index, aggregation.groupTypeIndex, actor)?.createdAtMs;
}

/** Mean of a list; null when empty. */
export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Median, the mean of the two middle values for an even count (DuckDB's `median`); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}
