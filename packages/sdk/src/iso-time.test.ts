import { describe, expect, it } from 'vitest';
import { isoTimestamp } from './iso-time.js';

const DAY_MS = 86_400_000;
const MAX_TIME_MS = 8.64e15;

/** Days around year ends (9999 -> +010000 changes the format), leap days and month ends. */
const DAYS = ['-000001-12-31', '0000-01-01', '1969-12-31', '1970-01-01', '1999-12-31', '2000-02-29']
  .concat(['2000-03-01', '2023-12-31', '2024-02-29', '2024-03-01', '2100-02-28', '2100-03-01'])
  .concat(['9999-12-31', '+010000-01-01']);
const OFFSETS_MS = [0, 1, 9, 10, 99, 100, 999, DAY_MS - 1000, DAY_MS - 1, DAY_MS, -1, -999];

function edgeCases(): number[] {
  const out = [
    0,
    -0,
    MAX_TIME_MS,
    -MAX_TIME_MS,
    ...[1, 999, 1000, 1001].flatMap((ms) => [ms, -ms]),
  ];
  for (const day of DAYS) {
    const dayMs = Date.parse(`${day}T00:00:00.000Z`);
    expect(Number.isNaN(dayMs), day).toBe(false);
    for (const offset of OFFSETS_MS) out.push(dayMs + offset);
  }
  return out;
}

describe('isoTimestamp', () => {
  it('equals toISOString on edge cases: ms 0 and 999, year ends, leap days, the valid range', () => {
    for (const ms of edgeCases()) expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
  });

  it('equals toISOString on random times, alone and in same-second runs', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 20_000; i++) {
      const base = Math.floor((random() * 2 - 1) * MAX_TIME_MS);
      for (const ms of [base, base + Math.floor(random() * 1000), base + 1, Date.now() + i])
        if (Math.abs(ms) <= MAX_TIME_MS) expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('truncates fractions toward zero as the Date constructor does', () => {
    for (const ms of [0.5, 999.9, 1000.1, -0.5, -999.9, -1000.5, 1_732_000_000_123.999])
      expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
  });

  it('throws the same RangeError as toISOString for invalid times', () => {
    for (const ms of [Number.NaN, Infinity, -Infinity, MAX_TIME_MS + 1, -MAX_TIME_MS - 1]) {
      expect(() => new Date(ms).toISOString()).toThrow(RangeError);
      expect(() => isoTimestamp(ms)).toThrow(RangeError);
    }
  });
});
