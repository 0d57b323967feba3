import { parseDateFilter, toDate } from './dates.js';
import { exactMatch, exactString } from './exact.js';
import { fromContext, Inconclusive } from './inconclusive.js';
import { matchRegex } from './regex.js';
import {
  caretBounds,
  compareSemver,
  isWithin,
  parseSemver,
  type SemverBounds,
  tildeBounds,
  wildcardBounds,
} from './semver.js';

/** The parts of a property filter that matching reads. */
export interface MatchableFilter {
  key: string;
  value?: unknown;
  operator?: string | undefined;
}

export interface MatchOptions {
  /** "Now" for relative dates such as `-7d`. */
  now: Date;
  /** PostHog's `property_matching_version`; 2 turns off boolean-like `exact` matching. */
  propertyMatchingVersion?: number | undefined;
  /** The properties are all the caller has: an absent key is unset, not unknown. */
  propertiesComplete?: boolean | undefined;
}

// With complete properties an absent key decides: negative operators match it, the rest do not
// (PostHog's flags service with the person's stored properties).
const MATCH_ABSENT = new Set([
  'is_not_set',
  'is_not',
  'not_icontains',
  'not_regex',
  'not_starts_with',
  'not_ends_with',
]);

// String operators read a null property as the text "null", as PostHog's flags service does;
// every other operator treats null as no match.
const NULL_AS_TEXT = new Set([
  'exact',
  'is_not',
  'icontains',
  'not_icontains',
  'starts_with',
  'not_starts_with',
  'ends_with',
  'not_ends_with',
  'regex',
  'not_regex',
]);

const SIMPLE_OPERATORS = new Set(['is_set', 'is_not_set', 'gt', 'gte', 'lt', 'lte']);

// Substring, prefix and suffix operators fold ASCII letters only (the flags service's rule).
function asciiLower(value: unknown): string {
  return String(value).replace(/[A-Z]/g, (ch) => ch.toLowerCase());
}

function compare(lhs: number | string, rhs: number | string, operator: string): boolean {
  if (operator === 'gt') return lhs > rhs;
  if (operator === 'gte') return lhs >= rhs;
  if (operator === 'lt') return lhs < rhs;
  return lhs <= rhs;
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  return value == null ? Number.NaN : Number.parseFloat(String(value));
}

/**
 * Throws `Inconclusive` (unsupported_definition) when no context could make the filter usable:
 * an unknown operator, or a value its operator cannot parse.
 */
export function assertFilterSupported(filter: MatchableFilter, now: Date): void {
  const { value } = filter;
  const operator = filter.operator || 'exact';
  switch (operator) {
    case 'exact':
    case 'is_not':
      for (const item of Array.isArray(value) ? value : [value]) exactString(item);
      return;
    case 'is_date_before':
    case 'is_date_after':
      parseDateFilter(value, now);
      return;
    case 'semver_eq':
    case 'semver_neq':
    case 'semver_gt':
    case 'semver_gte':
    case 'semver_lt':
    case 'semver_lte':
      parseSemver(String(value));
      return;
    case 'semver_tilde':
      tildeBounds(String(value));
      return;
    case 'semver_caret':
      caretBounds(String(value));
      return;
    case 'semver_wildcard':
      wildcardBounds(String(value));
      return;
    default:
      if (!NULL_AS_TEXT.has(operator) && !SIMPLE_OPERATORS.has(operator)) {
        throw new Inconclusive('Unknown operator');
      }
  }
}

function matchValue(
  filter: MatchableFilter,
  properties: Readonly<Record<string, unknown>>,
  options: MatchOptions,
): boolean {
  const { key, value } = filter;
  const operator = filter.operator || 'exact';
  // An absent key is unknown, not empty, unless the caller says the properties are complete:
  // even is_not_set cannot be decided locally without it (posthog-node's rule).
  if (!Object.hasOwn(properties, key)) {
    if (options.propertiesComplete === true) {
      assertFilterSupported(filter, options.now);
      return MATCH_ABSENT.has(operator);
    }
    throw new Inconclusive('Property not supplied', 'missing_context');
  }
  if (operator === 'is_not_set') return false;
  if (operator === 'is_set') return true;
  const actual = properties[key];
  if (actual === undefined) throw new Inconclusive('Property is undefined');
  if (actual === null && !NULL_AS_TEXT.has(operator)) return false;

  const semverWithin = (bounds: SemverBounds): boolean =>
    isWithin(
      fromContext(() => parseSemver(String(actual))),
      bounds,
    );
  // The filter parses first, so a bad filter reports unsupported_definition over bad context.
  const semverOrder = (): number => {
    const expected = parseSemver(String(value));
    return compareSemver(
      fromContext(() => parseSemver(String(actual))),
      expected,
    );
  };

  switch (operator) {
    case 'exact':
      return exactMatch(value, actual, options.propertyMatchingVersion);
    case 'is_not':
      return !exactMatch(value, actual, options.propertyMatchingVersion);
    case 'icontains':
      return asciiLower(actual).includes(asciiLower(value));
    case 'not_icontains':
      return !asciiLower(actual).includes(asciiLower(value));
    case 'starts_with':
      return asciiLower(actual).startsWith(asciiLower(value));
    case 'not_starts_with':
      return !asciiLower(actual).startsWith(asciiLower(value));
    case 'ends_with':
      return asciiLower(actual).endsWith(asciiLower(value));
    case 'not_ends_with':
      return !asciiLower(actual).endsWith(asciiLower(value));
    case 'regex':
    case 'not_regex': {
      const matched = matchRegex(String(value), String(actual));
      if (matched === null) return false;
      return operator === 'regex' ? matched : !matched;
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      // Numeric when both sides parse (parseFloat: "12abc" is 12), else string order.
      const expected = toNumber(value);
      const got = toNumber(actual);
      if (Number.isFinite(expected) && Number.isFinite(got)) {
        return compare(got, expected, operator);
      }
      return compare(String(actual), String(value), operator);
    }
    case 'is_date_before':
    case 'is_date_after': {
      const expected = parseDateFilter(value, options.now);
      const got = fromContext(() => toDate(actual));
      return operator === 'is_date_before' ? got < expected : got > expected;
    }
    case 'semver_eq':
      return semverOrder() === 0;
    case 'semver_neq':
      return semverOrder() !== 0;
    case 'semver_gt':
      return semverOrder() > 0;
    case 'semver_gte':
      return semverOrder() >= 0;
    case 'semver_lt':
      return semverOrder() < 0;
    case 'semver_lte':
      return semverOrder() <= 0;
    case 'semver_tilde':
      return semverWithin(tildeBounds(String(value)));
    case 'semver_caret':
      return semverWithin(caretBounds(String(value)));
    case 'semver_wildcard':
      return semverWithin(wildcardBounds(String(value)));
    default:
      throw new Inconclusive('Unknown operator');
  }
}

/**
 * Whether one `person`/`group` property filter matches `properties`; throws `Inconclusive` when
 * it cannot be decided locally (property not supplied, unknown operator, ...).
 *
 * @example
 * matchProperty({ key: 'plan', operator: 'exact', value: ['pro', 'team'] }, { plan: 'Pro' }, { now: new Date() }); // true
 */
export function matchProperty(
  filter: MatchableFilter,
  properties: Readonly<Record<string, unknown>>,
  options: MatchOptions,
): boolean {
  try {
    return matchValue(filter, properties, options);
  } catch (error) {
    // A filter no context could satisfy outranks missing context.
    if (error instanceof Inconclusive && error.reason === 'missing_context') {
      assertFilterSupported(filter, options.now);
    }
    throw error;
  }
}
