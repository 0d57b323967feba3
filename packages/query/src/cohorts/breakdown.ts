import { QueryError } from '../errors.js';
import type { AnyPropertyFilter, PropertiesInput } from '../spec/filters.js';
import type { BreakdownFilter } from '../spec/nodes.js';
import type { CohortPlans } from './plan.js';

// Cohort breakdowns (trends and funnels): each cohort is a bucket and an actor in several
// cohorts counts in each, so the insight runs once per cohort with the cohort as a global
// filter, PostHog's own approach. `'all'` is everyone (no filter). Buckets keep the order given;
// there is no limit, Other or None for cohorts.

/** `breakdown_value` of the "all users" bucket. */
export const ALL_USERS_BREAKDOWN = 'all';

export interface CohortBucket<Q> {
  /** The cohort id as text, or `all`. */
  readonly value: string;
  readonly query: Q;
}

interface BreakdownQuery {
  readonly properties?: PropertiesInput | null | undefined;
  readonly breakdownFilter?: BreakdownFilter | null | undefined;
}

/** The per-cohort queries of a cohort breakdown; null when the query has none. */
export function cohortBuckets<Q extends BreakdownQuery>(
  query: Q,
  cohorts: CohortPlans | undefined,
): Array<CohortBucket<Q>> | null {
  const filter = query.breakdownFilter;
  if (filter?.breakdown_type !== 'cohort') return null;
  const path = 'breakdownFilter.breakdown';
  const raw = filter.breakdown;
  const list = Array.isArray(raw) ? raw : raw === null || raw === undefined ? [] : [raw];
  if (list.length === 0) throw new QueryError('invalid_query', path, 'expected cohort ids or all');
  const values = [...new Set(list.map((item) => String(item)))];
  return values.map((value) => {
    if (value === ALL_USERS_BREAKDOWN) return { value, query: { ...query, breakdownFilter: null } };
    const id = Number(value);
    if (!Number.isSafeInteger(id) || id < 1)
      throw new QueryError('invalid_query', path, 'expected cohort ids or all');
    const plan = cohorts?.get(id);
    if (plan === undefined) throw new QueryError('invalid_query', path, `unknown cohort ${id}`);
    if (plan instanceof QueryError)
      throw new QueryError('invalid_query', path, `cohort ${id}: ${plan.message}`);
    const member: AnyPropertyFilter = { type: 'cohort', key: 'id', value: id, operator: 'in' };
    return {
      value,
      query: { ...query, breakdownFilter: null, properties: withFilter(query.properties, member) },
    };
  });
}

function withFilter(
  properties: PropertiesInput | null | undefined,
  filter: AnyPropertyFilter,
): PropertiesInput {
  if (properties === null || properties === undefined) return [filter];
  if (Array.isArray(properties)) return [...properties, filter];
  return { type: 'AND', values: [properties, filter] };
}
