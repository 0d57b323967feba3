import { isQueryError } from '../errors.js';
import type { BayesianResult } from './stats/bayesian.js';
import { bayesianTest } from './stats/bayesian.js';
import { cupedAdjust } from './stats/cuped.js';
import { type Effect, estimateEffect } from './stats/effect.js';
import { type WelchResult, welchTest } from './stats/frequentist.js';
import {
  type CovariateStats,
  type MeanStats,
  type MetricStats,
  type VariantMoments,
  variantMoments,
} from './stats/inputs.js';
import {
  checkMinimumSample,
  DEFAULT_LOSE_THRESHOLD,
  DEFAULT_WIN_THRESHOLD,
  type SampleShortfall,
} from './stats/verdict.js';

// Stage 4 of experiment results: each treatment against the control on the relative lift,
// (optionally CUPED-adjusted moments) -> Welch and Bayesian summaries -> the verdict of the
// chosen engine, with the §3.3 thresholds (CTW ≥ 0.95 won, ≤ 0.05 lost; p < alpha).

export interface CompareOptions {
  readonly engine: 'bayesian' | 'frequentist';
  readonly alpha: number;
  readonly lowerIsBetter: boolean;
  readonly minExposedUnits: number;
}

export type ComparisonVerdict =
  | { readonly status: 'won' | 'lost' | 'inconclusive' }
  | {
      readonly status: 'not_enough_data';
      readonly variant: 'control' | 'treatment';
      readonly shortfall: SampleShortfall;
    }
  | { readonly status: 'undefined_effect'; readonly reason: string };

export interface Comparison {
  readonly variant: string;
  /** The relative lift (μ_T − μ_C)/μ_C and its variance; null when it cannot be computed. */
  readonly effect: { readonly estimate: number; readonly variance: number } | null;
  readonly frequentist: WelchResult | null;
  readonly bayesian: BayesianResult | null;
  readonly verdict: ComparisonVerdict;
}

export interface ArmStats {
  readonly key: string;
  readonly stats: MetricStats;
  readonly covariate?: CovariateStats;
}

/** The value of `compute`, or the reason (our QueryError message) it could not be computed. */
function attempt<T>(compute: () => T): { value: T } | { reason: string } {
  try {
    return { value: compute() };
  } catch (error) {
    if (isQueryError(error)) return { reason: error.message };
    throw error;
  }
}

/** Per-arm moments: CUPED-adjusted (θ pooled over every arm) when covariates are given. */
function armMoments(arms: readonly ArmStats[]): Array<VariantMoments | string> {
  if (arms.every((arm) => arm.covariate !== undefined && arm.stats.kind === 'mean')) {
    const adjusted = attempt(() =>
      cupedAdjust(
        arms.map((arm) => ({
          metric: arm.stats as MeanStats,
          covariate: arm.covariate as CovariateStats,
        })),
      ),
    );
    if ('value' in adjusted) return [...adjusted.value.arms];
    return arms.map(() => adjusted.reason);
  }
  return arms.map((arm) => {
    const moments = attempt(() => variantMoments(arm.stats, arm.key));
    return 'value' in moments ? moments.value : moments.reason;
  });
}

/** Every arm but the control against the control. */
export function compareArms(
  arms: readonly ArmStats[],
  controlIndex: number,
  options: CompareOptions,
): Comparison[] {
  const moments = armMoments(arms);
  const control = arms[controlIndex];
  const controlMoments = moments[controlIndex];
  if (control === undefined || controlMoments === undefined) return [];
  return arms.flatMap((arm, i) => {
    if (i === controlIndex) return [];
    const treatment = moments[i] as VariantMoments | string;
    const sample = checkMinimumSample([control.stats, arm.stats], {
      minExposedUnits: options.minExposedUnits,
    });
    let effect: Effect | null = null;
    let reason =
      typeof controlMoments === 'string'
        ? controlMoments
        : typeof treatment === 'string'
          ? treatment
          : '';
    if (typeof controlMoments !== 'string' && typeof treatment !== 'string') {
      const estimated = attempt(() => estimateEffect(controlMoments, treatment, 'relative'));
      if ('value' in estimated && estimated.value.defined) effect = estimated.value;
      else reason = 'reason' in estimated ? estimated.reason : 'the control mean is 0';
    }
    const frequentist =
      effect === null ? null : orNull(() => welchTest(effect, { alpha: options.alpha }));
    const bayesian =
      effect === null
        ? null
        : orNull(() =>
            bayesianTest(effect, { alpha: options.alpha, lowerIsBetter: options.lowerIsBetter }),
          );
    return [
      {
        variant: arm.key,
        effect: effect === null ? null : { estimate: effect.estimate, variance: effect.variance },
        frequentist,
        bayesian,
        verdict: verdictOf(sample, frequentist, bayesian, options, reason),
      },
    ];
  });
}

function orNull<T>(compute: () => T): T | null {
  const result = attempt(compute);
  return 'value' in result ? result.value : null;
}

function verdictOf(
  sample: ReturnType<typeof checkMinimumSample>,
  frequentist: WelchResult | null,
  bayesian: BayesianResult | null,
  options: CompareOptions,
  reason: string,
): ComparisonVerdict {
  if (!sample.enough)
    return {
      status: 'not_enough_data',
      variant: sample.variant === 0 ? 'control' : 'treatment',
      shortfall: sample.shortfall,
    };
  if (options.engine === 'bayesian') {
    if (bayesian === null) return { status: 'undefined_effect', reason };
    const ctw = bayesian.chanceToWin;
    return {
      status:
        ctw >= DEFAULT_WIN_THRESHOLD
          ? 'won'
          : ctw <= DEFAULT_LOSE_THRESHOLD
            ? 'lost'
            : 'inconclusive',
    };
  }
  if (frequentist === null) return { status: 'undefined_effect', reason };
  if (frequentist.pValue >= options.alpha) return { status: 'inconclusive' };
  const improved = options.lowerIsBetter ? frequentist.estimate < 0 : frequentist.estimate > 0;
  return { status: improved ? 'won' : 'lost' };
}
