import type { FlagReason, FlagReasonCode } from './types.js';

// A decided flag's reason: PostHog's `/flags` v2 code, the deciding condition set, and PostHog's
// description of it. PostHog SDKs echo the description back as `$feature_flag_reason` on
// exposures; reasonCodeOf turns it back into the code, which is all Tally stores.

const FIXED: Readonly<Record<Exclude<FlagReasonCode, 'condition_match'>, string>> = {
  no_condition_match: 'No matching condition set',
  out_of_rollout_bound: 'Out of rollout bound',
  no_group_type: 'No group type',
  holdout_condition_value: 'Holdout condition value',
  flag_disabled: 'Flag is disabled',
};
const MATCHED = /^Matched condition set \d+$/;

/** The reason for `code`; `conditionIndex` (0-based) names the deciding set, when one did. */
export function flagReason(code: FlagReasonCode, conditionIndex: number | null = null): FlagReason {
  const description =
    code === 'condition_match' ? `Matched condition set ${(conditionIndex ?? 0) + 1}` : FIXED[code];
  return { code, condition_index: conditionIndex, description };
}

/**
 * The code behind a description {@link flagReason} gives, or a code itself; undefined for any
 * other text.
 * @example reasonCodeOf('Matched condition set 2') // 'condition_match'
 */
export function reasonCodeOf(text: string): FlagReasonCode | undefined {
  if (MATCHED.test(text) || text === 'condition_match') return 'condition_match';
  for (const [code, description] of Object.entries(FIXED) as Array<[FlagReasonCode, string]>)
    if (text === description || text === code) return code;
  return undefined;
}
