import type { PropertyFilter, PropertyGroup } from '../definition/schema.js';
import { Inconclusive, pickReason, type UnresolvedReason } from '../match/inconclusive.js';
import { matchProperty } from '../match/property.js';
import type { EvaluationContext } from './context.js';

type Properties = Readonly<Record<string, unknown>>;

function isGroup(value: PropertyGroup | PropertyFilter): value is PropertyGroup {
  return 'values' in value;
}

/** `in` / `not_in` a cohort; a cohort missing from the definitions is static: server only. */
export function matchCohort(
  filter: PropertyFilter,
  properties: Properties,
  context: EvaluationContext,
): boolean {
  const cohortId = String(filter.value);
  if (!Object.hasOwn(context.cohorts, cohortId)) {
    throw new Inconclusive('Cohort not in the definitions (static cohort)', undefined, true);
  }
  const inCohort = matchPropertyGroup(context.cohorts[cohortId], properties, context);
  return filter.operator === 'not_in' ? !inCohort : inCohort;
}

function matchFilter(
  entry: PropertyFilter,
  properties: Properties,
  context: EvaluationContext,
): boolean {
  let matches: boolean;
  if (entry.type === 'cohort') matches = matchCohort(entry, properties, context);
  else if (entry.type === 'flag') matches = context.evaluateDependency(entry, context);
  else matches = matchProperty(entry, properties, context.match);
  return entry.negation === true ? !matches : matches;
}

/**
 * AND / OR over filters or nested groups. A decisive entry (a miss under AND, a hit under OR)
 * wins even after an undecidable one; otherwise an undecidable entry makes the group
 * undecidable. Server-only data stops at once.
 */
export function matchPropertyGroup(
  group: PropertyGroup | null | undefined,
  properties: Properties,
  context: EvaluationContext,
): boolean {
  // PostHog's canonical empty group is `{}`.
  if (group == null || Object.keys(group).length === 0) return true;
  const type = group.type === 'property' ? 'AND' : group.type;
  if (type !== 'AND' && type !== 'OR') {
    throw new Inconclusive('Unsupported cohort group type', undefined, true);
  }
  const values = group.values ?? [];
  if (values.length === 0) return type === 'AND';

  let reason: UnresolvedReason | undefined;
  let regexUncertain = false;
  // A list is either all groups or all filters; its first entry says which (PostHog's shape).
  const nested = values[0] !== undefined && isGroup(values[0]);
  for (const entry of values) {
    try {
      const matches = nested
        ? matchPropertyGroup(entry as PropertyGroup, properties, context)
        : matchFilter(entry as PropertyFilter, properties, context);
      if (type === 'AND' && !matches) return false;
      if (type === 'OR' && matches) return true;
    } catch (error) {
      if (!(error instanceof Inconclusive) || error.serverOnly) throw error;
      reason = pickReason(reason, error.reason);
      regexUncertain ||= error.regexUncertain;
    }
  }
  if (reason !== undefined) {
    throw new Inconclusive('Cohort needs properties not supplied', reason, false, regexUncertain);
  }
  return type === 'AND';
}
