import {
  type CovariateStats,
  invalid,
  type MeanStats,
  meanMoments,
  requireFinite,
  type VariantMoments,
} from './inputs.js';

// CUPED (Deng et al. 2013; §3.3): regress the metric Y on its pre-period value X with one θ
// pooled over all arms, then feed the adjusted moments into either engine unchanged.

export interface CupedArm {
  readonly metric: MeanStats;
  readonly covariate: CovariateStats;
}

export interface CupedArmResult extends VariantMoments {
  /** 1 − σ²_adj/σ²_Y (≈ ρ²_XY); 0 when Y has no variance. */
  readonly varianceReduction: number;
}

export interface CupedResult {
  readonly theta: number;
  readonly arms: readonly CupedArmResult[];
}

/** Floor for an adjusted variance, relative to σ²_Y: a perfect covariate must not give SE = 0. */
const VARIANCE_FLOOR = 1e-12;

/**
 * θ = Cov(Y, X)/Var(X) over the pooled units of all arms; per arm the adjusted mean
 * Ȳ − θ(X̄ − X̄_pooled) and variance σ²_Y + θ²σ²_X − 2θσ_XY. Centring X at its pooled mean (Deng
 * et al.'s E[X]) leaves every difference Ȳ_T − Ȳ_C − θ(X̄_T − X̄_C) as in §3.3 and keeps the
 * means on the metric's scale, so the lift stays meaningful. θ = 0 when X does not vary.
 * @example
 * const { arms } = cupedAdjust([controlArm, treatmentArm]);
 * estimateEffect(arms[0], arms[1]);
 */
export function cupedAdjust(arms: readonly CupedArm[]): CupedResult {
  if (arms.length < 1) throw invalid('arms', 'expected at least one arm');
  let n = 0;
  let sumY = 0;
  let sumX = 0;
  let sumX2 = 0;
  let sumXY = 0;
  const moments = arms.map((arm, i) => {
    const y = meanMoments(arm.metric, `arms[${i}].metric`);
    for (const key of ['sumX', 'sumX2', 'sumXY'] as const) {
      requireFinite(arm.covariate[key], `arms[${i}].covariate.${key}`);
    }
    if (arm.covariate.sumX2 < 0) {
      throw invalid(`arms[${i}].covariate.sumX2`, 'expected a sum of squares >= 0');
    }
    n += y.n;
    sumY += arm.metric.sum;
    sumX += arm.covariate.sumX;
    sumX2 += arm.covariate.sumX2;
    sumXY += arm.covariate.sumXY;
    return y;
  });
  const pooledVarX = (sumX2 - (sumX * sumX) / n) / (n - 1);
  const pooledCov = (sumXY - (sumX * sumY) / n) / (n - 1);
  const theta = pooledVarX > 0 ? pooledCov / pooledVarX : 0;
  const pooledMeanX = sumX / n;
  return {
    theta,
    arms: arms.map((arm, i) => {
      const y = moments[i] as VariantMoments;
      const { sumX: sx, sumX2: sx2, sumXY: sxy } = arm.covariate;
      const varX = Math.max(0, (sx2 - (sx * sx) / y.n) / (y.n - 1));
      const covXY = (sxy - (sx * arm.metric.sum) / y.n) / (y.n - 1);
      const adjusted = y.variance + theta * theta * varX - 2 * theta * covXY;
      const variance = Math.max(adjusted, VARIANCE_FLOOR * y.variance, Number.MIN_VALUE);
      return {
        n: y.n,
        mean: y.mean - theta * (sx / y.n - pooledMeanX),
        variance,
        varianceReduction: y.variance > 0 ? 1 - variance / y.variance : 0,
      };
    }),
  };
}
