import { regexFinder, type Scanner } from './scanner.js';

/**
 * US SSN or ITIN in its printed form `AAA-GG-SSSS` (dashes or spaces, used consistently).
 * Area 000 and 666, group 00 and serial 0000 are never issued. Nine bare digits are not matched:
 * too many order numbers look like that.
 */
const US_SSN =
  /(?<![\p{L}\p{N}_.-])(?!000|666)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\p{L}\p{N}_]|[.-]\d)/gu;

/**
 * UK National Insurance number `AB123456C` (optionally spaced `AB 12 34 56 C`): the HMRC letter
 * rules (no D, F, I, Q, U, V; second letter not O; prefixes BG, GB, KN, NK, NT, TN, ZZ unused)
 * and suffix A-D. Upper case only: lower-case `ab123456c` is far more often an id.
 */
const UK_NINO = new RegExp(
  [
    '(?<![\\p{L}\\p{N}_])(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]',
    ' ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D](?![\\p{L}\\p{N}_])',
  ].join(''),
  'gu',
);

const findSsn = regexFinder(US_SSN);
const findNino = regexFinder(UK_NINO);

export const ssnScanner: Scanner = {
  kind: 'national_id',
  applies: (p) => p.digits >= 9,
  find: findSsn,
};

export const ninoScanner: Scanner = {
  kind: 'national_id',
  applies: (p) => p.digits >= 6 && p.upper >= 3,
  find: findNino,
};
