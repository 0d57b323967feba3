import { experimentStats as s } from '@tally/query';
import { afterAll, describe, expect, it } from 'vitest';
import { BAYESIAN, TWO_PROPORTION, WELCH_MEAN, WELCH_RATIO } from './reference-fixtures.js';
import { expectNear, reportMaxErrors } from './tolerance.js';

afterAll(reportMaxErrors);

function defined(effect: s.Effect | s.UndefinedEffect): s.Effect {
  if (!effect.defined) throw new Error('expected a defined effect');
  return effect;
}

describe('Welch t-test against scipy.stats.ttest_ind(equal_var=False)', () => {
  it.each(WELCH_MEAN)('mean metric, $alternative at alpha $alpha', (row) => {
    const effect = defined(
      s.estimateEffect(
        s.meanMoments(row.control, 'control'),
        s.meanMoments(row.treatment, 'treatment'),
      ),
    );
    const result = s.welchTest(effect, { alpha: row.alpha, alternative: row.alternative });
    expectNear('welch (means)', result.estimate, row.estimate, 'mixed');
    expectNear('welch (means)', result.statistic, row.statistic, 'mixed');
    expectNear('welch (means)', result.df, row.df);
    expectNear('welch (means)', result.pValue, row.pValue);
    expectNear('welch (means)', result.interval.lower, row.lower, 'mixed');
    expectNear('welch (means)', result.interval.upper, row.upper, 'mixed');
  });

  it.each(WELCH_RATIO)('ratio metric, $scale effect', (row) => {
    const control = s.ratioMoments(row.control, 'control');
    const treatment = s.ratioMoments(row.treatment, 'treatment');
    expectNear('ratio moments', control.mean, row.controlMean);
    expectNear('ratio moments', control.variance, row.controlVariance);
    expectNear('ratio moments', treatment.mean, row.treatmentMean);
    expectNear('ratio moments', treatment.variance, row.treatmentVariance);
    const effect = defined(s.estimateEffect(control, treatment, row.scale));
    expectNear('effect', effect.estimate, row.estimate, 'mixed');
    expectNear('effect', effect.variance, row.variance);
    const result = s.welchTest(effect);
    expectNear('welch (ratios)', result.df, row.df);
    expectNear('welch (ratios)', result.statistic, row.statistic, 'mixed');
    expectNear('welch (ratios)', result.pValue, row.pValue);
    expectNear('welch (ratios)', result.interval.lower, row.lower, 'mixed');
    expectNear('welch (ratios)', result.interval.upper, row.upper, 'mixed');
  });
});

describe('two-proportion z-test against the §3.2 formula in numpy/scipy', () => {
  it.each(TWO_PROPORTION)(
    '$control.s/$control.n vs $treatment.s/$treatment.n, $alternative',
    (row) => {
      const result = s.twoProportionZTest(row.control, row.treatment, {
        alpha: row.alpha,
        alternative: row.alternative,
      });
      expectNear('two-proportion z', result.estimate, row.estimate, 'mixed');
      expectNear('two-proportion z', result.standardError, row.standardError);
      expectNear('two-proportion z', result.statistic, row.statistic, 'mixed');
      expectNear('two-proportion z', result.pValue, row.pValue);
      expectNear('two-proportion z', result.interval.lower, row.lower, 'mixed');
      expectNear('two-proportion z', result.interval.upper, row.upper, 'mixed');
      for (const [actual, expected] of [
        [result.control, row.controlInterval],
        [result.treatment, row.treatmentInterval],
      ] as const) {
        expect(actual.method).toBe(expected.method);
        expectNear('wald/wilson intervals', actual.lower, expected.lower, 'mixed');
        expectNear('wald/wilson intervals', actual.upper, expected.upper, 'mixed');
      }
    },
  );

  it('answers z = 0 and p = 1 when no unit converted in either arm', () => {
    const result = s.twoProportionZTest({ n: 50, s: 0 }, { n: 60, s: 0 });
    expect(result.statistic).toBe(0);
    expect(result.pValue).toBe(1);
  });
});

describe('Bayesian Gaussian effect model against the §3.3 formulas and quadrature', () => {
  it.each(BAYESIAN)('estimate $estimate, variance $variance', (row) => {
    const effect: s.Effect = {
      defined: true,
      scale: 'absolute',
      estimate: row.estimate,
      variance: row.variance,
      control: { n: 100, mean: 1, variance: 1 },
      treatment: { n: 100, mean: 1, variance: 1 },
    };
    const result = s.bayesianTest(effect, {
      alpha: row.alpha,
      lowerIsBetter: row.lowerIsBetter,
      ...('prior' in row ? { prior: row.prior } : {}),
    });
    expectNear('bayesian posterior/interval', result.posteriorMean, row.posteriorMean, 'mixed');
    expectNear('bayesian posterior/interval', result.posteriorSd, row.posteriorSd);
    expectNear('bayesian posterior/interval', result.interval.lower, row.lower, 'mixed');
    expectNear('bayesian posterior/interval', result.interval.upper, row.upper, 'mixed');
    expectNear('bayesian chance to win', result.chanceToWin, row.chanceToWin);
    expectNear('bayesian risk', result.risk.control, row.riskControl);
    expectNear('bayesian risk', result.risk.treatment, row.riskTreatment);
  });

  it('is the mirror image for lower-is-better metrics', () => {
    const effect = defined(
      s.estimateEffect({ n: 500, mean: 10, variance: 4 }, { n: 500, mean: 10.3, variance: 4 }),
    );
    const up = s.bayesianTest(effect);
    const down = s.bayesianTest(effect, { lowerIsBetter: true });
    expect(down.chanceToWin).toBeCloseTo(1 - up.chanceToWin, 15);
    expect(down.risk).toEqual({ control: up.risk.treatment, treatment: up.risk.control });
  });
});

describe('effect estimation', () => {
  it('returns an undefined (neutral) lift when the control mean is 0', () => {
    const effect = s.estimateEffect(
      s.proportionMoments({ n: 200, s: 0 }),
      s.proportionMoments({ n: 200, s: 4 }),
      'relative',
    );
    expect(effect).toEqual({ defined: false, scale: 'relative', reason: 'zero_control_mean' });
  });

  it('computes the delta-method lift variance of §3.3', () => {
    const c = s.proportionMoments({ n: 1000, s: 100 });
    const t = s.proportionMoments({ n: 1000, s: 120 });
    const effect = defined(s.estimateEffect(c, t, 'relative'));
    expect(effect.estimate).toBeCloseTo(0.2, 14);
    const expected = (0.12 * 0.88) / 1000 / 0.01 + (0.0144 * 0.09) / 1000 / 1e-4;
    expect(effect.variance).toBeCloseTo(expected, 14);
  });
});
