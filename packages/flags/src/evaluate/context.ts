import type { FlagDefinition, PropertyFilter, PropertyGroup } from '../definition/schema.js';
import type { MatchOptions } from '../match/property.js';
import type { FlagEnvironment, FlagInput, FlagReason } from './types.js';

type Properties = Readonly<Record<string, unknown>>;

/** One flag's decided value and why. */
export interface Outcome {
  value: boolean | string;
  reason: FlagReason;
}

/** Everything one evaluation call reads; dependency results are cached per call. */
export interface EvaluationContext {
  distinctId: string;
  groups: Readonly<Record<string, string>>;
  personProperties: Properties;
  groupProperties: Readonly<Record<string, Properties>>;
  flagsByKey: ReadonlyMap<string, FlagDefinition>;
  groupTypeMapping: Readonly<Record<string, string>>;
  cohorts: Readonly<Record<string, PropertyGroup>>;
  match: MatchOptions;
  /** Values of flags already evaluated as dependencies in this call. */
  dependencyCache: Map<string, boolean | string>;
  evaluateDependency: (filter: PropertyFilter, context: EvaluationContext) => boolean;
}

const flagIndexes = new WeakMap<readonly FlagDefinition[], ReadonlyMap<string, FlagDefinition>>();

function indexFlags(flags: readonly FlagDefinition[]): ReadonlyMap<string, FlagDefinition> {
  let index = flagIndexes.get(flags);
  if (index === undefined) {
    index = new Map(flags.map((flag) => [flag.key, flag]));
    flagIndexes.set(flags, index);
  }
  return index;
}

// The input is completed as posthog-node completes it before evaluating locally: person
// properties gain `distinct_id`, and each group passed gets properties with `$group_key`
// (properties of groups not passed are dropped).
export function createContext(
  input: FlagInput,
  env: FlagEnvironment,
  evaluateDependency: EvaluationContext['evaluateDependency'],
): EvaluationContext {
  const groups = { ...(input.groups ?? {}) };
  const groupProperties: Record<string, Properties> = {};
  for (const [groupType, groupKey] of Object.entries(groups)) {
    groupProperties[groupType] = {
      $group_key: groupKey,
      ...(input.groupProperties?.[groupType] ?? {}),
    };
  }
  return {
    distinctId: input.distinctId,
    groups,
    personProperties: { distinct_id: input.distinctId, ...(input.personProperties ?? {}) },
    groupProperties,
    flagsByKey: indexFlags(env.flags),
    groupTypeMapping: env.groupTypeMapping,
    cohorts: env.cohorts,
    match: {
      now: env.now?.() ?? new Date(),
      propertyMatchingVersion: env.propertyMatchingVersion,
      propertiesComplete: input.propertiesComplete,
    },
    dependencyCache: new Map(),
    evaluateDependency,
  };
}
