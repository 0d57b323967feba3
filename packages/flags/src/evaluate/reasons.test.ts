import { describe, expect, it } from 'vitest';
import { flagReason, reasonCodeOf } from './reasons.js';
import type { FlagReasonCode } from './types.js';

const CODES: FlagReasonCode[] = [
  'condition_match',
  'no_condition_match',
  'out_of_rollout_bound',
  'no_group_type',
  'holdout_condition_value',
  'flag_disabled',
];

describe('flag reasons', () => {
  it('describes each code as PostHog does, and reads the description back as the code', () => {
    expect(flagReason('condition_match', 2)).toEqual({
      code: 'condition_match',
      condition_index: 2,
      description: 'Matched condition set 3',
    });
    expect(flagReason('out_of_rollout_bound', 0).description).toBe('Out of rollout bound');
    for (const code of CODES) {
      expect(reasonCodeOf(flagReason(code, 4).description)).toBe(code);
      expect(reasonCodeOf(code)).toBe(code);
    }
  });

  it('knows no other text', () => {
    for (const text of [
      '',
      'Matched condition set',
      'matched condition set 1',
      'because',
      'Matched condition set 1 ',
    ])
      expect(reasonCodeOf(text)).toBeUndefined();
  });
});
