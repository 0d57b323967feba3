import { gammaP, gammaQ } from './special-functions.js';

// The chi-square distribution with k > 0 degrees of freedom (SRM, §3.4).

/** P(χ²_k ≤ x). */
export function chiSquareCdf(x: number, k: number): number {
  if (Number.isNaN(x) || !(k > 0)) return Number.NaN;
  return gammaP(k / 2, x / 2);
}

/**
 * P(χ²_k > x), accurate in the far tail (SRM p-values of 1e−20 are meaningful).
 * @example chiSquareSf(3.841458820694124, 1) // 0.05
 */
export function chiSquareSf(x: number, k: number): number {
  if (Number.isNaN(x) || !(k > 0)) return Number.NaN;
  return gammaQ(k / 2, x / 2);
}
