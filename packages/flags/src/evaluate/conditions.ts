import type { FlagCondition, FlagDefinition } from '../definition/schema.js';
import { flagHash, holdoutHash, pickVariant } from '../hash.js';
import { Inconclusive, pickReason, type UnresolvedReason } from '../match/inconclusive.js';
import { assertFilterSupported, matchProperty } from '../match/property.js';
import { matchCohort } from './cohort.js';
import type { EvaluationContext, Outcome } from './context.js';
import { flagReason } from './reasons.js';
import { definitionUnresolvedReason } from './unsupported.js';

type Properties = Readonly<Record<string, unknown>>;
type ConditionResult = 'match' | 'no_match' | 'out_of_rollout_bound';

function isOutOfRollout(flag: FlagDefinition, bucketingValue: string, rollout: number): boolean {
  // A float comparison: 33.3% is 0.333, never truncated.
  return flagHash(flag.key, bucketingValue) > rollout / 100;
}

/**
 * One condition set: every filter must match, then the rollout. Filters have no order, so an
 * undecidable filter does not stop the loop: a later miss still decides `no_match`.
 */
function matchCondition(
  flag: FlagDefinition,
  bucketingValue: string,
  condition: FlagCondition,
  properties: Properties,
  context: EvaluationContext,
): ConditionResult {
  const rollout = condition.rollout_percentage;
  const filters = condition.properties ?? [];
  if (filters.length > 0) {
    let reason: UnresolvedReason | undefined;
    let regexUncertain = false;
    let serverOnly: Inconclusive | undefined;
    for (const filter of filters) {
      let matches: boolean;
      try {
        if (filter.type === 'cohort') {
          matches = matchCohort(filter, properties, context);
        } else if (filter.type === 'flag') {
          matches = context.evaluateDependency(filter, context);
        } else if (!Object.hasOwn(properties, filter.key) && !context.match.propertiesComplete) {
          assertFilterSupported(filter, context.match.now);
          reason = pickReason(reason, 'missing_context');
          continue;
        } else {
          matches = matchProperty(filter, properties, context.match);
        }
      } catch (error) {
        if (!(error instanceof Inconclusive)) {
          if (reason !== undefined) break;
          throw error;
        }
        // Server-only data stops the flag only when it is the first undecidable filter.
        if (error.serverOnly && reason === undefined) serverOnly ??= error;
        reason = pickReason(reason, error.reason);
        regexUncertain ||= error.regexUncertain;
        continue;
      }
      if (!matches) return 'no_match';
    }
    if (serverOnly !== undefined) throw serverOnly;
    if (reason !== undefined) {
      throw new Inconclusive('Condition undecidable', reason, false, regexUncertain);
    }
    if (rollout == null) return 'match';
  }
  if (rollout != null && isOutOfRollout(flag, bucketingValue, rollout)) {
    return 'out_of_rollout_bound';
  }
  return 'match';
}

function variantFor(
  flag: FlagDefinition,
  condition: FlagCondition,
  bucketingValue: string,
): string | true {
  const variants = flag.filters.multivariate?.variants ?? [];
  const override = condition.variant;
  if (override && variants.some((variant) => variant.key === override)) return override;
  return pickVariant(flag.key, bucketingValue, variants) || true;
}

function holdoutVariant(flag: FlagDefinition, bucketingValue: string): string | undefined {
  const holdout = flag.filters.holdout;
  if (holdout == null) return undefined;
  const percentage = Math.min(Math.max(holdout.exclusion_percentage, 0), 100);
  if (percentage !== 100 && holdoutHash(bucketingValue) > percentage / 100) return undefined;
  return `holdout-${holdout.id}`;
}

/**
 * Condition sets in order; the first match wins. Reasons follow PostHog's `/flags` v2: the
 * matching set, else the first set that was out of its rollout, else no matching set.
 */
export function matchConditions(
  flag: FlagDefinition,
  bucketingValue: string,
  properties: Properties,
  context: EvaluationContext,
): Outcome {
  const held = holdoutVariant(flag, bucketingValue);
  if (held !== undefined) {
    return { value: held, reason: flagReason('holdout_condition_value') };
  }
  const filters = flag.filters;
  const flagAggregation = filters.aggregation_group_type_index;
  const earlyExit = filters.early_exit ?? false;
  let reason: UnresolvedReason | undefined;
  let regexUncertain = false;
  // Values later conditions would give if an uncertain regex condition had matched.
  const deferred = new Set<boolean | string>();
  let matched: Outcome | undefined;
  let outOfRolloutIndex: number | null = null;

  for (const [index, condition] of filters.groups.entries()) {
    let bucket = bucketingValue;
    try {
      let conditionProperties = properties;
      const aggregation =
        condition.aggregation_group_type_index !== undefined
          ? condition.aggregation_group_type_index
          : flagAggregation;
      // A condition aggregating on another group type than the flag (mixed targeting).
      if (aggregation !== flagAggregation && aggregation != null) {
        const groupType = context.groupTypeMapping[String(aggregation)];
        if (!groupType || !Object.hasOwn(context.groups, groupType)) continue;
        const groupProperties = context.groupProperties[groupType];
        if (groupProperties === undefined) {
          reason = pickReason(reason, 'missing_context');
          continue;
        }
        conditionProperties = groupProperties;
        bucket = context.groups[groupType] ?? bucket;
      }
      const result = matchCondition(flag, bucket, condition, conditionProperties, context);
      if (result === 'match') {
        matched = {
          value: variantFor(flag, condition, bucket),
          reason: flagReason('condition_match', index),
        };
        break;
      }
      if (result === 'out_of_rollout_bound') {
        outOfRolloutIndex ??= index;
        if (earlyExit) {
          // An earlier undecidable condition still needs the server.
          if (reason !== undefined) break;
          return { value: false, reason: flagReason('out_of_rollout_bound', index) };
        }
      }
    } catch (error) {
      if (!(error instanceof Inconclusive)) throw error;
      if (error.serverOnly) {
        // Later conditions are skipped, so a higher reason in them comes from the definition.
        let definitionReason: UnresolvedReason | undefined;
        try {
          definitionReason = definitionUnresolvedReason(flag, context);
        } catch {
          definitionReason = undefined;
        }
        const combined = pickReason(
          pickReason(reason, error.reason),
          definitionReason ?? error.reason,
        );
        throw combined === error.reason ? error : error.withReason(combined);
      }
      reason = pickReason(reason, error.reason);
      if (error.regexUncertain) {
        regexUncertain = true;
        const rollout = condition.rollout_percentage;
        deferred.add(
          earlyExit && rollout != null && isOutOfRollout(flag, bucket, rollout)
            ? false
            : variantFor(flag, condition, bucket),
        );
      }
    }
  }

  // A later match may not pick a value an earlier uncertain regex condition would change.
  if (
    matched !== undefined &&
    !(regexUncertain && [...deferred].some((value) => value !== matched?.value))
  ) {
    return matched;
  }
  if (reason !== undefined) {
    throw new Inconclusive('Flag undecidable with these properties', reason, false, regexUncertain);
  }
  if (outOfRolloutIndex !== null) {
    return { value: false, reason: flagReason('out_of_rollout_bound', outOfRolloutIndex) };
  }
  return { value: false, reason: flagReason('no_condition_match') };
}
