import { describe, expect, it } from 'vitest';
import { BERLIN, DAY_MS, ev, HOUR_MS, MINUTE_MS, MONDAY, makeDataset } from './fixtures.js';
import { evaluateStickiness, type StickinessSpec } from './stickiness.js';

// Monday 4 .. Friday 8 March 2024 (Berlin, CET = UTC+1): five day intervals.
const day = (n: number, hour = 10): number => MONDAY + n * DAY_MS + hour * HOUR_MS;
const events = [
  ev('p1', 'feature_used', day(0), {}, 'tenant-a'),
  ev('p1', 'feature_used', day(0, 11), {}, 'tenant-a'),
  ev('p1', 'feature_used', day(2), {}, 'tenant-a'),
  ...[0, 1, 2, 3, 4].map((n) => ev('p2', 'feature_used', day(n))),
  ev('p3', 'feature_used', day(1), {}, 'tenant-a'),
  // p4: only just outside the range on both sides.
  ev('p4', 'feature_used', MONDAY - 1),
  ev('p4', 'feature_used', MONDAY + 5 * DAY_MS),
  // p5: Tue 23:30 and Wed 00:30 local are two days (both are Tuesday in UTC).
  ev('p5', 'feature_used', day(1, 23) + 30 * MINUTE_MS),
  ev('p5', 'feature_used', day(2, 0) + 30 * MINUTE_MS),
  ev('p6', 'ticket_created', day(0)),
];
const base: StickinessSpec = {
  series: { event: 'feature_used' },
  dateRange: { fromMs: MONDAY, toMs: MONDAY + 5 * DAY_MS },
  interval: 'day',
  timezone: BERLIN,
};
const counts = (spec: Partial<StickinessSpec> = {}): number[] =>
  evaluateStickiness(makeDataset(events), { ...base, ...spec }).map((p) => p.count);

describe('stickiness', () => {
  it('counts actors by the number of days they were active', () => {
    // 1 day: p3. 2 days: p1, p5. 5 days: p2. p4 is outside the range.
    expect(counts()).toEqual([1, 2, 0, 0, 1]);
    const points = evaluateStickiness(makeDataset(events), base);
    expect(points[1]).toEqual({ intervals: 2, count: 2, actorIds: ['p1', 'p5'] });
  });

  it('cumulative: n or more days', () => {
    expect(counts({ cumulative: true })).toEqual([4, 3, 1, 1, 1]);
  });

  it('only counts intervals that meet the per-interval minimum', () => {
    // Only p1 has two events on one day (Monday).
    expect(counts({ minCountPerInterval: 2 })).toEqual([1, 0, 0, 0, 0]);
  });

  it('groups intervals: two-day units Mon-Tue, Wed-Thu, Fri', () => {
    // p1 units 0,1; p2 0,1,2; p3 0; p5 0,1.
    expect(counts({ intervalCount: 2 })).toEqual([1, 2, 1]);
  });

  it('judges days in the project time zone', () => {
    // In UTC, p5's two events are both on Tuesday: one day; and p4's Saturday 00:00 CET is
    // Friday 23:00 UTC, inside the UTC range.
    const utc = evaluateStickiness(makeDataset(events), {
      ...base,
      timezone: 'UTC',
      dateRange: { fromMs: Date.UTC(2024, 2, 4), toMs: Date.UTC(2024, 2, 9) },
    });
    expect(utc[0]?.actorIds).toEqual(['p3', 'p4', 'p5']);
  });

  it('aggregates by tenant', () => {
    // tenant-a: Mon, Tue, Wed (p1 and p3 together) -> 3 days.
    const points = evaluateStickiness(makeDataset(events), {
      ...base,
      aggregation: { kind: 'group', groupTypeIndex: 0 },
    });
    expect(points.map((p) => p.count)).toEqual([0, 0, 1, 0, 0]);
  });
});

describe('stickiness by hour on the spring-forward day', () => {
  it('has 23 hour intervals, and 01:30 CET / 03:30 CEST are consecutive hours', () => {
    const dayStart = Date.parse('2024-03-30T23:00:00Z'); // Sunday 31 March, 00:00 CET
    const dst = [
      ev('p1', 'feature_used', Date.parse('2024-03-31T00:30:00Z')), // 01:30 CET
      ev('p1', 'feature_used', Date.parse('2024-03-31T01:30:00Z')), // 03:30 CEST
      ev('p2', 'feature_used', Date.parse('2024-03-31T01:10:00Z')), // 03:10 CEST
      ev('p2', 'feature_used', Date.parse('2024-03-31T01:50:00Z')), // 03:50 CEST, same hour
    ];
    const points = evaluateStickiness(makeDataset(dst), {
      ...base,
      interval: 'hour',
      dateRange: { fromMs: dayStart, toMs: dayStart + 23 * HOUR_MS },
    });
    expect(points).toHaveLength(23);
    expect(points.slice(0, 2).map((p) => p.actorIds)).toEqual([['p2'], ['p1']]);
  });
});
