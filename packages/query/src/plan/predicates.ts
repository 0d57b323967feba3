import type { CohortPlan } from '../cohorts/plan.js';
import { QueryError } from '../errors.js';
import type {
  AnyPropertyFilter,
  LeafPropertyFilter,
  PropertiesInput,
  PropertyGroupFilter,
} from '../spec/filters.js';

// Filters as the planner's IR: a boolean tree of property tests, the same for every insight and
// every dialect. Each test is stated positively and false for a missing property; a negated
// test (`is_not`, `not_icontains`, `not_regex`, `not_between`, `is_not_set`) is its NOT, so
// a missing property matches it, as in PostHog.

export type PropertySource =
  | { readonly type: 'event' }
  | { readonly type: 'person' }
  | { readonly type: 'group'; readonly index: number };

export interface PropertyRef {
  readonly source: PropertySource;
  readonly key: string;
}

/** Values compare as text: numbers as JSON writes them (`5`, `1.5`), booleans `true`/`false`. */
export type ValueTest =
  | { readonly op: 'in'; readonly values: readonly string[] }
  | { readonly op: 'icontains'; readonly value: string }
  | { readonly op: 'regex'; readonly pattern: string }
  | { readonly op: 'compare'; readonly cmp: 'gt' | 'gte' | 'lt' | 'lte'; readonly value: number }
  | { readonly op: 'between'; readonly min: number; readonly max: number }
  | { readonly op: 'is_set' };

export type Predicate =
  | { readonly kind: 'and' | 'or'; readonly children: readonly Predicate[] }
  | {
      readonly kind: 'property';
      readonly property: PropertyRef;
      readonly test: ValueTest;
      readonly negated: boolean;
    }
  | {
      readonly kind: 'cohort';
      readonly cohortId: number;
      readonly negated: boolean;
      /** Set by resolveCohorts (cohorts/filters.ts) before the predicate reaches SQL. */
      readonly plan?: CohortPlan;
    };

export const valueText = (value: string | number | boolean): string =>
  typeof value === 'string' ? value : JSON.stringify(value);

/** Both trees must hold; either may be absent. */
export function allOf(...parts: ReadonlyArray<Predicate | null>): Predicate | null {
  const children = parts.filter((part): part is Predicate => part !== null);
  if (children.length === 0) return null;
  if (children.length === 1) return children[0] ?? null;
  return { kind: 'and', children };
}

/** Spec filters (list or group tree) -> predicate; null when there is nothing to test. */
export function toPredicate(
  input: PropertiesInput | null | undefined,
  path: string,
): Predicate | null {
  if (input === null || input === undefined) return null;
  if (Array.isArray(input))
    return allOf(...input.map((filter, i) => leafPredicate(filter, `${path}[${i}]`)));
  return groupPredicate(input, path);
}

function groupPredicate(group: PropertyGroupFilter, path: string): Predicate | null {
  const children = group.values
    .map((value, i) =>
      'values' in value
        ? groupPredicate(value, `${path}.values[${i}]`)
        : leafPredicate(value, `${path}.values[${i}]`),
    )
    .filter((child): child is Predicate => child !== null);
  if (children.length === 0) return null;
  if (children.length === 1) return children[0] ?? null;
  return { kind: group.type === 'AND' ? 'and' : 'or', children };
}

function leafPredicate(filter: AnyPropertyFilter, path: string): Predicate {
  if (filter.type === 'cohort')
    return { kind: 'cohort', cohortId: filter.value, negated: filter.operator === 'not_in' };
  const source: PropertySource =
    filter.type === 'group'
      ? { type: 'group', index: filter.group_type_index }
      : { type: filter.type };
  const { test, negated } = valueTest(filter, path);
  return { kind: 'property', property: { source, key: filter.key }, test, negated };
}

function valueTest(
  filter: LeafPropertyFilter,
  path: string,
): { test: ValueTest; negated: boolean } {
  const { operator, value } = filter;
  const list = (
    Array.isArray(value) ? value : value === null || value === undefined ? [] : [value]
  ).map(valueText);
  const number = (v: unknown): number => Number(v);
  switch (operator) {
    case 'exact':
    case 'in':
      return { test: { op: 'in', values: list }, negated: false };
    case 'is_not':
    case 'not_in':
      return { test: { op: 'in', values: list }, negated: true };
    case 'icontains':
    case 'not_icontains':
      return {
        test: { op: 'icontains', value: list[0] ?? '' },
        negated: operator === 'not_icontains',
      };
    case 'regex':
    case 'not_regex':
      return { test: { op: 'regex', pattern: list[0] ?? '' }, negated: operator === 'not_regex' };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return { test: { op: 'compare', cmp: operator, value: number(value) }, negated: false };
    case 'min':
      return { test: { op: 'compare', cmp: 'gte', value: number(value) }, negated: false };
    case 'max':
      return { test: { op: 'compare', cmp: 'lte', value: number(value) }, negated: false };
    case 'between':
    case 'not_between': {
      const [min, max] = Array.isArray(value) ? value.map(number) : [];
      if (min === undefined || max === undefined)
        throw new QueryError('invalid_query', `${path}.value`, 'expected [min, max] numbers');
      return { test: { op: 'between', min, max }, negated: operator === 'not_between' };
    }
    case 'is_set':
      return { test: { op: 'is_set' }, negated: false };
    case 'is_not_set':
      return { test: { op: 'is_set' }, negated: true };
  }
}

/** Every cohort id the tree refers to, with where it was found. */
export function cohortIds(predicate: Predicate | null): number[] {
  if (predicate === null) return [];
  if (predicate.kind === 'cohort') return [predicate.cohortId];
  if (predicate.kind === 'property') return [];
  return predicate.children.flatMap(cohortIds);
}
