import { describe, expect, it } from 'vitest';
import { mayHoldPii, profileOf } from './profile.js';
import { SCANNERS } from './scanners.js';

const SAMPLES = [
  'time_entry_submitted',
  'Ticket was escalated',
  '/api/v1/tickets/:id',
  'jane@example.com',
  '+4915112345678',
  '10.0.0.1',
  '::1',
  'fe80::1%eth0',
  'Bearer abc.def.ghi',
  'Basic dXNlcjpwYXNz',
  'AB123456C',
  'DE89 3704 0044 0532 0130 00',
  'sk_live_0123456789abcdefABCDEF',
  'Xk9mP2vL8qR4tY7wZ3nB6cF1hJ5',
  'https://example.com',
  '/tickets?q=x',
];

describe('mayHoldPii', () => {
  it('is true whenever any scanner gate is (it is their union)', () => {
    for (const text of SAMPLES) {
      const profile = profileOf(text);
      if (SCANNERS.some((s) => s.applies(profile))) expect(mayHoldPii(profile), text).toBe(true);
    }
  });

  it('is true whenever any scanner gate is, on 20,000 generated strings', () => {
    const alphabet = 'aZ1@%.:/? _-+=';
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31; // a fixed LCG: the same strings every run
      return seed;
    };
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      for (let n = next() % 40; n > 0; n--) text += alphabet.charAt(next() % alphabet.length);
      const profile = profileOf(text);
      if (SCANNERS.some((s) => s.applies(profile))) expect(mayHoldPii(profile), text).toBe(true);
    }
  });

  it('is false for short clean identifiers and prose', () => {
    for (const text of ['in_progress', 'ValidationError', 'Ticket was escalated', 'en-US', '42']) {
      expect(mayHoldPii(profileOf(text)), text).toBe(false);
    }
  });
});

describe('profileOf', () => {
  it('measures the longest run of the base64url alphabet', () => {
    expect(profileOf('ab cdef/gh-ij').longestRun).toBe(10);
    expect(profileOf('').longestRun).toBe(0);
  });

  it('marks `scheme://` but not a bare colon', () => {
    expect(profileOf('https://x').hasSchemeMark).toBe(true);
    expect(profileOf('/tickets/:id').hasSchemeMark).toBe(false);
  });
});
