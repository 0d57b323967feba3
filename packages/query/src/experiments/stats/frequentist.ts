import { type Effect, welchDegreesOfFreedom } from './effect.js';
import { invalid, requireFinite, requireOpenUnit } from './inputs.js';
import { studentTCdf, studentTQuantile, studentTSf } from './student-t.js';

// The frequentist engine for mean and ratio metrics: Welch's t-test on the effect (§3.3).

/** `greater`: H1 is effect > nullValue; `less`: effect < nullValue. */
export type Alternative = 'two-sided' | 'greater' | 'less';

export interface FrequentistOptions {
  /** Significance level; the interval has confidence 1 − alpha. */
  readonly alpha?: number;
  readonly alternative?: Alternative;
  /** Δ₀, the effect under the null hypothesis. */
  readonly nullValue?: number;
}

export const DEFAULT_ALPHA = 0.05;

export interface Interval {
  readonly lower: number;
  readonly upper: number;
}

export interface WelchResult {
  readonly estimate: number;
  readonly standardError: number;
  readonly statistic: number;
  readonly df: number;
  readonly pValue: number;
  /** Two-sided: Δ ± F⁻¹(1 − α/2)·SE; one-sided: open at the side H1 points to. */
  readonly interval: Interval;
}

export interface ParsedFrequentistOptions {
  readonly alpha: number;
  readonly alternative: Alternative;
  readonly nullValue: number;
}

export function parseFrequentistOptions(options: FrequentistOptions): ParsedFrequentistOptions {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  requireOpenUnit(alpha, 'options.alpha');
  const alternative = options.alternative ?? 'two-sided';
  if (!['two-sided', 'greater', 'less'].includes(alternative)) {
    throw invalid('options.alternative', "expected 'two-sided', 'greater' or 'less'");
  }
  const nullValue = options.nullValue ?? 0;
  requireFinite(nullValue, 'options.nullValue');
  return { alpha, alternative, nullValue };
}

/** p-value and interval for a statistic with cdf/sf/quantile of its null distribution. */
export function testSummary(
  estimate: number,
  standardError: number,
  statistic: number,
  options: ParsedFrequentistOptions,
  dist: { cdf(x: number): number; sf(x: number): number; quantile(p: number): number },
): { pValue: number; interval: Interval } {
  const { alpha, alternative } = options;
  if (alternative === 'greater') {
    const q = dist.quantile(1 - alpha);
    return {
      pValue: dist.sf(statistic),
      interval: { lower: estimate - q * standardError, upper: Number.POSITIVE_INFINITY },
    };
  }
  if (alternative === 'less') {
    const q = dist.quantile(1 - alpha);
    return {
      pValue: dist.cdf(statistic),
      interval: { lower: Number.NEGATIVE_INFINITY, upper: estimate + q * standardError },
    };
  }
  const q = dist.quantile(1 - alpha / 2);
  return {
    pValue: Math.min(1, 2 * dist.sf(Math.abs(statistic))),
    interval: { lower: estimate - q * standardError, upper: estimate + q * standardError },
  };
}

/**
 * Welch's t-test on an absolute or relative effect: t = (Δ − Δ₀)/SE with Welch–Satterthwaite df
 * from the arms (§3.3). Throws `invalid_query` when both arms have zero variance.
 * @example
 * const effect = estimateEffect(meanMoments(c), meanMoments(t));
 * if (effect.defined) welchTest(effect, { alpha: 0.05 }).pValue;
 */
export function welchTest(effect: Effect, options: FrequentistOptions = {}): WelchResult {
  const parsed = parseFrequentistOptions(options);
  const df = welchDegreesOfFreedom(effect.control, effect.treatment);
  const standardError = Math.sqrt(effect.variance);
  if (!(standardError > 0)) throw invalid('effect.variance', 'expected a positive variance');
  const statistic = (effect.estimate - parsed.nullValue) / standardError;
  const summary = testSummary(effect.estimate, standardError, statistic, parsed, {
    cdf: (x) => studentTCdf(x, df),
    sf: (x) => studentTSf(x, df),
    quantile: (p) => studentTQuantile(p, df),
  });
  return { estimate: effect.estimate, standardError, statistic, df, ...summary };
}
