import { describe, expect, it } from 'vitest';
import { isIbanChecksumValid, isLuhnValid, shannonEntropy } from './checksums.js';

describe('isLuhnValid', () => {
  it('accepts published test card numbers', () => {
    for (const n of ['4111111111111111', '5555555555554444', '378282246310005', '30569309025904']) {
      expect(isLuhnValid(n)).toBe(true);
    }
  });

  it('rejects a changed check digit, non-digits and the empty string', () => {
    expect(isLuhnValid('4111111111111112')).toBe(false);
    expect(isLuhnValid('4111 1111 1111 1111')).toBe(false);
    expect(isLuhnValid('')).toBe(false);
  });
});

describe('isIbanChecksumValid', () => {
  it('accepts registry examples in either case', () => {
    expect(isIbanChecksumValid('DE89370400440532013000')).toBe(true);
    expect(isIbanChecksumValid('gb29nwbk60161331926819')).toBe(true);
    expect(isIbanChecksumValid('FR1420041010050500013M02606')).toBe(true);
  });

  it('rejects a wrong check digit, separators and short input', () => {
    expect(isIbanChecksumValid('DE88370400440532013000')).toBe(false);
    expect(isIbanChecksumValid('DE89 3704 0044 0532 0130 00')).toBe(false);
    expect(isIbanChecksumValid('DE89')).toBe(false);
  });
});

describe('shannonEntropy', () => {
  it('is 0 for one repeated character and log2(n) for n distinct ones', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
    expect(shannonEntropy('')).toBe(0);
  });
});
