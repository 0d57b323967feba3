import type { PiiKind } from './kinds.js';
import type { Profile } from './profile.js';

/** A half-open range `[start, end)` of a string that holds one match. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** One detector: a cheap gate on the character profile, then an exact search. */
export interface Scanner {
  readonly kind: PiiKind;
  /** False when the profile rules out a match, so `find` never runs on the string. */
  readonly applies: (profile: Profile) => boolean;
  /** Matches left to right, not overlapping. */
  readonly find: (text: string) => Span[];
}

/**
 * Scans with a global regular expression and keeps the matches `accept` agrees with. `accept`
 * may return a shorter length (a valid prefix of the candidate) or 0 to reject; after a rejection
 * the search resumes one character later, so a bad greedy candidate does not hide a good match
 * that starts inside it.
 */
export function regexFinder(
  pattern: RegExp,
  accept: (candidate: string) => number = (candidate) => candidate.length,
): (text: string) => Span[] {
  if (!pattern.global) throw new TypeError('regexFinder needs a global pattern');
  return (text) => {
    const spans: Span[] = [];
    // Shared across calls: reset here, and `accept` never runs the same finder, so the one
    // lastIndex is never used by two searches at once.
    const re = pattern;
    re.lastIndex = 0;
    let m = re.exec(text);
    while (m !== null) {
      const start = m.index;
      const length = accept(m[0]);
      if (length > 0) {
        spans.push({ start, end: start + length });
        re.lastIndex = start + length;
      } else {
        re.lastIndex = start + 1;
      }
      m = re.exec(text);
    }
    return spans;
  };
}

/**
 * The longest prefix of `candidate` that `isValid` accepts, cut just before a separator in
 * `cuts` (e.g. a space), or 0. Lets "030 1234567 0151 2345678" yield its first number.
 */
export function longestValidPrefix(
  candidate: string,
  isValid: (text: string) => boolean,
  cuts: string,
): number {
  if (isValid(candidate)) return candidate.length;
  for (let i = candidate.length - 1; i > 0; i--) {
    if (cuts.includes(candidate.charAt(i)) && isValid(candidate.slice(0, i))) return i;
  }
  return 0;
}

/** Replaces each span with `marker`. Spans must be sorted and disjoint. */
export function replaceSpans(text: string, spans: readonly Span[], marker: string): string {
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + marker;
    at = span.end;
  }
  return out + text.slice(at);
}
