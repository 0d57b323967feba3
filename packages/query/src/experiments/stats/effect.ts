import { invalid, requireCount, requireFinite, type VariantMoments } from './inputs.js';

// Stage 2: the effect of treatment T over control C and its variance (§3.3); both engines
// summarise the same two numbers.

export type EffectScale = 'absolute' | 'relative';

export interface Effect {
  readonly defined: true;
  readonly scale: EffectScale;
  /** Δ = μ_T − μ_C, or the lift (μ_T − μ_C)/μ_C. */
  readonly estimate: number;
  /** Var(Δ) with the arms independent (delta method for the lift). */
  readonly variance: number;
  readonly control: VariantMoments;
  readonly treatment: VariantMoments;
}

/** The lift is undefined when the control mean is 0: a neutral result, not a NaN. */
export interface UndefinedEffect {
  readonly defined: false;
  readonly scale: 'relative';
  readonly reason: 'zero_control_mean';
}

function checkMoments(m: VariantMoments, path: string): void {
  requireCount(m.n, `${path}.n`, 1);
  requireFinite(m.mean, `${path}.mean`);
  requireFinite(m.variance, `${path}.variance`);
  if (m.variance < 0) throw invalid(`${path}.variance`, 'expected a variance >= 0');
}

/**
 * Absolute: Δ = μ_T − μ_C, Var = σ²_T/n_T + σ²_C/n_C. Relative: Δ_r = (μ_T − μ_C)/μ_C,
 * Var = σ²_T/(n_T μ_C²) + μ_T² σ²_C/(n_C μ_C⁴) (§3.3).
 * @example
 * const c = proportionMoments({ n: 1000, s: 100 });
 * const t = proportionMoments({ n: 1000, s: 120 });
 * estimateEffect(c, t, 'relative'); // { defined: true, estimate: 0.2, variance: ... }
 */
export function estimateEffect(
  control: VariantMoments,
  treatment: VariantMoments,
  scale: EffectScale = 'absolute',
): Effect | UndefinedEffect {
  checkMoments(control, 'control');
  checkMoments(treatment, 'treatment');
  const vC = control.variance / control.n;
  const vT = treatment.variance / treatment.n;
  if (scale === 'absolute') {
    return {
      defined: true,
      scale,
      estimate: treatment.mean - control.mean,
      variance: vT + vC,
      control,
      treatment,
    };
  }
  const muC = control.mean;
  if (muC === 0) return { defined: false, scale, reason: 'zero_control_mean' };
  const muC2 = muC * muC;
  return {
    defined: true,
    scale,
    estimate: (treatment.mean - muC) / muC,
    variance: vT / muC2 + (treatment.mean * treatment.mean * vC) / (muC2 * muC2),
    control,
    treatment,
  };
}

/**
 * Welch–Satterthwaite df from the per-arm variances of the mean v = σ²/n:
 * (v_T + v_C)² / (v_T²/(n_T − 1) + v_C²/(n_C − 1)).
 */
export function welchDegreesOfFreedom(control: VariantMoments, treatment: VariantMoments): number {
  requireCount(control.n, 'control.n', 2);
  requireCount(treatment.n, 'treatment.n', 2);
  const vC = control.variance / control.n;
  const vT = treatment.variance / treatment.n;
  const denominator = (vT * vT) / (treatment.n - 1) + (vC * vC) / (control.n - 1);
  if (denominator === 0) throw invalid('effect.variance', 'both arms have zero variance');
  return ((vT + vC) * (vT + vC)) / denominator;
}
