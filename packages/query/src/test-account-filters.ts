import { z } from 'zod';
import { QueryError } from './errors.js';
import { AnyPropertyFilter, type PropertiesInput } from './spec/filters.js';
import type { InsightActorsQuery } from './spec/insights.js';
import { parseSpec, type QueryNode } from './spec/parse.js';

// PostHog's "Filter out internal and test users": the project's `test_account_filters` (property
// filters, all must hold) join an insight's global `properties` when the insight says
// `filterTestAccounts: true`. Applied once, to the parsed query and before its cohorts are
// collected, so every insight and every drill-down reads them as filters it was sent.

export const MAX_TEST_ACCOUNT_FILTERS = 50;

/** PostHog's `test_account_filters`: a list of property filters (person, group, event, cohort). */
export const TestAccountFilters = z.array(AnyPropertyFilter).max(MAX_TEST_ACCOUNT_FILTERS);
export type TestAccountFilters = z.infer<typeof TestAccountFilters>;

/**
 * Validates a project's test-account filters. Throws QueryError `invalid_query` naming the
 * field below `field` (`test_account_filters[0].operator`).
 *
 * @example
 * const filters = parseTestAccountFilters([
 *   { type: 'group', group_type_index: 0, key: 'is_internal', operator: 'is_not', value: 'true' },
 * ]);
 */
export function parseTestAccountFilters(
  input: unknown,
  field = 'test_account_filters',
): TestAccountFilters {
  return parseSpec(TestAccountFilters, input, [field]);
}

type Insight = InsightActorsQuery['source'];

/**
 * The query with the filters ANDed into every insight that asks for them: the query itself or
 * the insight an actors list drills into. A list that asks is refused: it has no insight of its
 * own to filter, and dropping the flag would show test accounts to someone who excluded them.
 */
export function withTestAccountFilters(node: QueryNode, filters: TestAccountFilters): QueryNode {
  switch (node.kind) {
    case 'GroupsQuery':
      refuseOnList(node.filterTestAccounts, 'filterTestAccounts');
      return node;
    case 'ActorsQuery': {
      refuseOnList(node.filterTestAccounts, 'filterTestAccounts');
      const source = node.source;
      if (source === null || source === undefined) return node;
      refuseOnList(source.filterTestAccounts, 'source.filterTestAccounts');
      // Two equal branches: each narrows the source's kind, which the spread alone cannot keep.
      return source.kind === 'FunnelsActorsQuery'
        ? { ...node, source: { ...source, source: applyTo(source.source, filters) } }
        : { ...node, source: { ...source, source: applyTo(source.source, filters) } };
    }
    default:
      return applyTo(node, filters);
  }
}

function applyTo<Q extends Insight>(query: Q, filters: TestAccountFilters): Q {
  if (query.filterTestAccounts !== true || filters.length === 0) return query;
  return { ...query, properties: allOf(query.properties, filters) };
}

/** A list stays a list (PostHog's usual shape); a group tree becomes one branch of an AND. */
function allOf(
  properties: PropertiesInput | null | undefined,
  filters: TestAccountFilters,
): PropertiesInput {
  if (properties === null || properties === undefined) return [...filters];
  if (Array.isArray(properties)) return [...properties, ...filters];
  return { type: 'AND', values: [properties, ...filters] };
}

function refuseOnList(flag: boolean | null | undefined, path: string): void {
  if (flag === true)
    throw new QueryError(
      'invalid_query',
      path,
      'test accounts are filtered on insights: set filterTestAccounts on the insight drilled into',
    );
}
