import { isLuhnValid } from './checksums.js';
import { regexFinder, type Scanner } from './scanner.js';

/**
 * Issuer prefixes (IIN ranges) of the card networks in use: Visa 4; Mastercard 51-55 and
 * 2221-2720; Maestro, Verve and other 5x/6x ranges (50-69); Amex 34/37; Diners 300-305, 36, 38,
 * 39; JCB 3528-3589; Mir 2200-2204; RuPay 81/82; Troy 9792.
 * A Luhn check alone passes one random digit run in ten; the prefix keeps millisecond timestamps
 * (`17...`), Snowflake ids and other numeric ids from being reported as cards.
 */
function hasIssuerPrefix(digits: string): boolean {
  const two = Number(digits.slice(0, 2));
  const three = Number(digits.slice(0, 3));
  const four = Number(digits.slice(0, 4));
  switch (digits.charAt(0)) {
    case '4':
    case '5':
    case '6':
      return true;
    case '2':
      return (four >= 2200 && four <= 2204) || (four >= 2221 && four <= 2720);
    case '3':
      return (
        two === 34 ||
        two === 36 ||
        two === 37 ||
        two === 38 ||
        two === 39 ||
        (three >= 300 && three <= 305) ||
        (four >= 3528 && four <= 3589)
      );
    case '8':
      return two === 81 || two === 82;
    case '9':
      return four === 9792;
    default:
      return false;
  }
}

/** 13-19 digits, an issuer prefix and a Luhn check digit; single spaces or dashes between. */
export function isCardNumber(text: string): boolean {
  return text.length > 0 && cardLength(text) === text.length;
}

/**
 * How much of a candidate is a card number: all of it, or the longest prefix that ends before a
 * separator ("4111 1111 1111 1111 20": the whole run fails Luhn, the first four groups pass), or 0.
 * The issuer prefix is checked once, so a hostile run of `1 1 1 ...` costs one pass per candidate.
 */
function cardLength(candidate: string): number {
  const digits = candidate.replace(/\D/g, '');
  if (!hasIssuerPrefix(digits) || !/^\d+$/.test(candidate.replace(/[ -]/g, ''))) return 0;
  if (digits.length >= 13 && digits.length <= 19 && isLuhnValid(digits)) return candidate.length;
  let seen = digits.length;
  for (let i = candidate.length - 1; i > 0; i--) {
    const c = candidate.charAt(i);
    if (c !== ' ' && c !== '-') {
      seen--;
      continue;
    }
    if (seen >= 13 && seen <= 19 && isLuhnValid(digits.slice(0, seen))) return i;
  }
  return 0;
}

/**
 * A digit run of 13-19 digits with optional single space/dash separators, not part of a longer
 * number, word, version or decimal.
 */
const CARD = /(?<![\p{L}\p{N}_.,+-])\d(?:[ -]?\d){12,18}(?![\p{L}\p{N}_]|[.,-]\d)/gu;

export const cardScanner: Scanner = {
  kind: 'card',
  applies: (p) => p.digits >= 13,
  find: regexFinder(CARD, cardLength),
};
