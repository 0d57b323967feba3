import { normalQuantile } from './normal.js';
import { incompleteBeta, logGamma } from './special-functions.js';

// Student's t distribution for real-valued degrees of freedom (Welch's df is not an integer).

/** Density of t with `df` > 0 degrees of freedom. */
export function studentTPdf(t: number, df: number): number {
  const logC = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(logC - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * P(T > |t|), the one-sided tail, from I_{df/(df+t²)}(df/2, 1/2) / 2 (relative accuracy in the
 * tail; no 1 − cdf cancellation).
 */
function upperTail(t: number, df: number): number {
  const t2 = t * t;
  // For small |t| the complement argument t²/(df+t²) is the exact one; the symmetry inside
  // incompleteBeta picks the converging form either way.
  const x = df / (df + t2);
  return 0.5 * incompleteBeta(x, df / 2, 0.5);
}

/**
 * P(T ≤ t) for Student's t with real `df` > 0; `df` = Infinity is the normal.
 * @example studentTCdf(2.1, 17.3) // 0.97465...
 */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 1;
  if (t === Number.NEGATIVE_INFINITY) return 0;
  const tail = upperTail(t, df);
  return t < 0 ? tail : 1 - tail;
}

/** P(T > t), accurate in the upper tail. */
export function studentTSf(t: number, df: number): number {
  return studentTCdf(-t, df);
}

/**
 * The t quantile: closed forms for df = 1 and 2, otherwise a safeguarded Newton iteration on the
 * tail probability inside a bracket that only shrinks (bisection when Newton leaves it).
 * @example studentTQuantile(0.975, 30) // 2.0422724563012373
 */
export function studentTQuantile(p: number, df: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1 || !(df > 0)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  const sign = p < 0.5 ? -1 : 1;
  const tail = p < 0.5 ? p : 1 - p;
  if (df === Number.POSITIVE_INFINITY) return -sign * normalQuantile(tail);
  // cot(πq) rather than tan(π(p − ½)): the latter loses the tail to the rounding of p − ½.
  if (df === 1) return sign / Math.tan(Math.PI * tail);
  if (df === 2) return (sign * (1 - 2 * tail)) / Math.sqrt(2 * tail * (1 - tail));
  return sign * upperTailQuantile(tail, df);
}

// Solve P(T > t) = q for t > 0 (q < 0.5).
function upperTailQuantile(q: number, df: number): number {
  let lo = 0;
  let hi = Math.max(1, -normalQuantile(q));
  while (upperTail(hi, df) > q) {
    lo = hi;
    hi *= 2;
  }
  let t = 0.5 * (lo + hi);
  for (let i = 0; i < 300; i++) {
    const f = upperTail(t, df) - q;
    if (f === 0) return t;
    if (f > 0) lo = t;
    else hi = t;
    const step = f / studentTPdf(t, df);
    let next = t + step;
    if (!(next > lo && next < hi))
      next = lo > 0 && hi / lo > 4 ? Math.sqrt(lo * hi) : 0.5 * (lo + hi);
    if (Math.abs(next - t) <= 1e-15 * Math.abs(next) || hi - lo <= 1e-15 * hi) return next;
    t = next;
  }
  return t;
}
