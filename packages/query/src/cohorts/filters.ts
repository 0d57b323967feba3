import { QueryError } from '../errors.js';
import type { Predicate } from '../plan/predicates.js';
import type { CohortPlans } from './plan.js';

// Cohort filters in insight queries: `{type: 'cohort', key: 'id', value: <id>, operator:
// 'in' | 'not_in'}` anywhere filters go. Normalize attaches each cohort's plan to its predicate;
// the SQL then tests the event's person against the cohort's members (a personless event is in
// no cohort, so `not_in` keeps it).

/** Every cohort id a parsed query refers to: in filters at any depth and in cohort breakdowns. */
export function cohortIdsOfQuery(node: unknown): number[] {
  const ids = new Set<number>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(walk);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (record.type === 'cohort' && typeof record.value === 'number') ids.add(record.value);
    if (record.breakdown_type === 'cohort') {
      const breakdown = record.breakdown;
      for (const id of Array.isArray(breakdown) ? breakdown : [breakdown])
        if (typeof id === 'number') ids.add(id);
        else if (typeof id === 'string' && /^\d+$/.test(id)) ids.add(Number(id));
    }
    Object.values(record).forEach(walk);
  };
  walk(node);
  return [...ids];
}

/**
 * Attaches each cohort's plan to its predicate. An unknown (e.g. deleted) or unusable cohort
 * is refused with `path` and the cohort's id, never ignored.
 */
export function resolveCohorts(
  predicate: Predicate | null,
  cohorts: CohortPlans | undefined,
  path: string,
): Predicate | null {
  if (predicate === null) return null;
  switch (predicate.kind) {
    case 'property':
      return predicate;
    case 'and':
    case 'or':
      return {
        kind: predicate.kind,
        children: predicate.children.map(
          (child) => resolveCohorts(child, cohorts, path) as Predicate,
        ),
      };
    case 'cohort': {
      const plan = cohorts?.get(predicate.cohortId);
      if (plan === undefined)
        throw new QueryError('invalid_query', path, `unknown cohort ${predicate.cohortId}`);
      if (plan instanceof QueryError)
        throw new QueryError(
          'invalid_query',
          path,
          `cohort ${predicate.cohortId}: ${plan.message}`,
        );
      return { ...predicate, plan };
    }
  }
}
