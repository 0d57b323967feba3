import { type BayesianResult, bayesianTest, type GaussianPrior } from './bayesian.js';
import { type Effect, type EffectScale, estimateEffect } from './effect.js';
import { DEFAULT_ALPHA, type WelchResult, welchTest } from './frequentist.js';
import {
  invalid,
  type MetricStats,
  requireCount,
  requireOpenUnit,
  variantMoments,
} from './inputs.js';
import { type TwoProportionResult, twoProportionZTest } from './proportions.js';

// The decision: enough data? (§3.5 floors) -> effect -> engine -> won / lost / inconclusive with
// the §3.3 defaults (CTW ≥ 0.95 won, ≤ 0.05 lost; p < alpha for the frequentist engine).

export const DEFAULT_MIN_EXPOSED_UNITS = 100;
export const DEFAULT_MIN_OUTCOMES = 5;
export const DEFAULT_WIN_THRESHOLD = 0.95;
export const DEFAULT_LOSE_THRESHOLD = 0.05;

export interface MinimumSampleOptions {
  /** Exposed units every variant needs (PostHog legacy: 100). */
  readonly minExposedUnits?: number;
  /** Successes and failures a conversion metric needs (normal approximation). */
  readonly minOutcomes?: number;
}

export interface VerdictOptions extends MinimumSampleOptions {
  readonly engine?: 'bayesian' | 'frequentist';
  readonly scale?: EffectScale;
  readonly alpha?: number;
  readonly lowerIsBetter?: boolean;
  readonly prior?: GaussianPrior;
  readonly winThreshold?: number;
  readonly loseThreshold?: number;
}

export type SampleShortfall = 'exposed_units' | 'successes' | 'failures';

export type SampleCheck =
  | { readonly enough: true }
  | { readonly enough: false; readonly variant: number; readonly shortfall: SampleShortfall };

export type Verdict =
  | {
      readonly status: 'not_enough_data';
      readonly variant: 'control' | 'treatment';
      readonly shortfall: SampleShortfall;
    }
  | { readonly status: 'undefined_effect'; readonly reason: 'zero_control_mean' }
  | {
      readonly status: 'won' | 'lost' | 'inconclusive';
      readonly effect: Effect;
      readonly result:
        | { readonly engine: 'bayesian'; readonly bayesian: BayesianResult }
        | {
            readonly engine: 'frequentist';
            readonly frequentist: WelchResult | TwoProportionResult;
          };
    };

/**
 * The first variant (by index) below the minimum sample, if any.
 * @example checkMinimumSample([{ kind: 'proportion', n: 80, s: 9 }]) // { enough: false, variant: 0, shortfall: 'exposed_units' }
 */
export function checkMinimumSample(
  variants: readonly MetricStats[],
  options: MinimumSampleOptions = {},
): SampleCheck {
  const minUnits = options.minExposedUnits ?? DEFAULT_MIN_EXPOSED_UNITS;
  const minOutcomes = options.minOutcomes ?? DEFAULT_MIN_OUTCOMES;
  requireCount(minUnits, 'options.minExposedUnits', 0);
  requireCount(minOutcomes, 'options.minOutcomes', 0);
  for (const [variant, stats] of variants.entries()) {
    if (stats.n < minUnits) return { enough: false, variant, shortfall: 'exposed_units' };
    if (stats.kind !== 'proportion') continue;
    if (stats.s < minOutcomes) return { enough: false, variant, shortfall: 'successes' };
    if (stats.n - stats.s < minOutcomes) return { enough: false, variant, shortfall: 'failures' };
  }
  return { enough: true };
}

/**
 * "Not enough data" until both arms pass the minimum sample, else the engine's verdict. The
 * frequentist engine uses the pooled z-test for absolute conversion effects and Welch otherwise.
 * @example
 * experimentVerdict({ kind: 'proportion', n: 5000, s: 500 }, { kind: 'proportion', n: 5000, s: 580 })
 * // { status: 'won', ... }
 */
export function experimentVerdict(
  control: MetricStats,
  treatment: MetricStats,
  options: VerdictOptions = {},
): Verdict {
  if (control.kind !== treatment.kind) throw invalid('treatment.kind', 'expected the control kind');
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const win = options.winThreshold ?? DEFAULT_WIN_THRESHOLD;
  const lose = options.loseThreshold ?? DEFAULT_LOSE_THRESHOLD;
  requireOpenUnit(win, 'options.winThreshold');
  requireOpenUnit(lose, 'options.loseThreshold');
  const check = checkMinimumSample([control, treatment], options);
  if (!check.enough) {
    const variant = check.variant === 0 ? 'control' : 'treatment';
    return { status: 'not_enough_data', variant, shortfall: check.shortfall };
  }
  const scale = options.scale ?? 'relative';
  const effect = estimateEffect(
    variantMoments(control, 'control'),
    variantMoments(treatment, 'treatment'),
    scale,
  );
  if (!effect.defined) return { status: 'undefined_effect', reason: effect.reason };
  const lowerIsBetter = options.lowerIsBetter === true;
  if ((options.engine ?? 'bayesian') === 'bayesian') {
    const bayesian = bayesianTest(effect, {
      alpha,
      lowerIsBetter,
      ...(options.prior === undefined ? {} : { prior: options.prior }),
    });
    const status =
      bayesian.chanceToWin >= win ? 'won' : bayesian.chanceToWin <= lose ? 'lost' : 'inconclusive';
    return { status, effect, result: { engine: 'bayesian', bayesian } };
  }
  const frequentist =
    control.kind === 'proportion' && treatment.kind === 'proportion' && scale === 'absolute'
      ? twoProportionZTest(control, treatment, { alpha })
      : welchTest(effect, { alpha });
  const improved = lowerIsBetter ? frequentist.estimate < 0 : frequentist.estimate > 0;
  const status = frequentist.pValue >= alpha ? 'inconclusive' : improved ? 'won' : 'lost';
  return { status, effect, result: { engine: 'frequentist', frequentist } };
}
