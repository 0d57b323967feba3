import { describe, expect, it } from 'vitest';
import { makeEnv, makeFlag, person, sdkValue } from '../../test/builders.js';
import { evaluateFlag, evaluateFlags } from './flag.js';

const ids = Array.from({ length: 6 }, (_, i) => `distinct_id_${i}`);

describe('posthog-node vectors', () => {
  it('simple-flag at 45% -> false, true, true, false, true, false', () => {
    const flag = makeFlag({
      key: 'simple-flag',
      filters: { groups: [{ properties: [], rollout_percentage: 45 }] },
    });
    const values = ids.map((distinctId) => sdkValue(evaluateFlag(flag, { distinctId }, makeEnv())));
    expect(values).toEqual([false, true, true, false, true, false]);
  });

  it('multivariate-flag at 55% -> second, second, first, false, false, second', () => {
    const flag = makeFlag({
      key: 'multivariate-flag',
      filters: {
        groups: [{ properties: [], rollout_percentage: 55 }],
        multivariate: {
          variants: [
            { key: 'first', rollout_percentage: 50 },
            { key: 'second', rollout_percentage: 20 },
            { key: 'third', rollout_percentage: 20 },
            { key: 'fourth', rollout_percentage: 5 },
            { key: 'fifth', rollout_percentage: 5 },
          ],
        },
      },
    });
    const values = ids.map((distinctId) => sdkValue(evaluateFlag(flag, { distinctId }, makeEnv())));
    expect(values).toEqual(['second', 'second', 'first', false, false, 'second']);
  });
});

describe('conditions and reasons', () => {
  const flag = makeFlag({
    filters: {
      groups: [
        { properties: [person('plan', 'exact', 'pro')], rollout_percentage: null },
        { properties: [person('email', 'icontains', '@acme')], rollout_percentage: 0 },
      ],
    },
  });

  it('reports the first matching set, 1-based in the description', () => {
    const result = evaluateFlag(
      flag,
      { distinctId: 'u', personProperties: { plan: 'pro', email: '' } },
      makeEnv(),
    );
    expect(result).toEqual({
      key: 'test-flag',
      inconclusive: false,
      enabled: true,
      variant: null,
      value: true,
      reason: {
        code: 'condition_match',
        condition_index: 0,
        description: 'Matched condition set 1',
      },
      payload: null,
    });
  });

  it('reports out_of_rollout_bound when filters matched but the rollout excluded', () => {
    const result = evaluateFlag(
      flag,
      { distinctId: 'u', personProperties: { plan: 'free', email: 'a@acme.com' } },
      makeEnv(),
    );
    expect(result.inconclusive === false && result.reason).toEqual({
      code: 'out_of_rollout_bound',
      condition_index: 1,
      description: 'Out of rollout bound',
    });
  });

  it('reports no_condition_match when no set matched', () => {
    const result = evaluateFlag(
      flag,
      { distinctId: 'u', personProperties: { plan: 'free', email: 'b@x.org' } },
      makeEnv(),
    );
    expect(result.inconclusive === false && result.reason.code).toBe('no_condition_match');
  });

  it('is inconclusive when an undecided set could still match, and decided by a later match', () => {
    expect(
      evaluateFlag(flag, { distinctId: 'u', personProperties: { email: 'x' } }, makeEnv()),
    ).toEqual({
      key: 'test-flag',
      inconclusive: true,
      reason: expect.objectContaining({ code: 'missing_context' }),
    });
    const later = makeFlag({
      filters: {
        groups: [
          { properties: [person('plan', 'exact', 'pro')], rollout_percentage: null },
          { properties: [], rollout_percentage: 100 },
        ],
      },
    });
    expect(sdkValue(evaluateFlag(later, { distinctId: 'u' }, makeEnv()))).toBe(true);
  });

  it('decides on absent properties when the caller says they are complete (server side)', () => {
    const input = { distinctId: 'u', personProperties: { email: 'x' }, propertiesComplete: true };
    const result = evaluateFlag(flag, input, makeEnv());
    expect(result.inconclusive === false && result.reason.code).toBe('no_condition_match');
    const unset = makeFlag({
      filters: {
        groups: [{ properties: [person('plan', 'is_not_set')], rollout_percentage: null }],
      },
    });
    expect(sdkValue(evaluateFlag(unset, input, makeEnv()))).toBe(true);
    expect(
      evaluateFlag(unset, { ...input, propertiesComplete: false }, makeEnv()).inconclusive,
    ).toBe(true);
  });

  it('returns false for an inactive flag, even with experience continuity', () => {
    const off = makeFlag({ active: false, ensure_experience_continuity: true });
    const result = evaluateFlag(off, { distinctId: 'u' }, makeEnv());
    expect(result.inconclusive === false && result.reason.code).toBe('flag_disabled');
    expect(sdkValue(result)).toBe(false);
  });

  it('is inconclusive with experience continuity', () => {
    const result = evaluateFlag(
      makeFlag({ ensure_experience_continuity: true }),
      { distinctId: 'u' },
      makeEnv(),
    );
    expect(result.inconclusive && result.reason.code).toBe('experience_continuity');
  });

  it('with early_exit stops at the first set out of its rollout', () => {
    const filters = {
      groups: [
        { properties: [], rollout_percentage: 0 },
        { properties: [], rollout_percentage: 100 },
      ],
    };
    expect(sdkValue(evaluateFlag(makeFlag({ filters }), { distinctId: 'u' }, makeEnv()))).toBe(
      true,
    );
    const early = makeFlag({ filters: { ...filters, early_exit: true } });
    expect(sdkValue(evaluateFlag(early, { distinctId: 'u' }, makeEnv()))).toBe(false);
  });

  it('uses a variant override only when it names a real variant', () => {
    const multivariate = {
      variants: [
        { key: 'control', rollout_percentage: 50 },
        { key: 'test', rollout_percentage: 50 },
      ],
    };
    const overridden = makeFlag({
      filters: {
        multivariate,
        groups: [{ properties: [], rollout_percentage: 100, variant: 'test' }],
      },
    });
    for (const distinctId of ids) {
      expect(sdkValue(evaluateFlag(overridden, { distinctId }, makeEnv()))).toBe('test');
    }
    const bogus = makeFlag({
      filters: {
        multivariate,
        groups: [{ properties: [], rollout_percentage: 100, variant: 'gone' }],
      },
    });
    const values = new Set(
      ids.map((distinctId) => sdkValue(evaluateFlag(bogus, { distinctId }, makeEnv()))),
    );
    expect(values).toEqual(new Set(['control', 'test']));
  });

  it('buckets by $device_id when asked, and is inconclusive without one', () => {
    const flag = makeFlag({
      bucketing_identifier: 'device_id',
      filters: { groups: [{ properties: [], rollout_percentage: 45 }] },
    });
    const byDevice = evaluateFlag(
      flag,
      { distinctId: 'x', personProperties: { $device_id: 'distinct_id_1' } },
      makeEnv(),
    );
    expect(sdkValue(byDevice)).toBe(true); // distinct_id_1 is in the 45% (vector above)
    expect(evaluateFlag(flag, { distinctId: 'x' }, makeEnv()).inconclusive).toBe(true);
  });

  it('puts holdout members in holdout-<id> before any condition', () => {
    const flag = makeFlag({ filters: { holdout: { id: 7, exclusion_percentage: 100 } } });
    const result = evaluateFlag(flag, { distinctId: 'u' }, makeEnv());
    expect(result.inconclusive === false && [result.value, result.reason.code]).toEqual([
      'holdout-7',
      'holdout_condition_value',
    ]);
  });

  it('matches distinct_id as a person property, as posthog-node adds it', () => {
    const flag = makeFlag({
      filters: {
        groups: [{ properties: [person('distinct_id', 'exact', 'u1')], rollout_percentage: null }],
      },
    });
    expect(sdkValue(evaluateFlag(flag, { distinctId: 'U1' }, makeEnv()))).toBe(true);
  });
});

describe('group flags', () => {
  const flag = makeFlag({
    key: 'company-beta',
    filters: {
      aggregation_group_type_index: 0,
      groups: [
        {
          properties: [
            { key: 'tier', operator: 'exact', value: 'pro', type: 'group', group_type_index: 0 },
          ],
          rollout_percentage: 100,
        },
      ],
    },
  });

  it('matches on the group properties', () => {
    const input = {
      distinctId: 'u',
      groups: { company: 'acme' },
      groupProperties: { company: { tier: 'pro' } },
    };
    expect(sdkValue(evaluateFlag(flag, input, makeEnv()))).toBe(true);
  });

  it('is false with reason no_group_type when the caller did not pass the group', () => {
    const result = evaluateFlag(
      flag,
      { distinctId: 'u', groupProperties: { company: { tier: 'pro' } } },
      makeEnv(),
    );
    expect(result.inconclusive === false && [result.value, result.reason.code]).toEqual([
      false,
      'no_group_type',
    ]);
  });

  it('is inconclusive for a group type the mapping does not know', () => {
    const result = evaluateFlag(
      flag,
      { distinctId: 'u', groups: { company: 'acme' } },
      makeEnv({ groupTypeMapping: {} }),
    );
    expect(result.inconclusive && result.reason.code).toBe('unsupported_definition');
  });

  it('buckets by the group key, so every member agrees', () => {
    const rollout = makeFlag({
      key: 'simple-flag',
      filters: {
        aggregation_group_type_index: 0,
        groups: [{ properties: [], rollout_percentage: 45 }],
      },
    });
    // 'distinct_id_1' is inside the 45% and 'distinct_id_0' is not (vectors above).
    for (const distinctId of ids) {
      const inside = { distinctId, groups: { company: 'distinct_id_1' } };
      const outside = { distinctId, groups: { company: 'distinct_id_0' } };
      expect(sdkValue(evaluateFlag(rollout, inside, makeEnv()))).toBe(true);
      expect(sdkValue(evaluateFlag(rollout, outside, makeEnv()))).toBe(false);
    }
  });

  it('exposes the group key as $group_key', () => {
    const byKey = makeFlag({
      filters: {
        aggregation_group_type_index: 0,
        groups: [
          {
            properties: [
              {
                key: '$group_key',
                operator: 'exact',
                value: 'acme',
                type: 'group',
                group_type_index: 0,
              },
            ],
            rollout_percentage: null,
          },
        ],
      },
    });
    expect(
      sdkValue(evaluateFlag(byKey, { distinctId: 'u', groups: { company: 'ACME' } }, makeEnv())),
    ).toBe(true);
  });
});

describe('payloads', () => {
  const flag = makeFlag({
    filters: {
      groups: [{ properties: [], rollout_percentage: 100 }],
      payloads: { true: '{"limit":5}' },
    },
  });

  it('parses JSON payloads stored as strings', () => {
    const result = evaluateFlag(flag, { distinctId: 'u' }, makeEnv());
    expect(result.inconclusive === false && result.payload).toEqual({ limit: 5 });
  });

  it('falls back to the raw string, and looks variants up by key', () => {
    const variantFlag = makeFlag({
      filters: {
        groups: [{ properties: [], rollout_percentage: 100, variant: 'b' }],
        multivariate: {
          variants: [
            { key: 'a', rollout_percentage: 50 },
            { key: 'b', rollout_percentage: 50 },
          ],
        },
        payloads: { b: 'plain text', a: '{"x":1}' },
      },
    });
    const result = evaluateFlag(variantFlag, { distinctId: 'u' }, makeEnv());
    expect(result.inconclusive === false && result.payload).toBe('plain text');
  });

  it('has no payload when the flag is off', () => {
    const off = makeFlag({
      filters: { groups: [{ properties: [], rollout_percentage: 0 }], payloads: { true: '1' } },
    });
    const result = evaluateFlag(off, { distinctId: 'u' }, makeEnv());
    expect(result.inconclusive === false && result.payload).toBe(null);
  });
});

describe('evaluateFlags', () => {
  it('evaluates every flag but deleted ones, or only the keys asked for', () => {
    const flags = [
      makeFlag({ key: 'a' }),
      makeFlag({ key: 'b', deleted: true }),
      makeFlag({ key: 'c', active: false }),
    ];
    const env = makeEnv({ flags });
    expect(Object.keys(evaluateFlags({ distinctId: 'u' }, env))).toEqual(['a', 'c']);
    expect(Object.keys(evaluateFlags({ distinctId: 'u' }, env, ['c', 'missing']))).toEqual(['c']);
  });
});
