import { describe, expect, it } from 'vitest';
import { uuidv7 } from './ids.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The 48-bit Unix milliseconds at the front of a UUIDv7 (RFC 9562 §5.7). */
const msOf = (uuid: string): number => Number.parseInt(uuid.replace('-', '').slice(0, 12), 16);

describe('uuidv7', () => {
  it('is an RFC 9562 version 7, variant 10 UUID carrying the millisecond it was made at', () => {
    for (const ms of [0, 1, 0xffff, 0x10000, 1_764_150_000_123, 2 ** 48 - 1, 1_764_150_000_123.9]) {
      const id = uuidv7(ms);
      expect(id).toMatch(UUID_V7);
      expect(msOf(id)).toBe(Math.floor(ms));
    }
  });

  it('sorts by capture time, also when the clock goes back and forth between calls', () => {
    const times = [1_764_150_000_000, 1_764_150_000_001, 1_764_150_000_000, 1_764_150_065_536];
    const ids = times.map((ms) => uuidv7(ms));
    expect(ids.map(msOf)).toEqual(times);
    expect(ids[1]?.localeCompare(ids[0] as string)).toBe(1);
    expect(ids[3]?.localeCompare(ids[1] as string)).toBe(1);
  });

  it('gives distinct ids within one millisecond, across refills of the random pool', () => {
    const ids = Array.from({ length: 5000 }, () => uuidv7(1_764_150_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(UUID_V7);
  });
});
