import { regexFinder, type Scanner } from './scanner.js';

/**
 * An e-mail address: a local part (letters, digits, `._%+'-`, so plus addressing and
 * percent-encoded characters), `@` or its URL encoding `%40`, and a dotted domain whose last label
 * is alphabetic. Letters include non-ASCII ones (internationalised addresses).
 *
 * The lookbehind makes the search start only at the beginning of a local-part run, which keeps
 * the scan linear on long strings. A TLD of letters is what keeps `react@18.2.0` and
 * `@scope/pkg` out.
 */
const LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?';
const EMAIL = new RegExp(
  [
    "(?<![\\p{L}\\p{N}._%+-])[\\p{L}\\p{N}_%+-][\\p{L}\\p{N}._%+'-]*", // local part
    '(?:@|%40)',
    `${LABEL}(?:\\.${LABEL})*\\.\\p{L}{2,}(?![\\p{L}\\p{N}_-])`, // domain, alphabetic TLD
  ].join(''),
  'gu',
);

export const emailScanner: Scanner = {
  kind: 'email',
  applies: (p) => p.hasAt || p.hasPercent,
  find: regexFinder(EMAIL),
};
