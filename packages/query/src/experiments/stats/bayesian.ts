import type { Effect } from './effect.js';
import { DEFAULT_ALPHA, type Interval } from './frequentist.js';
import { invalid, requireFinite, requireOpenUnit, requirePositive } from './inputs.js';
import { normalCdf, normalPdf, normalQuantile } from './normal.js';

// The Bayesian engine: a Gaussian model of the effect with a flat or normal prior (§3.3).

export interface GaussianPrior {
  readonly mean: number;
  readonly variance: number;
}

/** GrowthBook's optional proper prior on the lift, N(0, 0.3²); rescale by |μ_C| for Δ. */
export const DEFAULT_RELATIVE_PRIOR: GaussianPrior = Object.freeze({ mean: 0, variance: 0.09 });

export interface BayesianOptions {
  /** The credible interval has probability 1 − alpha. */
  readonly alpha?: number;
  /** Omitted: the improper flat prior (posterior = likelihood). */
  readonly prior?: GaussianPrior;
  /** For metrics where a decrease is the win (e.g. time to resolution). */
  readonly lowerIsBetter?: boolean;
}

export interface BayesianResult {
  readonly posteriorMean: number;
  readonly posteriorSd: number;
  /** P(Δ > 0), or P(Δ < 0) when lower is better. */
  readonly chanceToWin: number;
  readonly interval: Interval;
  /** Expected loss of keeping control / shipping treatment, in units of the effect. */
  readonly risk: { readonly control: number; readonly treatment: number };
}

// Beyond |μ/σ| = 37 the Mills ratio underflows; the truncated means are at their limits.
const RISK_Z_LIMIT = 37;

/**
 * P(Δ > 0)·E[Δ | Δ > 0] with the truncated-normal mean μ + σφ(z)/Φ(z), z = μ/σ; the limit
 * max(μ, 0) beyond |z| > 37 (GrowthBook's underflow guard).
 */
export function expectedPositivePart(mu: number, sigma: number): number {
  const z = mu / sigma;
  if (Math.abs(z) > RISK_Z_LIMIT) return Math.max(mu, 0);
  const probability = normalCdf(z);
  return probability * (mu + (sigma * normalPdf(z)) / probability);
}

/**
 * Posterior N(μ_post, σ²_post) of the effect: precision 1/σ₀² + 1/SE², mean
 * (μ₀/σ₀² + Δ/SE²)·σ²_post; chance to win, credible interval and risk from it.
 * @example
 * const effect = estimateEffect(proportionMoments(c), proportionMoments(t), 'relative');
 * if (effect.defined) bayesianTest(effect).chanceToWin; // 0.98...
 */
export function bayesianTest(effect: Effect, options: BayesianOptions = {}): BayesianResult {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  requireOpenUnit(alpha, 'options.alpha');
  requireFinite(effect.estimate, 'effect.estimate');
  requirePositive(effect.variance, 'effect.variance');
  let posteriorVariance = effect.variance;
  let posteriorMean = effect.estimate;
  if (options.prior !== undefined) {
    requireFinite(options.prior.mean, 'options.prior.mean');
    requirePositive(options.prior.variance, 'options.prior.variance');
    const precision = 1 / options.prior.variance + 1 / effect.variance;
    posteriorVariance = 1 / precision;
    posteriorMean =
      (options.prior.mean / options.prior.variance + effect.estimate / effect.variance) *
      posteriorVariance;
  }
  if (options.lowerIsBetter !== undefined && typeof options.lowerIsBetter !== 'boolean') {
    throw invalid('options.lowerIsBetter', 'expected a boolean');
  }
  const sd = Math.sqrt(posteriorVariance);
  const z = normalQuantile(1 - alpha / 2);
  const gain = expectedPositivePart(posteriorMean, sd);
  const loss = expectedPositivePart(-posteriorMean, sd);
  const lowerIsBetter = options.lowerIsBetter === true;
  return {
    posteriorMean,
    posteriorSd: sd,
    // 1 − Φ(−μ/σ) = Φ(μ/σ), computed without the subtraction.
    chanceToWin: normalCdf((lowerIsBetter ? -posteriorMean : posteriorMean) / sd),
    interval: { lower: posteriorMean - z * sd, upper: posteriorMean + z * sd },
    risk: lowerIsBetter ? { control: loss, treatment: gain } : { control: gain, treatment: loss },
  };
}
