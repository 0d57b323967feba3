import { experimentStats as s } from '@tally/query';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CHI_SQUARE,
  LOG_GAMMA,
  NORMAL_CDF,
  NORMAL_QUANTILE,
  STUDENT_T_CDF,
  STUDENT_T_QUANTILE,
} from './reference-fixtures.js';
import { expectNear, reportMaxErrors } from './tolerance.js';

afterAll(reportMaxErrors);

describe('normal distribution against mpmath', () => {
  it.each(NORMAL_CDF)('cdf, sf and pdf at x = $x', ({ x, cdf, sf, pdf }) => {
    expectNear('normal cdf/sf/pdf', s.normalCdf(x), cdf);
    expectNear('normal cdf/sf/pdf', s.normalSf(x), sf);
    expectNear('normal cdf/sf/pdf', s.normalPdf(x), pdf);
  });
  it.each(NORMAL_QUANTILE)('quantile at p = $p', ({ p, quantile }) => {
    expectNear('normal quantile', s.normalQuantile(p), quantile);
  });
  it('maps 0 and 1 to infinities and outside [0, 1] to NaN', () => {
    expect(s.normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(s.normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(s.normalQuantile(1.5)).toBeNaN();
    expect(s.normalQuantile(Number.MIN_VALUE)).toBeCloseTo(-38.4674056, 6);
  });
});

describe('Student t against mpmath and scipy', () => {
  it.each(STUDENT_T_CDF)('cdf and sf at t = $t, df = $df', ({ t, df, cdf, sf }) => {
    expectNear('t cdf/sf', s.studentTCdf(t, df), cdf);
    expectNear('t cdf/sf', s.studentTSf(t, df), sf);
  });
  it.each(STUDENT_T_QUANTILE)('quantile at p = $p, df = $df', ({ p, df, quantile }) => {
    expectNear('t quantile', s.studentTQuantile(p, df), quantile);
  });
  it('tends to the normal as df grows', () => {
    expectNear(
      't quantile',
      s.studentTQuantile(0.975, Number.POSITIVE_INFINITY),
      1.959963984540054,
    );
    expect(Math.abs(s.studentTCdf(1.3, 1e7) - s.normalCdf(1.3))).toBeLessThan(1e-7);
  });
});

describe('chi-square and log-gamma against mpmath', () => {
  it.each(CHI_SQUARE)('cdf and sf at x = $x, k = $k', ({ x, k, cdf, sf }) => {
    expectNear('chi-square cdf/sf', s.chiSquareCdf(x, k), cdf);
    expectNear('chi-square cdf/sf', s.chiSquareSf(x, k), sf);
  });
  it.each(LOG_GAMMA)('logGamma($x)', ({ x, logGamma }) => {
    expectNear('log-gamma', s.logGamma(x), logGamma, 'mixed');
  });
});

describe('distribution properties', () => {
  const xs = Array.from({ length: 161 }, (_, i) => -8 + i * 0.1);
  const dfs = [1, 2.5, 5, 17.3, 30, 1000];

  it('normal cdf is symmetric, increasing, and inverted by the quantile', () => {
    let previous = 0;
    for (const x of xs) {
      const p = s.normalCdf(x);
      expect(p).toBeGreaterThanOrEqual(previous);
      previous = p;
      expect(Math.abs(s.normalCdf(-x) - (1 - p))).toBeLessThan(1e-15);
      if (x < 0) expect(Math.abs(s.normalQuantile(p) - x)).toBeLessThan(1e-12 * Math.max(1, -x));
    }
  });

  it('t cdf is symmetric, increasing, and inverted by the quantile for each df', () => {
    for (const df of dfs) {
      let previous = 0;
      for (const x of xs) {
        const p = s.studentTCdf(x, df);
        expect(p).toBeGreaterThanOrEqual(previous);
        previous = p;
        expect(Math.abs(s.studentTCdf(-x, df) - (1 - p))).toBeLessThan(1e-14);
        if (x < -0.05) {
          const back = s.studentTQuantile(p, df);
          expect(Math.abs(back - x), `df ${df}, x ${x}`).toBeLessThan(1e-9 * Math.max(1, -x));
        }
      }
    }
  });

  it('chi-square cdf + sf = 1 and the cdf increases', () => {
    for (const k of [1, 2, 5, 9.5]) {
      let previous = 0;
      for (let x = 0.05; x < 60; x += 0.5) {
        const cdf = s.chiSquareCdf(x, k);
        expect(cdf).toBeGreaterThanOrEqual(previous);
        previous = cdf;
        expect(Math.abs(cdf + s.chiSquareSf(x, k) - 1)).toBeLessThan(1e-14);
      }
    }
  });
});
