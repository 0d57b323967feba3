import {
  type FrequentistOptions,
  type Interval,
  parseFrequentistOptions,
  testSummary,
} from './frequentist.js';
import { type ProportionStats, proportionMoments, requireOpenUnit } from './inputs.js';
import { normalCdf, normalQuantile, normalSf } from './normal.js';

// The frequentist engine for conversion metrics: the pooled two-proportion z-test and per-variant
// Wald/Wilson intervals (§3.2).

export interface ProportionInterval extends Interval {
  /** Wald when n ≥ 30 with ≥ 5 successes and ≥ 5 failures, else Wilson (§3.2). */
  readonly method: 'wald' | 'wilson';
}

export interface TwoProportionResult {
  /** p̂_T − p̂_C. */
  readonly estimate: number;
  /** Pooled SE under H0, the one the statistic uses. */
  readonly standardError: number;
  readonly statistic: number;
  readonly pValue: number;
  /** Interval on the difference with the unpooled (Wald) SE. */
  readonly interval: Interval;
  readonly control: ProportionInterval;
  readonly treatment: ProportionInterval;
}

const WALD_MIN_N = 30;
const WALD_MIN_OUTCOMES = 5;

/**
 * Two-sided interval for one variant's conversion rate at confidence 1 − alpha.
 * @example proportionInterval({ n: 20, s: 3 }) // { method: 'wilson', lower: ..., upper: ... }
 */
export function proportionInterval(
  stats: ProportionStats,
  alpha = 0.05,
  path = 'stats',
): ProportionInterval {
  requireOpenUnit(alpha, 'alpha');
  const { n, mean: p } = proportionMoments(stats, path);
  const z = normalQuantile(1 - alpha / 2);
  const failures = n - stats.s;
  if (n >= WALD_MIN_N && stats.s >= WALD_MIN_OUTCOMES && failures >= WALD_MIN_OUTCOMES) {
    const half = z * Math.sqrt((p * (1 - p)) / n);
    return { method: 'wald', lower: p - half, upper: p + half };
  }
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { method: 'wilson', lower: centre - half, upper: centre + half };
}

/**
 * Pooled two-proportion z-test: p̂ = (s_C + s_T)/(n_C + n_T),
 * z = (p̂_T − p̂_C − Δ₀)/sqrt(p̂(1 − p̂)(1/n_C + 1/n_T)). When no unit (or every unit) converted the
 * arms cannot differ: z = 0 and p = 1 rather than 0/0.
 * @example twoProportionZTest({ n: 1000, s: 100 }, { n: 1000, s: 130 }).pValue // 0.0324...
 */
export function twoProportionZTest(
  control: ProportionStats,
  treatment: ProportionStats,
  options: FrequentistOptions = {},
): TwoProportionResult {
  const parsed = parseFrequentistOptions(options);
  const c = proportionMoments(control, 'control');
  const t = proportionMoments(treatment, 'treatment');
  const pooled = (control.s + treatment.s) / (c.n + t.n);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / c.n + 1 / t.n));
  const estimate = t.mean - c.mean;
  const statistic = standardError > 0 ? (estimate - parsed.nullValue) / standardError : 0;
  const unpooledSe = Math.sqrt(c.variance / c.n + t.variance / t.n);
  const summary = testSummary(estimate, unpooledSe, statistic, parsed, {
    cdf: normalCdf,
    sf: normalSf,
    quantile: normalQuantile,
  });
  return {
    estimate,
    standardError,
    statistic,
    pValue: standardError > 0 ? summary.pValue : 1,
    interval: summary.interval,
    control: proportionInterval(control, parsed.alpha, 'control'),
    treatment: proportionInterval(treatment, parsed.alpha, 'treatment'),
  };
}
