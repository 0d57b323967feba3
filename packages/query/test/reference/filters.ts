// Property filters for the reference evaluators, in PostHog's leaf shape (type, key, operator,
// value) so engine tests can pass the same filters to both sides. Semantics, written to be
// checked rather than to be fast:
// - a missing property is `undefined`/`null`; it matches only `is_not_set`, `is_not` and
//   `not_icontains` (PostHog wraps the negative operators in ifNull(..., 1));
// - `exact`/`is_not` compare the string forms, a list value means "any of";
// - `gt`/`gte`/`lt`/`lte` cast both sides to numbers; a non-numeric property never matches;
// - person properties are the person's current ones; group properties are those of the group
//   whose key the event carries in `groups[groupTypeIndex]`.

import type { Dataset, RefEvent, RefGroup, RefPerson } from '../dataset.js';

export type PropertySource = 'event' | 'person' | 'group';

export type FilterOperator =
  | 'exact'
  | 'is_not'
  | 'icontains'
  | 'not_icontains'
  | 'regex'
  | 'not_regex'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'is_set'
  | 'is_not_set';

export type FilterValue = string | number | boolean | (string | number | boolean)[];

export interface PropertyFilter {
  type: PropertySource;
  key: string;
  operator: FilterOperator;
  value?: FilterValue;
  /** Required when `type` is 'group'. */
  groupTypeIndex?: number;
}

/** Lookups the evaluators share; build once per evaluation with `indexDataset`. */
export interface DatasetIndex {
  dataset: Dataset;
  persons: Map<string, RefPerson>;
  /** Keyed by `${groupTypeIndex}:${groupKey}`. */
  groups: Map<string, RefGroup>;
}

export function indexDataset(dataset: Dataset): DatasetIndex {
  return {
    dataset,
    persons: new Map(dataset.persons.map((p) => [p.id, p])),
    groups: new Map(dataset.groups.map((g) => [`${g.groupTypeIndex}:${g.groupKey}`, g])),
  };
}

export function groupOf(
  index: DatasetIndex,
  groupTypeIndex: number,
  key: string | null | undefined,
): RefGroup | undefined {
  return key === null || key === undefined
    ? undefined
    : index.groups.get(`${groupTypeIndex}:${key}`);
}

/** The value of a property as seen from `event`; undefined when missing. */
export function propertyOf(
  index: DatasetIndex,
  event: RefEvent,
  source: PropertySource,
  key: string,
  groupTypeIndex = 0,
): unknown {
  switch (source) {
    case 'event':
      return event.properties[key];
    case 'person':
      return event.personId === null
        ? undefined
        : index.persons.get(event.personId)?.properties[key];
    case 'group':
      return groupOf(index, groupTypeIndex, event.groups[groupTypeIndex])?.properties[key];
  }
}

export function matchesValue(
  actual: unknown,
  operator: FilterOperator,
  value: FilterValue | undefined,
): boolean {
  const missing = actual === undefined || actual === null;
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const text = missing ? '' : stringForm(actual);
  switch (operator) {
    case 'is_set':
      return !missing;
    case 'is_not_set':
      return missing;
    case 'exact':
      return !missing && values.some((v) => String(v) === text);
    case 'is_not':
      return missing || !values.some((v) => String(v) === text);
    case 'icontains':
      return !missing && text.toLowerCase().includes(String(values[0] ?? '').toLowerCase());
    case 'not_icontains':
      return missing || !text.toLowerCase().includes(String(values[0] ?? '').toLowerCase());
    case 'regex':
      return !missing && new RegExp(String(values[0] ?? '')).test(text);
    case 'not_regex':
      return missing || !new RegExp(String(values[0] ?? '')).test(text);
    default: {
      const a = toNumber(actual);
      const b = toNumber(values[0]);
      if (a === undefined || b === undefined) return false;
      if (operator === 'gt') return a > b;
      if (operator === 'gte') return a >= b;
      if (operator === 'lt') return a < b;
      return a <= b;
    }
  }
}

export function matchesFilter(
  index: DatasetIndex,
  event: RefEvent,
  filter: PropertyFilter,
): boolean {
  const actual = propertyOf(index, event, filter.type, filter.key, filter.groupTypeIndex);
  return matchesValue(actual, filter.operator, filter.value);
}

/** All filters hold (a list of filters is an AND, as in PostHog). */
export function matchesAll(
  index: DatasetIndex,
  event: RefEvent,
  filters: readonly PropertyFilter[] | undefined,
): boolean {
  return (filters ?? []).every((f) => matchesFilter(index, event, f));
}

/** The string a property value compares and breaks down as: booleans 'true'/'false', JSON otherwise. */
export function stringForm(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}
