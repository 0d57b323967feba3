import type { FlagDefinition, PropertyFilter, PropertyGroup } from '../definition/schema.js';
import { Inconclusive, type UnresolvedReason } from '../match/inconclusive.js';
import { assertFilterSupported } from '../match/property.js';
import type { EvaluationContext } from './context.js';

type Definitions = Pick<EvaluationContext, 'flagsByKey' | 'cohorts' | 'groupTypeMapping' | 'match'>;

function isUnsupportedGroup(
  group: PropertyGroup | null | undefined,
  definitions: Definitions,
  visited: Set<string>,
): boolean {
  return (group?.values ?? []).some((entry) =>
    'values' in entry
      ? isUnsupportedGroup(entry, definitions, visited)
      : isUnsupportedFilter(entry, definitions, visited),
  );
}

function isUnsupportedFilter(
  filter: PropertyFilter,
  definitions: Definitions,
  visited: Set<string>,
): boolean {
  if (filter.type === 'flag') {
    const chain = filter.dependency_chain;
    if (!Array.isArray(chain) || chain.length === 0) return true;
    return chain.some((key) => !definitions.flagsByKey.has(key));
  }
  if (filter.type !== 'cohort') {
    try {
      assertFilterSupported(filter, definitions.match.now);
      return false;
    } catch (error) {
      if (error instanceof Inconclusive) return true;
      throw error;
    }
  }
  const cohortId = String(filter.value);
  if (!Object.hasOwn(definitions.cohorts, cohortId)) return true;
  if (visited.has(cohortId)) return false;
  visited.add(cohortId);
  return isUnsupportedGroup(definitions.cohorts[cohortId], definitions, visited);
}

/**
 * The reason a flag cannot be decided that comes from its definition alone (experience
 * continuity, an unknown group type, an unusable filter, a static cohort, a missing or circular
 * dependency), or undefined.
 */
export function definitionUnresolvedReason(
  flag: FlagDefinition,
  definitions: Definitions,
): UnresolvedReason | undefined {
  if (!flag.active) return undefined;
  if (flag.ensure_experience_continuity) return 'experience_continuity';
  const aggregation = flag.filters.aggregation_group_type_index;
  if (aggregation != null && !definitions.groupTypeMapping[String(aggregation)]) {
    return 'unsupported_definition';
  }
  const unsupported = flag.filters.groups.some((condition) =>
    (condition.properties ?? []).some((filter) =>
      isUnsupportedFilter(filter, definitions, new Set()),
    ),
  );
  return unsupported ? 'unsupported_definition' : undefined;
}
