// Reference cohort membership (§2.7) at a given `nowMs`: static lists, and dynamic definitions
// as an AND/OR tree whose leaves may be negated. Persons only.
//
// Decisions the semantics leave open (the engine must match them):
// - "In the last D" is `nowMs - D < t <= nowMs`, with day = 24 h, week = 7 d, month = 30 d and
//   year = 365 d (§2.7, realtime rules); events after `nowMs` do not exist.
// - performed_event_multiple: a count of zero never matches (§2.7), so "at most 2 times" means
//   1-2 times; negate the leaf for "fewer than N, zero included".
// - performed_event_first_time: the person's first matching event ever is in the window.
// - stopped_performing_event: a matching event in (now - within, now - recent], none in
//   (now - recent, now].
// - group_property (tenant): the person has an event (up to now) carrying a group of that type
//   whose properties match.
// - Negation is relative to all persons of the dataset; a static list keeps only known persons.

import type { Dataset, RefEvent } from '../dataset.js';
import { type EventMatcher, matchesEvent } from './actors.js';
import {
  type DatasetIndex,
  type FilterOperator,
  type FilterValue,
  groupOf,
  indexDataset,
  matchesValue,
} from './filters.js';
import { DAY_MS, HOUR_MS, WEEK_MS } from './time.js';

export type CohortWindowUnit = 'hour' | 'day' | 'week' | 'month' | 'year';
export interface CohortWindow {
  count: number;
  unit: CohortWindowUnit;
}
export const COHORT_WINDOW_UNIT_MS: Record<CohortWindowUnit, number> = {
  hour: HOUR_MS,
  day: DAY_MS,
  week: WEEK_MS,
  month: 30 * DAY_MS,
  year: 365 * DAY_MS,
};

export type CountOperator = 'gte' | 'gt' | 'lte' | 'lt' | 'eq';

interface Negatable {
  negated?: boolean;
}
export type CohortLeaf = Negatable &
  (
    | { type: 'person_property'; key: string; operator: FilterOperator; value?: FilterValue }
    | {
        type: 'group_property';
        groupTypeIndex: number;
        key: string;
        operator: FilterOperator;
        value?: FilterValue;
      }
    | { type: 'performed_event'; event: EventMatcher; within: CohortWindow }
    | {
        type: 'performed_event_multiple';
        event: EventMatcher;
        operator: CountOperator;
        count: number;
        within: CohortWindow;
      }
    | { type: 'performed_event_first_time'; event: EventMatcher; within: CohortWindow }
    | {
        type: 'stopped_performing_event';
        event: EventMatcher;
        within: CohortWindow;
        recent: CohortWindow;
      }
    | { type: 'in_cohort'; cohort: CohortDefinition }
  );

export interface CohortGroup {
  type: 'AND' | 'OR';
  values: CohortNode[];
}
export type CohortNode = CohortGroup | CohortLeaf;

const isGroup = (node: CohortNode): node is CohortGroup =>
  node.type === 'AND' || node.type === 'OR';

export type CohortDefinition =
  | { kind: 'static'; personIds: string[] }
  | { kind: 'dynamic'; filter: CohortNode };

/** Sorted ids of the persons in the cohort at `nowMs`. */
export function cohortMembers(
  dataset: Dataset,
  definition: CohortDefinition,
  nowMs: number,
): string[] {
  const index = indexDataset(dataset);
  const eventsOf = new Map<string, RefEvent[]>();
  for (const e of dataset.events) {
    if (e.personId === null || e.timestampMs > nowMs) continue;
    const list = eventsOf.get(e.personId);
    if (list === undefined) eventsOf.set(e.personId, [e]);
    else list.push(e);
  }
  const context: Context = { index, nowMs, eventsOf: (id) => eventsOf.get(id) ?? [] };
  return dataset.persons
    .map((p) => p.id)
    .filter((id) => isMember(context, definition, id))
    .sort();
}

interface Context {
  index: DatasetIndex;
  nowMs: number;
  /** The person's events up to now, in dataset order. */
  eventsOf: (personId: string) => RefEvent[];
}

function isMember(context: Context, definition: CohortDefinition, personId: string): boolean {
  return definition.kind === 'static'
    ? definition.personIds.includes(personId)
    : holds(context, definition.filter, personId);
}

function holds(context: Context, node: CohortNode, personId: string): boolean {
  if (isGroup(node)) {
    const test = (child: CohortNode): boolean => holds(context, child, personId);
    return node.type === 'AND' ? node.values.every(test) : node.values.some(test);
  }
  return leafHolds(context, node, personId) !== (node.negated === true);
}

function leafHolds(context: Context, leaf: CohortLeaf, personId: string): boolean {
  const { index, nowMs } = context;
  const events = context.eventsOf(personId);
  const since = (w: CohortWindow): number => nowMs - w.count * COHORT_WINDOW_UNIT_MS[w.unit];
  const matching = (m: EventMatcher): RefEvent[] => events.filter((e) => matchesEvent(index, e, m));
  switch (leaf.type) {
    case 'person_property':
      return matchesValue(
        index.persons.get(personId)?.properties[leaf.key],
        leaf.operator,
        leaf.value,
      );
    case 'group_property':
      return events.some((e) => {
        const group = groupOf(index, leaf.groupTypeIndex, e.groups[leaf.groupTypeIndex]);
        return (
          group !== undefined && matchesValue(group.properties[leaf.key], leaf.operator, leaf.value)
        );
      });
    case 'performed_event':
      return matching(leaf.event).some((e) => e.timestampMs > since(leaf.within));
    case 'performed_event_multiple': {
      const count = matching(leaf.event).filter((e) => e.timestampMs > since(leaf.within)).length;
      return count > 0 && compareCount(count, leaf.operator, leaf.count);
    }
    case 'performed_event_first_time': {
      const times = matching(leaf.event).map((e) => e.timestampMs);
      return times.length > 0 && Math.min(...times) > since(leaf.within);
    }
    case 'stopped_performing_event': {
      const times = matching(leaf.event).map((e) => e.timestampMs);
      const recentFrom = since(leaf.recent);
      return (
        times.some((t) => t > since(leaf.within) && t <= recentFrom) &&
        !times.some((t) => t > recentFrom)
      );
    }
    case 'in_cohort':
      return isMember(context, leaf.cohort, personId);
  }
}

function compareCount(count: number, operator: CountOperator, value: number): boolean {
  switch (operator) {
    case 'gte':
      return count >= value;
    case 'gt':
      return count > value;
    case 'lte':
      return count <= value;
    case 'lt':
      return count < value;
    case 'eq':
      return count === value;
  }
}
