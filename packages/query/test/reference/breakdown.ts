// Breakdown values for the reference evaluators (§2.1 "Breakdowns", reused by funnels §2.2):
// values are compared and reported in their string form; a missing value is its own "None"
// bucket; beyond `limit` values the rest fold into "Other". PostHog's sentinel strings are used
// for both so results can be compared with the engine's PostHog-shaped output.

import { stringForm } from './filters.js';

export const BREAKDOWN_NULL = '$$_posthog_breakdown_null_$$';
export const BREAKDOWN_OTHER = '$$_posthog_breakdown_other_$$';
export const DEFAULT_BREAKDOWN_LIMIT = 25;

/** The bucket a raw property value falls in: its string form, or BREAKDOWN_NULL when missing. */
export function breakdownKey(value: unknown): string {
  return value === undefined || value === null ? BREAKDOWN_NULL : stringForm(value);
}

/**
 * Which values keep their own bucket: the `limit` values with the highest weight (ties by value,
 * ascending); BREAKDOWN_NULL always keeps its own bucket and does not use up the limit.
 */
export function keptValues(weights: ReadonlyMap<string, number>, limit: number): Set<string> {
  const ranked = [...weights.entries()]
    .filter(([value]) => value !== BREAKDOWN_NULL)
    .sort(([va, a], [vb, b]) => b - a || (va < vb ? -1 : va > vb ? 1 : 0))
    .slice(0, limit)
    .map(([value]) => value);
  return new Set([...ranked, ...(weights.has(BREAKDOWN_NULL) ? [BREAKDOWN_NULL] : [])]);
}

/** Maps a value to itself when kept or missing, else to BREAKDOWN_OTHER. */
export function folder(kept: ReadonlySet<string>): (value: string) => string {
  return (value) => (value === BREAKDOWN_NULL || kept.has(value) ? value : BREAKDOWN_OTHER);
}

/** Order of breakdown series in results: kept values by weight, then None, then Other. */
export function compareBreakdownKeys(
  weights: ReadonlyMap<string, number>,
): (a: string, b: string) => number {
  const rank = (v: string): number => (v === BREAKDOWN_OTHER ? 2 : v === BREAKDOWN_NULL ? 1 : 0);
  return (a, b) =>
    rank(a) - rank(b) ||
    (weights.get(b) ?? 0) - (weights.get(a) ?? 0) ||
    (a < b ? -1 : a > b ? 1 : 0);
}
