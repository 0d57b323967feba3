import { cardScanner } from './card.js';
import { emailScanner } from './email.js';
import { ibanScanner } from './iban.js';
import { ipv4Scanner, ipv6Scanner } from './ip.js';
import { markerOf, type PiiKind } from './kinds.js';
import { ninoScanner, ssnScanner } from './national-id.js';
import { phoneScanner } from './phone.js';
import { type Profile, profileOf } from './profile.js';
import { replaceSpans, type Scanner } from './scanner.js';
import { authHeaderScanner, genericTokenScanner, knownTokenScanner } from './tokens.js';

/**
 * Every scanner, in the order they run. Each one sees the text with earlier matches already
 * replaced by markers, so order settles overlaps:
 * - tokens first: a key or JWT may contain an `@`-free digit run or a dotted part;
 * - e-mail before anything numeric (`+4915112345678@sms.example.com` is an address);
 * - IBAN, card and national id before phone: each is a digit run a phone rule could also accept;
 * - IPv6 before IPv4 (embedded IPv4) and both before phone (`192.168.100.200`);
 * - the generic high-entropy token last, on what is left.
 */
export const SCANNERS: readonly Scanner[] = Object.freeze([
  knownTokenScanner,
  authHeaderScanner,
  emailScanner,
  ibanScanner,
  cardScanner,
  ssnScanner,
  ninoScanner,
  ipv6Scanner,
  ipv4Scanner,
  phoneScanner,
  genericTokenScanner,
]);

export interface TextScan {
  readonly text: string;
  /** Kinds in the order first found; empty when nothing was. */
  readonly found: PiiKind[];
  /** Number of replaced matches. */
  readonly count: number;
}

/** Replaces every scanner match in `text` by its marker (URLs are the caller's job). */
export function scanText(text: string, profile: Profile = profileOf(text)): TextScan {
  let out = text;
  let count = 0;
  const found: PiiKind[] = [];
  for (const scanner of SCANNERS) {
    if (!scanner.applies(profile)) continue;
    const spans = scanner.find(out);
    if (spans.length === 0) continue;
    out = replaceSpans(out, spans, markerOf(scanner.kind));
    count += spans.length;
    if (!found.includes(scanner.kind)) found.push(scanner.kind);
  }
  return { text: out, found, count };
}
