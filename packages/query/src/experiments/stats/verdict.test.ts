import { describe, expect, it } from 'vitest';
import type { MetricStats } from './inputs.js';
import { checkMinimumSample, experimentVerdict } from './verdict.js';

const proportion = (n: number, s: number): MetricStats => ({ kind: 'proportion', n, s });

describe('checkMinimumSample', () => {
  it('says not enough until every variant has 100 exposed units', () => {
    expect(checkMinimumSample([proportion(150, 20), proportion(99, 20)])).toEqual({
      enough: false,
      variant: 1,
      shortfall: 'exposed_units',
    });
    expect(checkMinimumSample([proportion(100, 20), proportion(100, 20)])).toEqual({
      enough: true,
    });
  });

  it('needs 5 successes and 5 failures for conversion metrics', () => {
    expect(checkMinimumSample([proportion(500, 4), proportion(500, 50)])).toMatchObject({
      variant: 0,
      shortfall: 'successes',
    });
    expect(checkMinimumSample([proportion(500, 50), proportion(500, 496)])).toMatchObject({
      variant: 1,
      shortfall: 'failures',
    });
  });

  it('takes a configurable minimum', () => {
    const mean: MetricStats = { kind: 'mean', n: 120, sum: 100, sumSq: 300 };
    expect(checkMinimumSample([mean, mean], { minExposedUnits: 150 }).enough).toBe(false);
  });
});

describe('experimentVerdict', () => {
  it('reports not enough data before computing anything', () => {
    expect(experimentVerdict(proportion(80, 10), proportion(5000, 600))).toEqual({
      status: 'not_enough_data',
      variant: 'control',
      shortfall: 'exposed_units',
    });
  });

  it('calls a clear Bayesian winner won, a clear loser lost, and a tie inconclusive', () => {
    expect(experimentVerdict(proportion(5000, 500), proportion(5000, 600)).status).toBe('won');
    expect(experimentVerdict(proportion(5000, 600), proportion(5000, 500)).status).toBe('lost');
    expect(experimentVerdict(proportion(5000, 500), proportion(5000, 505)).status).toBe(
      'inconclusive',
    );
  });

  it('flips the direction for lower-is-better metrics', () => {
    const verdict = experimentVerdict(proportion(5000, 600), proportion(5000, 500), {
      lowerIsBetter: true,
    });
    expect(verdict.status).toBe('won');
  });

  it('uses the pooled z-test for absolute conversion effects and Welch otherwise', () => {
    const z = experimentVerdict(proportion(5000, 500), proportion(5000, 600), {
      engine: 'frequentist',
      scale: 'absolute',
    });
    expect(z.status).toBe('won');
    if (z.status === 'won' && z.result.engine === 'frequentist') {
      expect('df' in z.result.frequentist).toBe(false);
    }
    const control: MetricStats = { kind: 'mean', n: 400, sum: 4000, sumSq: 4000 * 10 + 400 * 9 };
    const treatment: MetricStats = { kind: 'mean', n: 400, sum: 3800, sumSq: 3800 * 9.5 + 400 * 9 };
    const welch = experimentVerdict(control, treatment, { engine: 'frequentist' });
    expect(welch.status).toBe('lost');
    if (welch.status === 'lost' && welch.result.engine === 'frequentist') {
      expect('df' in welch.result.frequentist).toBe(true);
    }
  });

  it('returns a neutral result when the lift is undefined', () => {
    const zero: MetricStats = { kind: 'mean', n: 200, sum: 0, sumSq: 50 };
    const some: MetricStats = { kind: 'mean', n: 200, sum: 10, sumSq: 60 };
    expect(experimentVerdict(zero, some)).toEqual({
      status: 'undefined_effect',
      reason: 'zero_control_mean',
    });
  });
});
