/** Luhn (ISO/IEC 7812-1) over a string of ASCII digits: card numbers and their test numbers. */
export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * ISO 13616 check: move the first four characters to the end, map letters to 10..35 and the
 * whole number must be 1 mod 97. Computed piecewise so no big integer is needed.
 * Expects the compact form (no spaces), any case.
 */
export function isIbanChecksumValid(compact: string): boolean {
  if (compact.length < 5) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i) | 0x20; // ASCII lower case; digits are unaffected
    if (c >= 48 && c <= 57) {
      remainder = (remainder * 10 + (c - 48)) % 97;
    } else if (c >= 97 && c <= 122) {
      remainder = (remainder * 100 + (c - 87)) % 97;
    } else {
      return false;
    }
  }
  return remainder === 1;
}

/** Shannon entropy of the character distribution, in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
