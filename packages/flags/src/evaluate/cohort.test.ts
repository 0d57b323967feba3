import { describe, expect, it } from 'vitest';
import { makeEnv, makeFlag, person, sdkValue } from '../../test/builders.js';
import type { PropertyGroup } from '../definition/schema.js';
import { evaluateFlag } from './flag.js';

const cohorts: Record<string, PropertyGroup> = {
  // (country = US) OR (email contains @acme AND plan in [pro, team])
  '1': {
    type: 'OR',
    values: [
      { type: 'AND', values: [person('country', 'exact', 'US')] },
      {
        type: 'AND',
        values: [person('email', 'icontains', '@acme'), person('plan', 'exact', ['pro', 'team'])],
      },
    ],
  },
  // in cohort 1 AND NOT plan = free
  '2': {
    type: 'AND',
    values: [
      { key: 'id', operator: 'in', value: 1, type: 'cohort' },
      { ...person('plan', 'exact', 'free'), negation: true },
    ],
  },
};

function flagIn(cohortId: number, operator: 'in' | 'not_in' = 'in') {
  return makeFlag({
    filters: {
      groups: [
        {
          properties: [{ key: 'id', operator, value: cohortId, type: 'cohort' }],
          rollout_percentage: null,
        },
      ],
    },
  });
}

function evaluate(
  cohortId: number,
  personProperties: Record<string, unknown>,
  operator: 'in' | 'not_in' = 'in',
) {
  return evaluateFlag(
    flagIn(cohortId, operator),
    { distinctId: 'u', personProperties },
    makeEnv({ cohorts }),
  );
}

describe('cohort conditions', () => {
  it('matches nested OR of ANDs', () => {
    expect(sdkValue(evaluate(1, { country: 'us', email: '', plan: '' }))).toBe(true);
    expect(sdkValue(evaluate(1, { country: 'DE', email: 'a@ACME.io', plan: 'Team' }))).toBe(true);
    expect(sdkValue(evaluate(1, { country: 'DE', email: 'a@acme.io', plan: 'free' }))).toBe(false);
  });

  it('inverts with not_in', () => {
    expect(sdkValue(evaluate(1, { country: 'DE', email: '', plan: '' }, 'not_in'))).toBe(true);
  });

  it('lets a decisive entry win over an undecidable one', () => {
    // country is missing, but the OR is already true through the second group.
    expect(sdkValue(evaluate(1, { email: 'a@acme.io', plan: 'pro' }))).toBe(true);
    // Nothing decides: inconclusive.
    expect(evaluate(1, { email: 'a@acme.io' }).inconclusive).toBe(true);
  });

  it('follows cohorts inside cohorts, with negated filters', () => {
    expect(sdkValue(evaluate(2, { country: 'US', email: '', plan: 'pro' }))).toBe(true);
    expect(sdkValue(evaluate(2, { country: 'US', email: '', plan: 'free' }))).toBe(false);
  });

  it('needs the server for a cohort not in the definitions (static cohort)', () => {
    const result = evaluate(99, { country: 'US' });
    expect(result.inconclusive && result.reason.code).toBe('unsupported_definition');
  });

  it('treats the empty cohort {} as everyone', () => {
    const empty = makeEnv({ cohorts: { '3': {} as PropertyGroup } });
    expect(sdkValue(evaluateFlag(flagIn(3), { distinctId: 'u' }, empty))).toBe(true);
  });
});
