import { QueryError } from '../../errors.js';

// Stage 1 of experiment statistics: per-variant sufficient statistics (§3.1) -> validated
// per-unit mean and variance (§3.3). Bad input throws `invalid_query` naming the field
// (`treatment.sumSq`), never a NaN that travels on into a p-value.

/** A conversion metric: `n` exposed units, `s` of them converted. */
export interface ProportionStats {
  readonly n: number;
  readonly s: number;
}

/** A mean metric: `n` units with value sum `sum` and sum of squares `sumSq`. */
export interface MeanStats {
  readonly n: number;
  readonly sum: number;
  readonly sumSq: number;
}

/** A ratio metric ΣM/ΣD (numerator M and denominator D per unit) with its cross moments. */
export interface RatioStats {
  readonly n: number;
  readonly sumM: number;
  readonly sumD: number;
  readonly sumM2: number;
  readonly sumD2: number;
  readonly sumMD: number;
}

/** The pre-period covariate X for CUPED, over the same `n` units as the metric Y. */
export interface CovariateStats {
  readonly sumX: number;
  readonly sumX2: number;
  readonly sumXY: number;
}

export type MetricStats =
  | ({ readonly kind: 'proportion' } & ProportionStats)
  | ({ readonly kind: 'mean' } & MeanStats)
  | ({ readonly kind: 'ratio' } & RatioStats);

/** Per-unit mean and variance of one variant: what both engines consume. */
export interface VariantMoments {
  readonly n: number;
  readonly mean: number;
  /** Variance of one unit's value (σ²), not of the mean. */
  readonly variance: number;
}

export function invalid(path: string, detail: string): QueryError {
  return new QueryError('invalid_query', path, detail);
}

export function requireFinite(value: number, path: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(path, 'expected a finite number');
  }
}

export function requireCount(value: number, path: string, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw invalid(path, `expected an integer count >= ${min}`);
  }
}

/** A probability-like option strictly between 0 and 1 (alpha, power, confidence). */
export function requireOpenUnit(value: number, path: string): void {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    throw invalid(path, 'expected a number strictly between 0 and 1');
  }
}

export function requirePositive(value: number, path: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) {
    throw invalid(path, 'expected a finite number > 0');
  }
}

// (Σx² − (Σx)²/n)/(n − 1), clamped at 0 against rounding when every value is equal.
function sampleVariance(n: number, sum: number, sumSq: number): number {
  return Math.max(0, (sumSq - (sum * sum) / n) / (n - 1));
}

function sampleCovariance(n: number, sumA: number, sumB: number, sumAB: number): number {
  return (sumAB - (sumA * sumB) / n) / (n - 1);
}

/** μ = s/n, σ² = μ(1 − μ) (§3.3). Needs n ≥ 1 and 0 ≤ s ≤ n. */
export function proportionMoments(stats: ProportionStats, path = 'stats'): VariantMoments {
  requireCount(stats.n, `${path}.n`, 1);
  requireCount(stats.s, `${path}.s`, 0);
  if (stats.s > stats.n) throw invalid(`${path}.s`, 'expected at most n conversions');
  const mean = stats.s / stats.n;
  return { n: stats.n, mean, variance: mean * (1 - mean) };
}

/** μ = Σx/n, σ² = (Σx² − (Σx)²/n)/(n − 1) (§3.3). Needs n ≥ 2. */
export function meanMoments(stats: MeanStats, path = 'stats'): VariantMoments {
  requireCount(stats.n, `${path}.n`, 2);
  requireFinite(stats.sum, `${path}.sum`);
  requireFinite(stats.sumSq, `${path}.sumSq`);
  if (stats.sumSq < 0) throw invalid(`${path}.sumSq`, 'expected a sum of squares >= 0');
  return {
    n: stats.n,
    mean: stats.sum / stats.n,
    variance: sampleVariance(stats.n, stats.sum, stats.sumSq),
  };
}

/**
 * R = ΣM/ΣD with the delta-method variance
 * σ²_R = (σ²_M − 2(μ_M/μ_D)σ_MD + (μ_M/μ_D)²σ²_D)/μ_D² (§3.3). Needs n ≥ 2 and ΣD ≠ 0.
 */
export function ratioMoments(stats: RatioStats, path = 'stats'): VariantMoments {
  requireCount(stats.n, `${path}.n`, 2);
  for (const key of ['sumM', 'sumD', 'sumM2', 'sumD2', 'sumMD'] as const) {
    requireFinite(stats[key], `${path}.${key}`);
  }
  if (stats.sumM2 < 0) throw invalid(`${path}.sumM2`, 'expected a sum of squares >= 0');
  if (stats.sumD2 < 0) throw invalid(`${path}.sumD2`, 'expected a sum of squares >= 0');
  if (stats.sumD === 0) throw invalid(`${path}.sumD`, 'expected a non-zero denominator sum');
  const { n } = stats;
  const meanM = stats.sumM / n;
  const meanD = stats.sumD / n;
  const ratio = meanM / meanD;
  const varM = sampleVariance(n, stats.sumM, stats.sumM2);
  const varD = sampleVariance(n, stats.sumD, stats.sumD2);
  const covMD = sampleCovariance(n, stats.sumM, stats.sumD, stats.sumMD);
  const variance = (varM - 2 * ratio * covMD + ratio * ratio * varD) / (meanD * meanD);
  return { n, mean: ratio, variance: Math.max(0, variance) };
}

/** Moments of any metric kind. */
export function variantMoments(stats: MetricStats, path = 'stats'): VariantMoments {
  switch (stats.kind) {
    case 'proportion':
      return proportionMoments(stats, path);
    case 'mean':
      return meanMoments(stats, path);
    case 'ratio':
      return ratioMoments(stats, path);
  }
}
