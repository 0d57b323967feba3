import { longestValidPrefix, regexFinder, type Scanner } from './scanner.js';

const EXTENSION_SOURCE = ' ?(?:[Ee][Xx][Tt]\\.?|[Xx]|#) ?\\d{1,6}'; // `ext. 12`, `x12`, `#12`
const EXTENSION = new RegExp(`${EXTENSION_SOURCE}$`);

/**
 * Candidate phone text: an optional `+`, digits with spaces, dashes, dots and one parenthesised
 * area code, ending in two digits (no phone number ends in a one-digit group, and this keeps
 * `1 2 3 4 5 6 7` from being a candidate at all), then an optional extension. Not preceded by a
 * letter, digit or `+.,-%@` and not followed by a letter, digit or `.digit` / `-digit` /
 * `:digit`, so it never starts or ends inside a version, decimal, time, date or longer number.
 * `isPhoneNumber` decides.
 */
const PHONE = new RegExp(
  [
    '(?<![\\p{L}\\p{N}_+.,%@-])\\+?(?:\\(\\d{1,5}\\)[ .-]?|\\d)[\\d .()-]{3,23}\\d\\d',
    `(?:${EXTENSION_SOURCE})?(?![\\p{L}\\p{N}_@]|[.,:/-]\\d)`,
  ].join(''),
  'gu',
);
/** `2026-11-25`, `2026.11.25`, `25.11.2026`, `11-25-2026` at the start of the candidate. */
const DATE_START =
  /^(?:(?:19|20)\d\d([-. ])\d{1,2}\1\d{1,2}|\d{1,2}([-. ])\d{1,2}\2(?:19|20)\d\d)(?!\d)/;
/** One area code in parentheses, before the subscriber number: `(555) 1`, `+49 (0)30 1`. */
const PARENS = /^(?:\d{1,4}[ .-]?)?\(\d{1,5}\)[ .-]?\d[^()]*$/;

/** `1 234 567` or `12.345.678`: thousands separators, not a phone. */
function isGroupedThousands(groups: readonly string[]): boolean {
  const [first, ...rest] = groups;
  return first !== undefined && first.length <= 2 && rest.every((g) => g.length === 3);
}

/**
 * Whether a candidate is a phone number. Needs 7-15 digits (E.164 allows at most 15) and one of:
 * - a leading `+` or a parenthesised area code (any grouping);
 * - three or more groups, none but the first a single digit (`555 123 4567`, `01 23 45 67 89`),
 *   dot-separated only if every group has two or more digits (`555.123.4567`, not `1.2.3`);
 * - two groups with a trunk prefix `0` (`030 12345678`, `06-12345678`) or US local `555-1234`;
 * - one bare run with a trunk or international prefix: `01511234567`, `0049151...`.
 * A bare run without a prefix is a count, an id or a timestamp (`1732530000000`), never a phone.
 */
export function isPhoneNumber(candidate: string): boolean {
  let text = candidate.replace(EXTENSION, '');
  const hasPlus = text.startsWith('+');
  if (hasPlus) text = text.slice(1);
  if (DATE_START.test(text)) return false;
  const hasParens = text.includes('(') || text.includes(')');
  if (hasParens && !PARENS.test(text)) return false;
  const flat = text.replace(/[()]/g, '');
  if (/[ .-]{2}/.test(flat) || /^[ .-]|[ .-]$/.test(flat)) return false;
  const groups = flat.split(/[ .-]/);
  const digits = groups.reduce((n, g) => n + g.length, 0);
  if (digits < 7 || digits > 15) return false;
  if (flat.includes('.')) {
    if (/[ -]/.test(flat) || groups.length < 3 || groups.some((g) => g.length < 2)) return false;
    if (isGroupedThousands(groups)) return false;
  }
  if (hasPlus || hasParens) return true;
  const [first = ''] = groups;
  if (groups.length === 1) return /^0[1-9]\d{8,11}$|^00[1-9]\d{7,12}$/.test(flat);
  if (groups.slice(1).some((g) => g.length < 2)) return false;
  if (isGroupedThousands(groups)) return false;
  if (groups.length === 2) return first.startsWith('0') || /^\d{3}-\d{4}$/.test(flat);
  return true;
}

/**
 * How much of a candidate is one phone number. "030 1234567 0151 2345678" is one candidate with
 * too many digits: prefer the cut that leaves a phone number after it (the finder then takes that
 * one next), else the longest valid prefix.
 */
function phoneLength(candidate: string): number {
  if (isPhoneNumber(candidate)) return candidate.length;
  // a prefix can only be valid where the whole failed for having too many digits
  if (candidate.replace(/\D/g, '').length <= 15) return 0;
  for (let i = candidate.length - 1; i > 0; i--) {
    if (candidate.charAt(i) !== ' ') continue;
    const head = candidate.slice(0, i);
    if (isPhoneNumber(head) && isPhoneNumber(candidate.slice(i + 1))) return i;
  }
  return longestValidPrefix(candidate, isPhoneNumber, ' ');
}

export const phoneScanner: Scanner = {
  kind: 'phone',
  applies: (p) => p.digits >= 7,
  find: regexFinder(PHONE, phoneLength),
};
