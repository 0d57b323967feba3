import { describe, expect, it } from 'vitest';
import { type ArmStats, type CompareOptions, compareArms } from './compare.js';
import { parseExperimentDefinition } from './definition.js';

const OPTIONS: CompareOptions = {
  engine: 'bayesian',
  alpha: 0.05,
  lowerIsBetter: false,
  minExposedUnits: 100,
};
const conv = (key: string, n: number, s: number): ArmStats => ({
  key,
  stats: { kind: 'proportion', n, s },
});

describe('compareArms', () => {
  it('compares every variant but the control with the control, on the relative lift', () => {
    const arms = [conv('a', 5000, 600), conv('control', 5000, 500), conv('b', 5000, 500)];
    const [a, b] = compareArms(arms, 1, OPTIONS);
    expect(a?.variant).toBe('a');
    expect(a?.effect?.estimate).toBeCloseTo(0.2, 12);
    expect(a?.verdict).toEqual({ status: 'won' });
    expect(a?.bayesian?.chanceToWin).toBeGreaterThan(0.99);
    expect(b?.verdict).toEqual({ status: 'inconclusive' });
  });

  it('flips the direction for lower-is-better metrics, in both engines', () => {
    const arms = [conv('control', 5000, 500), conv('test', 5000, 600)];
    expect(compareArms(arms, 0, { ...OPTIONS, lowerIsBetter: true })[0]?.verdict).toEqual({
      status: 'lost',
    });
    const frequentist = { ...OPTIONS, engine: 'frequentist' as const };
    expect(compareArms(arms, 0, frequentist)[0]?.verdict).toEqual({ status: 'won' });
    expect(compareArms(arms, 0, { ...frequentist, lowerIsBetter: true })[0]?.verdict).toEqual({
      status: 'lost',
    });
  });

  it('says not_enough_data below the minimum sample, and why an effect is undefined', () => {
    const few = compareArms([conv('control', 99, 20), conv('test', 500, 60)], 0, OPTIONS);
    expect(few[0]?.verdict).toEqual({
      status: 'not_enough_data',
      variant: 'control',
      shortfall: 'exposed_units',
    });
    expect(few[0]?.frequentist).not.toBeNull();
    const zero = compareArms(
      [
        { key: 'control', stats: { kind: 'mean', n: 200, sum: 0, sumSq: 0 } },
        { key: 'test', stats: { kind: 'mean', n: 200, sum: 10, sumSq: 30 } },
      ],
      0,
      OPTIONS,
    );
    expect(zero[0]).toMatchObject({ effect: null, verdict: { status: 'undefined_effect' } });
  });

  it('narrows the effect variance with CUPED when the covariate predicts the metric', () => {
    const arm = (key: string, sum: number): ArmStats => ({
      key,
      stats: { kind: 'mean', n: 1000, sum, sumSq: 12_000 },
      covariate: { sumX: sum - 100, sumX2: 11_000, sumXY: 11_400 },
    });
    const withCuped = compareArms([arm('control', 3000), arm('test', 3100)], 0, OPTIONS)[0];
    const plain = compareArms(
      [arm('control', 3000), arm('test', 3100)].map(({ key, stats }) => ({ key, stats })),
      0,
      OPTIONS,
    )[0];
    expect(withCuped?.effect?.variance).toBeLessThan((plain?.effect?.variance ?? 0) / 2);
  });
});

describe('parseExperimentDefinition', () => {
  it('fills the defaults and names the field at fault', () => {
    const parsed = parseExperimentDefinition({
      name: 'x',
      feature_flag_key: 'f',
      metrics: [{ kind: 'funnel', steps: ['a', 'b'] }],
    });
    expect(parsed.parameters).toEqual({
      minimum_exposed_units: 100,
      alpha: 0.05,
      engine: 'bayesian',
      cuped: false,
    });
    expect(parsed.metrics[0]).toMatchObject({ conversion_window_days: 14, lower_is_better: false });
    expect(() =>
      parseExperimentDefinition({
        name: 'x',
        feature_flag_key: 'f',
        metrics: [
          { kind: 'count', event: 'e', properties: [{ type: 'cohort', key: 'id', value: 2 }] },
        ],
      }),
    ).toThrow(/metrics\[0\]\.properties/);
  });
});
