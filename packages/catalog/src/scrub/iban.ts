import { isIbanChecksumValid } from './checksums.js';
import type { Scanner, Span } from './scanner.js';

/** IBAN length per country, from the SWIFT IBAN registry. An unknown country is not an IBAN. */
const IBAN_LENGTHS: ReadonlyMap<string, number> = new Map(
  (
    'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DK18 DO28 ' +
    'EE20 EG29 ES24 FI18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26 ' +
    'IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MR27 MT31 MU30 ' +
    'NL18 NO15 PK24 PL28 PS29 PT25 QA29 RO24 RS22 SA24 SC31 SD18 SE24 SI19 SK24 SM27 ST25 SV28 ' +
    'TL23 TN24 TR26 UA29 VA22 VG24 XK20'
  )
    .split(' ')
    .map((entry) => [entry.slice(0, 2), Number(entry.slice(2))] as const),
);

/** Country code and check digits at the start of a word. */
const IBAN_START = /(?<![\p{L}\p{N}_])([A-Za-z]{2})\d{2}/gu;

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 122);
}

/**
 * Reads exactly the country's IBAN length of letters and digits from `start`, allowing single
 * spaces anywhere (printed IBANs group by four; hand-typed ones do not), and returns where it ends
 * if the IBAN is complete, stands alone and passes mod-97; else -1.
 */
function ibanEnd(text: string, start: number, length: number): number {
  let compact = '';
  let i = start;
  while (i < text.length && compact.length < length) {
    const c = text.charCodeAt(i);
    if (isAlnum(c)) {
      compact += text.charAt(i);
      i++;
    } else if (c === 32 && compact.length >= 4 && i + 1 < text.length) {
      if (!isAlnum(text.charCodeAt(i + 1))) return -1;
      i++;
    } else {
      return -1;
    }
  }
  if (compact.length !== length) return -1;
  if (i < text.length && isAlnum(text.charCodeAt(i))) return -1;
  return isIbanChecksumValid(compact) ? i : -1;
}

function findIbans(text: string): Span[] {
  const spans: Span[] = [];
  const re = IBAN_START;
  re.lastIndex = 0;
  let m = re.exec(text);
  while (m !== null) {
    const length = IBAN_LENGTHS.get((m[1] ?? '').toUpperCase());
    const end = length === undefined ? -1 : ibanEnd(text, m.index, length);
    if (end > 0) {
      spans.push({ start: m.index, end });
      re.lastIndex = end;
    } else {
      re.lastIndex = m.index + 1;
    }
    m = re.exec(text);
  }
  return spans;
}

export const ibanScanner: Scanner = {
  kind: 'iban',
  applies: (p) => p.digits >= 6 && p.lower + p.upper >= 2,
  find: findIbans,
};
