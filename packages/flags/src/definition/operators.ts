/** Operators for `person` and `group` property filters, as PostHog defines them. */
export const PROPERTY_OPERATORS = [
  'exact',
  'is_not',
  'is_set',
  'is_not_set',
  'icontains',
  'not_icontains',
  'regex',
  'not_regex',
  'starts_with',
  'not_starts_with',
  'ends_with',
  'not_ends_with',
  'gt',
  'gte',
  'lt',
  'lte',
  'is_date_before',
  'is_date_after',
  'semver_eq',
  'semver_neq',
  'semver_gt',
  'semver_gte',
  'semver_lt',
  'semver_lte',
  'semver_tilde',
  'semver_caret',
  'semver_wildcard',
] as const;

export type PropertyOperator = (typeof PROPERTY_OPERATORS)[number];

/** Cohort filters test membership; `flag` filters use PostHog's `flag_evaluates_to`. */
export const COHORT_OPERATORS = ['in', 'not_in'] as const;
export const FLAG_DEPENDENCY_OPERATOR = 'flag_evaluates_to';

const PROPERTY_OPERATOR_SET: ReadonlySet<string> = new Set(PROPERTY_OPERATORS);

export function isPropertyOperator(operator: string): operator is PropertyOperator {
  return PROPERTY_OPERATOR_SET.has(operator);
}

/** Operators that need no `value`. */
export const VALUELESS_OPERATORS: ReadonlySet<string> = new Set(['is_set', 'is_not_set']);
