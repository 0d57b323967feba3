import { QueryError } from '../errors.js';
import { cohortIds, type Predicate } from './predicates.js';

/**
 * Cohorts do not exist in Tally yet (issue 4): a filter on one is refused with its path, never
 * ignored. Returns the predicate for chaining.
 */
export function refuseCohorts(predicate: Predicate | null, path: string): Predicate | null {
  if (cohortIds(predicate).length > 0)
    throw new QueryError('not_implemented', path, 'cohort filters need cohorts, which come later');
  return predicate;
}
