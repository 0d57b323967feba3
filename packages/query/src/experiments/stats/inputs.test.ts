import { describe, expect, it } from 'vitest';
import { isQueryError } from '../../errors.js';
import { bayesianTest } from './bayesian.js';
import { cupedAdjust } from './cuped.js';
import { estimateEffect, welchDegreesOfFreedom } from './effect.js';
import { meanMoments, proportionMoments, ratioMoments } from './inputs.js';
import { sampleSizeForProportion } from './power.js';
import { srmTest } from './srm.js';

function pathOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (isQueryError(error, 'invalid_query')) return error.path;
    throw error;
  }
  return undefined;
}

describe('input validation names the field instead of returning NaN', () => {
  it('rejects conversions above n and negative or fractional counts', () => {
    expect(pathOf(() => proportionMoments({ n: 10, s: 11 }, 'control'))).toBe('control.s');
    expect(pathOf(() => proportionMoments({ n: -1, s: 0 }, 'treatment'))).toBe('treatment.n');
    expect(pathOf(() => proportionMoments({ n: 10.5, s: 1 }))).toBe('stats.n');
  });

  it('needs n >= 2 where a sample variance is computed', () => {
    expect(pathOf(() => meanMoments({ n: 1, sum: 3, sumSq: 9 }, 'control'))).toBe('control.n');
    expect(
      pathOf(() =>
        welchDegreesOfFreedom({ n: 1, mean: 0, variance: 1 }, { n: 5, mean: 0, variance: 1 }),
      ),
    ).toBe('control.n');
  });

  it('rejects non-finite sums and a zero ratio denominator', () => {
    expect(pathOf(() => meanMoments({ n: 5, sum: Number.NaN, sumSq: 1 }, 'treatment'))).toBe(
      'treatment.sum',
    );
    const ratio = { n: 5, sumM: 3, sumD: 0, sumM2: 3, sumD2: 0, sumMD: 0 };
    expect(pathOf(() => ratioMoments(ratio, 'control'))).toBe('control.sumD');
    expect(pathOf(() => ratioMoments({ ...ratio, sumD: 2, sumM2: Infinity }))).toBe('stats.sumM2');
  });

  it('rejects bad options, SRM counts and CUPED covariates by name', () => {
    expect(pathOf(() => sampleSizeForProportion({ baselineRate: 0.1, mde: 0.01, power: 1 }))).toBe(
      'options.power',
    );
    expect(pathOf(() => srmTest([10, -1], [1, 1]))).toBe('observed[1]');
    expect(pathOf(() => srmTest([10, 12], [1, 0]))).toBe('weights');
    const metric = { n: 3, sum: 3, sumSq: 5 };
    expect(
      pathOf(() =>
        cupedAdjust([
          { metric, covariate: { sumX: 1, sumX2: 1, sumXY: 1 } },
          { metric, covariate: { sumX: 1, sumX2: Number.NaN, sumXY: 1 } },
        ]),
      ),
    ).toBe('arms[1].covariate.sumX2');
  });

  it('refuses a Bayesian summary of an effect with zero variance', () => {
    const c = proportionMoments({ n: 100, s: 0 });
    const effect = estimateEffect(c, c);
    if (!effect.defined) throw new Error('expected a defined effect');
    expect(pathOf(() => bayesianTest(effect))).toBe('effect.variance');
  });
});
