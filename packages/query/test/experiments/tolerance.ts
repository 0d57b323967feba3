import { expect } from 'vitest';

// Comparison against the scipy/mpmath fixtures at 1e-6 (the Done-when), recording the largest
// error per function family so a run can report how much headroom is left.

export const TOLERANCE = 1e-6;
const maxErrors = new Map<string, number>();

/**
 * `rel`: |a − e|/|e| (probabilities, tails, quantiles, variances;
 * absolute when e = 0); `mixed`: |a − e|/max(|e|, 1),
 * absolute near 0 (effects and interval bounds that may cross 0).
 */
export function expectNear(
  family: string,
  actual: number,
  expected: number,
  mode: 'rel' | 'mixed' = 'rel',
): void {
  if (!Number.isFinite(expected)) {
    expect(actual).toBe(expected);
    return;
  }
  // An expected 0 is compared absolutely in either mode.
  const scale =
    mode === 'rel' && expected !== 0 ? Math.abs(expected) : Math.max(Math.abs(expected), 1);
  const error = Math.abs(actual - expected) / scale;
  maxErrors.set(family, Math.max(maxErrors.get(family) ?? 0, error));
  expect(error, `${family}: ${actual} vs ${expected}`).toBeLessThanOrEqual(TOLERANCE);
}

export function reportMaxErrors(): void {
  const lines = [...maxErrors].map(([family, error]) => `  ${family}: ${error.toExponential(2)}`);
  console.log(`max error per family (tolerance ${TOLERANCE}):\n${lines.join('\n')}`);
}
