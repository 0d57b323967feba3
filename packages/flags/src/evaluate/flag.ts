import type { FlagDefinition, PropertyFilter } from '../definition/schema.js';
import { Inconclusive } from '../match/inconclusive.js';
import { matchConditions } from './conditions.js';
import { createContext, type EvaluationContext, type Outcome } from './context.js';
import { resolvePayload } from './payload.js';
import { flagReason } from './reasons.js';
import type { FlagEnvironment, FlagEvaluation, FlagInput } from './types.js';
import { definitionUnresolvedReason } from './unsupported.js';

// Evaluation of one flag: active? -> bucketing value (group key or distinct id) -> condition
// sets (conditions.ts) -> payload. Decisions follow PostHog's local evaluation (posthog-node
// 5.70): where it cannot decide, neither do we, and we say why.

function disabled(): Outcome {
  return { value: false, reason: flagReason('flag_disabled') };
}

function computeFlag(flag: FlagDefinition, context: EvaluationContext): Outcome {
  if (!flag.active) return disabled();
  // Continuity needs the server's stored assignment (checked after `active`: off is off).
  if (flag.ensure_experience_continuity) {
    throw new Inconclusive('Experience continuity', 'experience_continuity');
  }
  const aggregation = flag.filters.aggregation_group_type_index;
  if (aggregation != null) {
    const groupType = context.groupTypeMapping[String(aggregation)];
    if (!groupType) throw new Inconclusive('Unknown group type index');
    const groupKey = context.groups[groupType];
    if (!Object.hasOwn(context.groups, groupType) || groupKey === undefined) {
      return { value: false, reason: flagReason('no_group_type') };
    }
    // Group flags bucket by the group key and ignore `bucketing_identifier`.
    return matchConditions(flag, groupKey, context.groupProperties[groupType] ?? {}, context);
  }
  let bucketingValue: string = context.distinctId;
  if (flag.bucketing_identifier === 'device_id') {
    const deviceId = context.personProperties.$device_id;
    if (deviceId === undefined || deviceId === null || deviceId === '') {
      throw new Inconclusive(
        'Device-bucketed flag without $device_id',
        definitionUnresolvedReason(flag, context) ?? 'missing_context',
      );
    }
    bucketingValue = String(deviceId);
  }
  return matchConditions(flag, bucketingValue, context.personProperties, context);
}

// `flag_evaluates_to`: true matches any enabled value (a non-empty variant too), false only
// false, a string only that variant.
function evaluatesTo(expected: unknown, value: boolean | string | undefined): boolean {
  if (typeof expected === 'boolean') {
    return expected === value || (typeof value === 'string' && value !== '' && expected);
  }
  if (typeof expected === 'string') return value === expected;
  return false;
}

/**
 * A `flag` filter: evaluates `dependency_chain` in order (cached per call), then compares the
 * target's value. An empty chain is a cycle and a key with no definition is missing: both are
 * undecidable, as is a dependency that is.
 */
function evaluateDependency(filter: PropertyFilter, context: EvaluationContext): boolean {
  const chain = filter.dependency_chain;
  if (!Array.isArray(chain)) throw new Inconclusive('Flag dependency without dependency_chain');
  if (chain.length === 0) throw new Inconclusive('Circular flag dependency');
  const cache = context.dependencyCache;
  if (chain.some((key) => !cache.has(key) && !context.flagsByKey.has(key))) {
    throw new Inconclusive('Missing flag dependency');
  }
  for (const key of chain) {
    if (cache.has(key)) continue;
    const dependency = context.flagsByKey.get(key);
    if (dependency === undefined || !dependency.active) {
      cache.set(key, false);
      continue;
    }
    try {
      cache.set(key, computeFlag(dependency, context).value);
    } catch (error) {
      if (error instanceof Inconclusive && error.serverOnly) {
        throw new Inconclusive(error.message, 'unresolved_dependency', true);
      }
      const regexUncertain = error instanceof Inconclusive && error.regexUncertain;
      throw new Inconclusive(
        'Flag dependency undecidable',
        'unresolved_dependency',
        false,
        regexUncertain,
      );
    }
  }
  return evaluatesTo(filter.value, cache.get(filter.key));
}

function evaluateIn(flag: FlagDefinition, context: EvaluationContext): FlagEvaluation {
  try {
    const { value, reason } = computeFlag(flag, context);
    return {
      key: flag.key,
      inconclusive: false,
      enabled: value !== false,
      variant: typeof value === 'string' ? value : null,
      value,
      reason,
      payload: resolvePayload(flag.filters.payloads, value),
    };
  } catch (error) {
    if (!(error instanceof Inconclusive)) throw error;
    return {
      key: flag.key,
      inconclusive: true,
      reason: { code: error.reason, description: error.message },
    };
  }
}

/**
 * Evaluates one flag for one caller. Inconclusive when a needed property is not supplied, the
 * group type is unknown, a cohort is static, experience continuity is on, or an operator is
 * unknown; a server that supplies every property gets a conclusive answer.
 *
 * @example
 * const result = evaluateFlag(flag, { distinctId: 'u1', personProperties: { plan: 'pro' } }, env);
 * if (!result.inconclusive && result.enabled) showBeta();
 */
export function evaluateFlag(
  flag: FlagDefinition,
  input: FlagInput,
  env: FlagEnvironment,
): FlagEvaluation {
  return evaluateIn(flag, createContext(input, env, evaluateDependency));
}

/**
 * Evaluates every flag in `env.flags` (or only `keys`), sharing dependency results; deleted
 * flags are left out, as PostHog never serves them.
 *
 * @example
 * const results = evaluateFlags({ distinctId: 'u1', groups: { company: 'acme' } }, env);
 */
export function evaluateFlags(
  input: FlagInput,
  env: FlagEnvironment,
  keys?: readonly string[],
): Record<string, FlagEvaluation> {
  const context = createContext(input, env, evaluateDependency);
  const selected =
    keys === undefined ? env.flags : keys.flatMap((key) => context.flagsByKey.get(key) ?? []);
  const results: Record<string, FlagEvaluation> = {};
  for (const flag of selected) {
    if (!flag.deleted) results[flag.key] = evaluateIn(flag, context);
  }
  return results;
}
