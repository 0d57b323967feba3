import type { z } from 'zod';
import { parseDateFilter } from '../match/dates.js';
import { parseSemver, wildcardBounds } from '../match/semver.js';
import {
  COHORT_OPERATORS,
  FLAG_DEPENDENCY_OPERATOR,
  isPropertyOperator,
  VALUELESS_OPERATORS,
} from './operators.js';
import {
  FLAG_KEY_PATTERN,
  type FlagDefinition,
  flagDefinitionSchema,
  type PropertyFilter,
} from './schema.js';

/** One problem with a definition; `path` names the field (`filters.groups.0.rollout_percentage`). */
export interface FlagIssue {
  path: string;
  message: string;
}

export type FlagParseResult =
  | { ok: true; definition: FlagDefinition }
  | { ok: false; issues: FlagIssue[] };

type Path = Array<string | number>;
type Report = (path: Path, message: string) => void;

// Percentages are floats; PostHog accepts sums that are 100 up to float noise.
const SUM_TOLERANCE = 1e-9;

function checkValue(filter: PropertyFilter, path: Path, report: Report): void {
  const operator = filter.operator ?? 'exact';
  if (VALUELESS_OPERATORS.has(operator)) return;
  const { value } = filter;
  if (value === undefined || value === null) {
    report([...path, 'value'], 'A value is required for this operator');
    return;
  }
  const text = String(value);
  try {
    if (operator.startsWith('semver_')) {
      if (operator === 'semver_wildcard') wildcardBounds(text);
      else parseSemver(text);
    } else if (operator === 'is_date_before' || operator === 'is_date_after') {
      parseDateFilter(value, new Date());
    }
  } catch {
    report([...path, 'value'], `The value is not valid for operator ${operator}`);
    return;
  }
  if (operator === 'regex' || operator === 'not_regex') {
    try {
      new RegExp(text);
    } catch {
      report([...path, 'value'], 'The value is not a valid regular expression');
    }
  }
}

function checkFilter(filter: PropertyFilter, path: Path, report: Report): void {
  const operator = filter.operator;
  if (filter.type === 'cohort') {
    if (operator !== undefined && !(COHORT_OPERATORS as readonly string[]).includes(operator)) {
      report([...path, 'operator'], 'Cohort filters take operator "in" or "not_in"');
    }
    if (!/^\d+$/.test(String(filter.value ?? ''))) {
      report([...path, 'value'], 'Cohort filters take a cohort id');
    }
    return;
  }
  if (filter.type === 'flag') {
    if (operator !== undefined && operator !== FLAG_DEPENDENCY_OPERATOR) {
      report([...path, 'operator'], `Flag filters take operator "${FLAG_DEPENDENCY_OPERATOR}"`);
    }
    if (typeof filter.value !== 'boolean' && typeof filter.value !== 'string') {
      report([...path, 'value'], 'Flag filters take true, false or a variant key');
    }
    return;
  }
  if (filter.type === 'group' && typeof filter.group_type_index !== 'number') {
    report([...path, 'group_type_index'], 'Group filters need a group type index');
  }
  if (operator !== undefined && !isPropertyOperator(operator)) {
    report([...path, 'operator'], 'Unknown operator');
    return;
  }
  checkValue(filter, path, report);
}

// Rules a CRUD API enforces on write, beyond the shape the evaluator reads.
function checkDefinition(flag: FlagDefinition, report: Report): void {
  const variants = flag.filters.multivariate?.variants ?? [];
  const variantKeys = new Set<string>();
  variants.forEach((variant, index) => {
    const path = ['filters', 'multivariate', 'variants', index, 'key'];
    if (!FLAG_KEY_PATTERN.test(variant.key)) {
      report(path, 'Only letters, digits, "-" and "_" are allowed');
    }
    if (variantKeys.has(variant.key)) report(path, 'Variant keys must be unique');
    variantKeys.add(variant.key);
  });
  if (variants.length > 0) {
    const sum = variants.reduce((total, variant) => total + variant.rollout_percentage, 0);
    if (Math.abs(sum - 100) > SUM_TOLERANCE) {
      report(
        ['filters', 'multivariate', 'variants'],
        'Variant rollout percentages must sum to 100',
      );
    }
  }
  flag.filters.groups.forEach((condition, index) => {
    const path = ['filters', 'groups', index];
    if (condition.variant != null && !variantKeys.has(condition.variant)) {
      report([...path, 'variant'], 'The variant override names no variant of this flag');
    }
    condition.properties.forEach((filter, filterIndex) => {
      checkFilter(filter, [...path, 'properties', filterIndex], report);
    });
  });
  for (const payloadKey of Object.keys(flag.filters.payloads ?? {})) {
    if (payloadKey !== 'true' && !variantKeys.has(payloadKey)) {
      report(['filters', 'payloads', payloadKey], 'Payload keys are "true" or a variant key');
    }
  }
}

const writeSchema = flagDefinitionSchema.superRefine((flag, ctx: z.RefinementCtx) => {
  checkDefinition(flag, (path, message) => ctx.addIssue({ code: 'custom', path, message }));
});

/**
 * Validates a definition as a CRUD API must before storing it: shape, key format, percentages
 * in [0, 100], variants summing to 100, known operators, parseable semver/date values.
 *
 * @example
 * const result = parseFlagDefinition(body);
 * if (!result.ok) return c.json({ issues: result.issues }, 400);
 */
export function parseFlagDefinition(input: unknown): FlagParseResult {
  const parsed = writeSchema.safeParse(input);
  if (parsed.success) return { ok: true, definition: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    })),
  };
}
