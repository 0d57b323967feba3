// Filters and breakdown values of the trends reference: PostHog's list or AND/OR tree of leaves,
// evaluated with reference/filters.ts (plus between and in, which it does not have).

import type { RefEvent } from '../dataset.js';
import { type DatasetIndex, matchesValue, propertyOf, stringForm } from './filters.js';
import type { RefFilter, RefFilterGroup, RefTrendsQuery } from './trends.js';
import { numberOf } from './trends-math.js';

export function breakdownOf(
  index: DatasetIndex,
  e: RefEvent,
  query: RefTrendsQuery,
): string | null {
  const filter = query.breakdownFilter;
  if (filter === undefined) return null;
  const textOf = (type: 'event' | 'person' | 'group', key: string, group: number) => {
    const raw = propertyOf(index, e, type, key, group);
    const text = raw === undefined || raw === null ? '' : stringForm(raw);
    return text === '' ? null : text;
  };
  if (filter.breakdowns === undefined)
    return textOf(
      filter.breakdown_type ?? 'event',
      filter.breakdown ?? '',
      filter.breakdown_group_type_index ?? 0,
    );
  const values = filter.breakdowns.map((b) =>
    textOf(b.type ?? 'event', b.property, b.group_type_index ?? 0),
  );
  return values.every((v) => v === null) ? null : JSON.stringify(values);
}

export function matchesTree(
  index: DatasetIndex,
  e: RefEvent,
  tree: RefFilter[] | RefFilterGroup | undefined,
): boolean {
  if (tree === undefined) return true;
  if (Array.isArray(tree)) return tree.every((f) => matchesLeaf(index, e, f));
  const results = tree.values.map((v) =>
    'values' in v ? matchesTree(index, e, v) : matchesLeaf(index, e, v),
  );
  return (
    results.length === 0 || (tree.type === 'AND' ? results.every(Boolean) : results.some(Boolean))
  );
}

function matchesLeaf(index: DatasetIndex, e: RefEvent, f: RefFilter): boolean {
  const actual = propertyOf(index, e, f.type, f.key, f.group_type_index ?? 0);
  if (f.operator === 'between' || f.operator === 'not_between') {
    const [min, max] = Array.isArray(f.value) ? f.value.map(Number) : [];
    const n = numberOf(actual);
    const inside =
      n !== undefined && min !== undefined && max !== undefined && n >= min && n <= max;
    return f.operator === 'between' ? inside : !inside;
  }
  const aliases: Record<string, string> = { in: 'exact', not_in: 'is_not', min: 'gte', max: 'lte' };
  const op = aliases[f.operator] ?? f.operator;
  return matchesValue(actual, op as Parameters<typeof matchesValue>[1], f.value);
}
