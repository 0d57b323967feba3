import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { decodeBase64Strict, isLikelyBase64, restorePlusSigns } from './base64.js';

const bytes = (text: string): Uint8Array => Buffer.from(text);

describe('isLikelyBase64', () => {
  it('wants the base64 alphabet and a length that is a multiple of 4', () => {
    expect(isLikelyBase64(bytes('eyJldmVudCI6ImEifQ=='), 'strict')).toBe(true);
    expect(isLikelyBase64(bytes('eyJldmVudCI6ImEifQ='), 'strict')).toBe(false);
    expect(isLikelyBase64(bytes('{"event":"a"}'), 'strict')).toBe(false);
    expect(isLikelyBase64(bytes(''), 'strict')).toBe(false);
  });

  it('accepts spaces only in loose mode', () => {
    expect(isLikelyBase64(bytes('ab c'), 'strict')).toBe(false);
    expect(isLikelyBase64(bytes('ab c'), 'loose')).toBe(true);
  });
});

describe('decodeBase64Strict', () => {
  it('decodes canonical padded base64', () => {
    const decoded = decodeBase64Strict(bytes(Buffer.from('{"event":"a"}').toString('base64')));
    expect(Buffer.from(decoded ?? []).toString()).toBe('{"event":"a"}');
  });

  it.each([
    ['missing padding', 'eyJ9fQ'],
    ['a stray character', 'ey!9fQ=='],
    ['padding in the middle', 'ey=9fQ=='],
    ['three padding characters', 'e==='],
    ['non-zero trailing bits', 'eyJ9fR=='],
    ['url-safe alphabet', 'ey-_fQ=='],
    ['empty input', ''],
  ])('refuses %s', (_name, text) => {
    expect(decodeBase64Strict(bytes(text))).toBeUndefined();
  });
});

describe('restorePlusSigns', () => {
  it('turns urldecoded spaces back into plus signs', () => {
    expect(restorePlusSigns('ab c d')).toBe('ab+c+d');
    expect(restorePlusSigns('abcd')).toBe('abcd');
  });
});
