import { chiSquareSf } from './chi-square.js';
import { invalid, requireCount, requireFinite } from './inputs.js';

// Sample ratio mismatch: do exposure counts match the configured split? (§3.4)

/** GrowthBook's threshold: below it, do not interpret the results; debug the assignment. */
export const DEFAULT_SRM_THRESHOLD = 0.001;

export interface SrmResult {
  readonly chiSquare: number;
  /** Arms with a positive weight, minus one. */
  readonly df: number;
  readonly pValue: number;
  readonly warn: boolean;
}

/**
 * χ² goodness of fit of exposure counts against weights: e_i = N·w_i/Σw over arms with w_i > 0
 * (weight-0 arms are skipped), p = P(χ²_{k−1} > χ²).
 * @example srmTest([5000, 5200], [0.5, 0.5]) // { chiSquare: 3.92..., df: 1, pValue: 0.047..., warn: false }
 */
export function srmTest(
  observed: readonly number[],
  weights: readonly number[],
  threshold = DEFAULT_SRM_THRESHOLD,
): SrmResult {
  if (observed.length !== weights.length) {
    throw invalid('weights', 'expected one weight per observed count');
  }
  const arms: Array<{ o: number; w: number }> = [];
  observed.forEach((o, i) => {
    requireCount(o, `observed[${i}]`, 0);
    const w = weights[i] ?? 0;
    requireFinite(w, `weights[${i}]`);
    if (w < 0) throw invalid(`weights[${i}]`, 'expected a weight >= 0');
    if (w > 0) arms.push({ o, w });
  });
  if (arms.length < 2) throw invalid('weights', 'expected at least two positive weights');
  const total = arms.reduce((acc, arm) => acc + arm.o, 0);
  if (total === 0) throw invalid('observed', 'expected at least one exposed unit');
  const weightSum = arms.reduce((acc, arm) => acc + arm.w, 0);
  let chiSquare = 0;
  for (const { o, w } of arms) {
    const expected = (total * w) / weightSum;
    chiSquare += ((o - expected) * (o - expected)) / expected;
  }
  const df = arms.length - 1;
  const pValue = chiSquareSf(chiSquare, df);
  return { chiSquare, df, pValue, warn: pValue < threshold };
}
