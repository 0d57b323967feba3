import { DEFAULT_ALPHA } from './frequentist.js';
import {
  invalid,
  requireCount,
  requireFinite,
  requireOpenUnit,
  requirePositive,
} from './inputs.js';
import { normalCdf, normalQuantile } from './normal.js';

// Planning: sample size, minimum detectable effect and power of a two-sided test (§3.5).

export const DEFAULT_POWER = 0.8;

export interface PowerOptions {
  /** Two-sided significance level. */
  readonly alpha?: number;
  /** 1 − β. */
  readonly power?: number;
}

function zSum(options: PowerOptions): number {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const power = options.power ?? DEFAULT_POWER;
  requireOpenUnit(alpha, 'options.alpha');
  requireOpenUnit(power, 'options.power');
  return normalQuantile(1 - alpha / 2) + normalQuantile(power);
}

/**
 * Units per variant to detect an absolute difference `mde` in a metric with per-unit variance σ²:
 * n = ⌈2(z_{1−α/2} + z_{1−β})²σ²/δ²⌉ (§3.5).
 * @example sampleSizeForMean({ variance: 4, mde: 0.1 }) // 6279
 */
export function sampleSizeForMean(input: { variance: number; mde: number } & PowerOptions): number {
  requirePositive(input.variance, 'variance');
  requireFinite(input.mde, 'mde');
  if (input.mde === 0) throw invalid('mde', 'expected a non-zero effect');
  const z = zSum(input);
  return Math.ceil((2 * z * z * input.variance) / (input.mde * input.mde));
}

/**
 * Units per variant for a conversion rate: σ² = p(1 − p) at the baseline rate, `mde` absolute.
 * @example sampleSizeForProportion({ baselineRate: 0.1, mde: 0.02 }) // 3532
 */
export function sampleSizeForProportion(
  input: { baselineRate: number; mde: number } & PowerOptions,
): number {
  requireOpenUnit(input.baselineRate, 'baselineRate');
  const p = input.baselineRate;
  const { baselineRate: _, ...rest } = input;
  return sampleSizeForMean({ ...rest, variance: p * (1 - p) });
}

/**
 * Absolute MDE with n units per variant: SE·(z_{1−α/2} − z_{1−π}), SE = sqrt(2σ²/n) (§3.5).
 * @example minimumDetectableEffect({ variance: 0.09, sampleSizePerVariant: 5000 }) // 0.0168...
 */
export function minimumDetectableEffect(
  input: { variance: number; sampleSizePerVariant: number } & PowerOptions,
): number {
  requirePositive(input.variance, 'variance');
  requireCount(input.sampleSizePerVariant, 'sampleSizePerVariant', 1);
  const standardError = Math.sqrt((2 * input.variance) / input.sampleSizePerVariant);
  return standardError * zSum(input);
}

/**
 * Relative MDE (lift) with n units per variant, where the lift's SE depends on the lift itself:
 * the positive root of (μ_B − μ_A)² = k²μ_A²(σ²/(Nμ_A²) + σ²μ_B²/(Nμ_A⁴)), k = z_{1−α/2} − z_{1−π}
 * (§3.5). With L = μ_B/μ_A − 1 and c = k²σ²/(Nμ_A²): (1 − c)L² − 2cL − 2c = 0. Infinity when
 * c ≥ 1 (no lift is detectable with that sample).
 * @example minimumDetectableLift({ mean: 0.1, variance: 0.09, sampleSizePerVariant: 5000 }) // 0.1...
 */
export function minimumDetectableLift(
  input: { mean: number; variance: number; sampleSizePerVariant: number } & PowerOptions,
): number {
  requireFinite(input.mean, 'mean');
  if (input.mean === 0) throw invalid('mean', 'expected a non-zero baseline mean');
  requirePositive(input.variance, 'variance');
  requireCount(input.sampleSizePerVariant, 'sampleSizePerVariant', 1);
  const k = zSum(input);
  const c = (k * k * input.variance) / (input.sampleSizePerVariant * input.mean * input.mean);
  if (c >= 1) return Number.POSITIVE_INFINITY;
  return (c + Math.sqrt(2 * c - c * c)) / (1 - c);
}

/**
 * Power of a two-sided test: 1 − Φ(z_{1−α/2} − Δ/SE) + Φ(z_{α/2} − Δ/SE) (§3.5).
 * @example powerOfTest({ effect: 0.02, standardError: 0.007 }) // 0.81...
 */
export function powerOfTest(input: {
  effect: number;
  standardError: number;
  alpha?: number;
}): number {
  requireFinite(input.effect, 'effect');
  requirePositive(input.standardError, 'standardError');
  const alpha = input.alpha ?? DEFAULT_ALPHA;
  requireOpenUnit(alpha, 'alpha');
  const z = normalQuantile(1 - alpha / 2);
  const shift = input.effect / input.standardError;
  return normalCdf(shift - z) + normalCdf(-z - shift);
}

/**
 * Days until every variant reaches its sample size: ⌈n·variants / entrants per day⌉, entrants
 * being the units entering the experiment (all arms) per day.
 * @example daysNeeded({ sampleSizePerVariant: 3532, variantCount: 2, entrantsPerDay: 400 }) // 18
 */
export function daysNeeded(input: {
  sampleSizePerVariant: number;
  variantCount: number;
  entrantsPerDay: number;
}): number {
  requireCount(input.sampleSizePerVariant, 'sampleSizePerVariant', 1);
  requireCount(input.variantCount, 'variantCount', 2);
  requirePositive(input.entrantsPerDay, 'entrantsPerDay');
  return Math.ceil((input.sampleSizePerVariant * input.variantCount) / input.entrantsPerDay);
}
