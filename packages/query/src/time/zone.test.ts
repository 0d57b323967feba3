import { describe, expect, it } from 'vitest';
import { fromWall, offsetSegments, toWall } from './zone.js';

const wall = (y: number, mo: number, d: number, h = 0, mi = 0) => ({
  year: y,
  month: mo,
  day: d,
  hour: h,
  minute: mi,
  second: 0,
  ms: 0,
});

describe('zone', () => {
  it('maps a wall time to its instant, DST gaps forward and repeats to the earlier one', () => {
    expect(new Date(fromWall(wall(2024, 3, 31, 0), 'Europe/Berlin')).toISOString()).toBe(
      '2024-03-30T23:00:00.000Z',
    );
    // 02:30 does not exist on 31 March in Berlin: 03:30 CEST.
    expect(new Date(fromWall(wall(2024, 3, 31, 2, 30), 'Europe/Berlin')).toISOString()).toBe(
      '2024-03-31T01:30:00.000Z',
    );
    // 02:30 happens twice on 27 October: the first (CEST) one.
    expect(new Date(fromWall(wall(2024, 10, 27, 2, 30), 'Europe/Berlin')).toISOString()).toBe(
      '2024-10-27T00:30:00.000Z',
    );
    expect(new Date(fromWall(wall(2024, 3, 10, 0), 'Asia/Kolkata')).toISOString()).toBe(
      '2024-03-09T18:30:00.000Z',
    );
  });

  it('reads wall time back', () => {
    expect(toWall(Date.parse('2024-10-27T01:30:00Z'), 'Europe/Berlin')).toMatchObject({
      hour: 2,
      minute: 30,
    });
  });

  it('finds the exact instants the offset changes', () => {
    const segments = offsetSegments(
      'Europe/Berlin',
      Date.parse('2024-01-01T00:00:00Z'),
      Date.parse('2025-01-01T00:00:00Z'),
    );
    expect(segments).toEqual([
      { untilMs: Date.parse('2024-03-31T01:00:00Z'), offsetMs: 3_600_000 },
      { untilMs: Date.parse('2024-10-27T01:00:00Z'), offsetMs: 7_200_000 },
      { untilMs: null, offsetMs: 3_600_000 },
    ]);
    expect(offsetSegments('UTC', 0, 1e12)).toEqual([{ untilMs: null, offsetMs: 0 }]);
  });
});
