import { describe, expect, it } from 'vitest';
import {
  addIntervals,
  bucketStart,
  bucketStarts,
  DAY_MS,
  HOUR_MS,
  intervalsBetween,
  zonedParts,
  zonedToUtc,
} from './time.js';

const BERLIN = 'Europe/Berlin';
const utc = (iso: string): number => Date.parse(iso);

describe('Europe/Berlin days around DST', () => {
  it('the spring-forward day (31 March 2024) has 23 hours', () => {
    const day = bucketStart(utc('2024-03-31T10:00:00Z'), 'day', BERLIN);
    expect(day).toBe(utc('2024-03-30T23:00:00Z')); // midnight CET
    expect(addIntervals(day, 1, 'day', BERLIN) - day).toBe(23 * HOUR_MS); // next midnight CEST
  });

  it('the fall-back day (27 October 2024) has 25 hours', () => {
    const day = bucketStart(utc('2024-10-27T12:00:00Z'), 'day', BERLIN);
    expect(day).toBe(utc('2024-10-26T22:00:00Z'));
    expect(addIntervals(day, 1, 'day', BERLIN) - day).toBe(25 * HOUR_MS);
  });

  it('puts 01:59:59.999 CET and 03:00 CEST in the same day and in consecutive hours', () => {
    const before = utc('2024-03-31T00:59:59.999Z'); // 01:59:59.999 local
    const after = utc('2024-03-31T01:00:00Z'); // 03:00:00 local
    expect(zonedParts(after, BERLIN).hour).toBe(3);
    expect(bucketStart(before, 'day', BERLIN)).toBe(bucketStart(after, 'day', BERLIN));
    expect(bucketStart(after, 'hour', BERLIN) - bucketStart(before, 'hour', BERLIN)).toBe(HOUR_MS);
  });

  it('keeps the repeated autumn hour as two hour buckets of one day', () => {
    const first = utc('2024-10-27T00:30:00Z'); // 02:30 CEST
    const second = utc('2024-10-27T01:30:00Z'); // 02:30 CET
    expect(zonedParts(first, BERLIN).hour).toBe(2);
    expect(zonedParts(second, BERLIN).hour).toBe(2);
    expect(bucketStart(first, 'hour', BERLIN)).toBe(utc('2024-10-27T00:00:00Z'));
    expect(bucketStart(second, 'hour', BERLIN)).toBe(utc('2024-10-27T01:00:00Z'));
    expect(bucketStart(first, 'day', BERLIN)).toBe(bucketStart(second, 'day', BERLIN));
  });

  it('lists 23 hour buckets on the spring day and 25 on the autumn day', () => {
    const spring = utc('2024-03-30T23:00:00Z');
    const autumn = utc('2024-10-26T22:00:00Z');
    expect(bucketStarts(spring, spring + 23 * HOUR_MS, 'hour', BERLIN)).toHaveLength(23);
    expect(bucketStarts(autumn, autumn + 25 * HOUR_MS, 'hour', BERLIN)).toHaveLength(25);
    expect(bucketStarts(spring - DAY_MS, utc('2024-04-01T22:00:00Z'), 'day', BERLIN)).toEqual([
      utc('2024-03-29T23:00:00Z'),
      utc('2024-03-30T23:00:00Z'),
      utc('2024-03-31T22:00:00Z'),
    ]);
  });

  it('maps a local time skipped by the switch one hour later', () => {
    expect(zonedToUtc({ year: 2024, month: 3, day: 31, hour: 2, minute: 30 }, BERLIN)).toBe(
      utc('2024-03-31T01:30:00Z'),
    );
  });
});

describe('weeks and months', () => {
  const sunday = utc('2024-03-31T20:00:00Z'); // Sunday 22:00 CEST

  it('starts weeks on Monday by default, on Sunday when asked', () => {
    expect(bucketStart(sunday, 'week', BERLIN)).toBe(utc('2024-03-24T23:00:00Z')); // Mon 25 Mar CET
    expect(bucketStart(sunday, 'week', BERLIN, 0)).toBe(utc('2024-03-30T23:00:00Z')); // Sun 31 Mar
  });

  it('a week that contains the switch is 167 hours long', () => {
    const week = bucketStart(sunday, 'week', BERLIN);
    expect(addIntervals(week, 1, 'week', BERLIN) - week).toBe(7 * DAY_MS - HOUR_MS);
  });

  it('starts months at local midnight of the 1st', () => {
    expect(bucketStart(utc('2024-03-31T21:59:59.999Z'), 'month', BERLIN)).toBe(
      utc('2024-02-29T23:00:00Z'),
    );
    expect(bucketStart(utc('2024-03-31T22:00:00Z'), 'month', BERLIN)).toBe(
      utc('2024-03-31T22:00:00Z'),
    );
    expect(addIntervals(utc('2024-11-30T23:00:00Z'), 2, 'month', BERLIN)).toBe(
      utc('2025-01-31T23:00:00Z'),
    );
  });

  it('counts calendar intervals between instants, not 24-hour spans', () => {
    const sat = utc('2024-03-30T12:00:00Z');
    const mon = utc('2024-04-01T00:30:00Z'); // 02:30 CEST Monday
    expect(intervalsBetween(sat, mon, 'day', BERLIN)).toBe(2);
    expect(intervalsBetween(sat, mon, 'week', BERLIN)).toBe(1);
    expect(intervalsBetween(sat, mon, 'month', BERLIN)).toBe(1);
    expect(intervalsBetween(mon, sat, 'day', BERLIN)).toBe(-2);
  });
});

describe('other zones', () => {
  it('handles half-hour offsets (Asia/Kolkata) and UTC', () => {
    const t = utc('2024-03-04T10:45:00Z'); // 16:15 IST
    expect(bucketStart(t, 'hour', 'Asia/Kolkata')).toBe(utc('2024-03-04T10:30:00Z'));
    expect(bucketStart(t, 'day', 'Asia/Kolkata')).toBe(utc('2024-03-03T18:30:00Z'));
    expect(bucketStart(t, 'day', 'UTC')).toBe(utc('2024-03-04T00:00:00Z'));
  });

  it('handles America/New_York switching on a different date (10 March 2024)', () => {
    const day = bucketStart(utc('2024-03-10T15:00:00Z'), 'day', 'America/New_York');
    expect(day).toBe(utc('2024-03-10T05:00:00Z'));
    expect(addIntervals(day, 1, 'day', 'America/New_York') - day).toBe(23 * HOUR_MS);
  });
});
