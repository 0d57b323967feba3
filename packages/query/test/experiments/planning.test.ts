import { experimentStats as s } from '@tally/query';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CUPED,
  MDE,
  MDE_LIFT,
  POWER,
  SAMPLE_SIZE_MEAN,
  SAMPLE_SIZE_PROPORTION,
  SRM,
} from './reference-fixtures.js';
import { expectNear, reportMaxErrors } from './tolerance.js';

afterAll(reportMaxErrors);

describe('SRM against scipy.stats.chisquare', () => {
  it.each(SRM)('observed $observed, weights $weights', (row) => {
    const result = s.srmTest(row.observed, row.weights);
    expectNear('srm', result.chiSquare, row.chiSquare);
    expectNear('srm', result.pValue, row.pValue);
    expect(result.df).toBe(row.df);
    expect(result.warn).toBe(row.warn);
  });
});

describe('power and sample size against the §3.5 formulas', () => {
  it.each(SAMPLE_SIZE_MEAN)('mean: variance $variance, mde $mde', (row) => {
    expect(s.sampleSizeForMean(row)).toBe(row.sampleSize);
  });
  it.each(SAMPLE_SIZE_PROPORTION)('proportion: baseline $baselineRate, mde $mde', (row) => {
    expect(s.sampleSizeForProportion(row)).toBe(row.sampleSize);
  });
  it.each(MDE)('MDE: variance $variance, n $sampleSizePerVariant', (row) => {
    expectNear('power/mde', s.minimumDetectableEffect(row), row.mde);
  });
  it.each(MDE_LIFT)(
    'relative MDE: mean $mean, variance $variance, n $sampleSizePerVariant',
    (row) => {
      expectNear('power/mde', s.minimumDetectableLift(row), row.lift);
    },
  );
  it('has no detectable lift when the sample is too small', () => {
    const input = { mean: 0.01, variance: 1, sampleSizePerVariant: 10 };
    expect(s.minimumDetectableLift(input)).toBe(Number.POSITIVE_INFINITY);
  });
  it.each(POWER)('power: effect $effect, se $standardError', (row) => {
    expectNear('power/mde', s.powerOfTest(row), row.power);
  });
  it('estimates the days needed from entrants per day', () => {
    expect(s.daysNeeded({ sampleSizePerVariant: 3532, variantCount: 2, entrantsPerDay: 400 })).toBe(
      18,
    );
  });
});

describe('CUPED against a regression on the raw data', () => {
  it.each(CUPED)('$arms.length arms, theta $theta', (row) => {
    const result = s.cupedAdjust(row.arms);
    expectNear('cuped', result.theta, row.theta);
    row.arms.forEach((arm, i) => {
      const adjusted = result.arms[i];
      expect(adjusted).toBeDefined();
      if (adjusted === undefined) return;
      expectNear('cuped', adjusted.mean, arm.mean);
      expectNear('cuped', adjusted.variance, arm.variance);
      expectNear('cuped', adjusted.varianceReduction, arm.varianceReduction);
    });
    const [control, treatment] = result.arms;
    if (control === undefined || treatment === undefined) throw new Error('expected two arms');
    const effect = s.estimateEffect(control, treatment);
    if (!effect.defined) throw new Error('expected a defined effect');
    const welch = s.welchTest(effect);
    expectNear('cuped welch', welch.statistic, row.statistic, 'mixed');
    expectNear('cuped welch', welch.df, row.df);
    expectNear('cuped welch', welch.pValue, row.pValue);
    expectNear('cuped welch', welch.interval.lower, row.lower, 'mixed');
    expectNear('cuped welch', welch.interval.upper, row.upper, 'mixed');
  });

  it('floors the adjusted variance at a tiny positive when X predicts Y exactly', () => {
    const ys = [1, 2, 3, 4, 5];
    const arm = {
      metric: { n: 5, sum: 15, sumSq: ys.reduce((a, y) => a + y * y, 0) },
      covariate: { sumX: 15, sumX2: 55, sumXY: 55 },
    };
    const [adjusted] = s.cupedAdjust([arm, arm]).arms;
    expect(adjusted?.variance).toBeGreaterThan(0);
    expect(adjusted?.varianceReduction).toBeCloseTo(1, 9);
  });
});
