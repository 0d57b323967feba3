// Bounds for rates measured over many simulated experiments: a test asserts that a count falls
// inside the binomial interval its nominal rate allows, never that it equals an observed count.

/**
 * Central interval [lower, upper] of Binomial(n, p) holding at least `confidence`: each tail
 * outside it has probability at most (1 − confidence)/2.
 */
export function binomialInterval(n: number, p: number, confidence = 0.99): [number, number] {
  const tail = (1 - confidence) / 2;
  const pmf: number[] = [(1 - p) ** n];
  for (let k = 0; k < n; k++) pmf.push(((pmf[k] ?? 0) * (n - k) * p) / ((k + 1) * (1 - p)));
  let lower = 0;
  for (let below = 0; below + (pmf[lower] ?? 0) <= tail; lower++) below += pmf[lower] ?? 0;
  let upper = n;
  for (let above = 0; above + (pmf[upper] ?? 0) <= tail; upper--) above += pmf[upper] ?? 0;
  return [lower, upper];
}
