import { describe, expect, it } from 'vitest';
import { runQuery } from '../../src/index.js';
import { DAY_MS, ev, HOUR_MS, MINUTE_MS, MONDAY, makeDataset } from '../reference/fixtures.js';
import { useLoadedDatasets } from '../seed-cases.js';

// Hand-computed stickiness (the reference's own fixtures, §2.4) through the SQL engine, and
// PostHog's result shape. Monday 4 .. Friday 8 March 2024 (Berlin, CET): five day intervals.

const day = (n: number, hour = 10): number => MONDAY + n * DAY_MS + hour * HOUR_MS;
const week = makeDataset([
  ev('p1', 'feature_used', day(0), {}, 'tenant-a'),
  ev('p1', 'feature_used', day(0, 11), {}, 'tenant-a'),
  ev('p1', 'feature_used', day(2), {}, 'tenant-a'),
  ...[0, 1, 2, 3, 4].map((n) => ev('p2', 'feature_used', day(n))),
  ev('p3', 'feature_used', day(1), {}, 'tenant-a'),
  ev('p4', 'feature_used', MONDAY - 1),
  ev('p4', 'feature_used', MONDAY + 5 * DAY_MS),
  ev('p5', 'feature_used', day(1, 23) + 30 * MINUTE_MS),
  ev('p5', 'feature_used', day(2, 0) + 30 * MINUTE_MS),
  ev('p6', 'ticket_created', day(0)),
]);
const dst = makeDataset([
  ev('p1', 'feature_used', Date.parse('2024-03-31T00:30:00Z')), // 01:30 CET
  ev('p1', 'feature_used', Date.parse('2024-03-31T01:30:00Z')), // 03:30 CEST
  ev('p2', 'feature_used', Date.parse('2024-03-31T01:10:00Z')), // 03:10 CEST
  ev('p2', 'feature_used', Date.parse('2024-03-31T01:50:00Z')), // 03:50 CEST, same hour
]);

// February and March 2024 (a leap year): for comparing months.
const months = makeDataset([
  ev('p1', 'feature_used', Date.parse('2024-02-10T10:00:00Z')),
  ev('p1', 'feature_used', Date.parse('2024-02-20T10:00:00Z')),
  ev('p2', 'feature_used', Date.parse('2024-02-29T10:00:00Z')),
  ev('p1', 'feature_used', Date.parse('2024-03-05T10:00:00Z')),
  ev('p3', 'feature_used', Date.parse('2024-04-01T10:00:00Z')),
]);

const db = useLoadedDatasets([week, dst, months]);

async function stickiness(
  extra: Record<string, unknown> = {},
  projectId = 1,
  timezone = 'Europe/Berlin',
) {
  return runQuery(
    {
      kind: 'StickinessQuery',
      series: [{ kind: 'EventsNode', event: 'feature_used' }],
      interval: 'day',
      dateRange: { date_from: '2024-03-04', date_to: '2024-03-08' },
      ...extra,
    },
    { projectId, timezone, now: Date.parse('2024-06-01T00:00:00Z'), runner: db().runner },
  );
}
const data = async (extra: Record<string, unknown> = {}) =>
  (await stickiness(extra)).results[0]?.data;

describe('stickiness fixtures', () => {
  it("starts `all` at the day of the project's first event (Sunday 3 March)", async () => {
    const all = await stickiness({ dateRange: { date_from: 'all', date_to: '2024-03-08' } });
    // p4's Sunday event now counts: p3 and p4 one day, p1 and p5 two, p2 five, of six days.
    expect([all.results[0]?.days, all.results[0]?.data]).toEqual([
      [1, 2, 3, 4, 5, 6],
      [2, 2, 0, 0, 1, 0],
    ]);
  });

  it('compares to the previous range: the same count of days just before', async () => {
    const { results } = await stickiness({
      dateRange: { date_from: '2024-03-05', date_to: '2024-03-08' },
      compareFilter: { compare: true },
    });
    // Tue-Fri: p1 and p3 one day, p5 two (23:30 and 00:30), p2 four. Fri 1-Mon 4: p4 on Sunday,
    // p1 and p2 on Monday, one day each.
    expect(results.map((r) => [r.compare_label, r.data, r.days])).toEqual([
      ['current', [2, 1, 0, 1], [1, 2, 3, 4]],
      ['previous', [3, 0, 0, 0], [1, 2, 3, 4]],
    ]);
    expect(results.every((r) => r.compare === true)).toBe(true);
    const plain = await stickiness({
      dateRange: { date_from: '2024-03-05', date_to: '2024-03-08' },
    });
    expect(plain.results.map((r) => r.compare)).toEqual([undefined]);
  });

  it('compares a month to the month before', async () => {
    const { results } = await stickiness(
      {
        interval: 'month',
        dateRange: { date_from: '2024-03-01', date_to: '2024-03-31' },
        compareFilter: { compare: true },
      },
      3,
    );
    // March: p1. February (back one month from 1 March and from 1 April): p1 and p2.
    expect(results.map((r) => [r.compare_label, r.data])).toEqual([
      ['current', [1]],
      ['previous', [2]],
    ]);
  });

  it('counts actors by the number of days they were active', async () => {
    const { results } = await stickiness();
    expect(results).toEqual([
      {
        action: { id: 'feature_used', type: 'events', order: 0 },
        label: 'feature_used',
        count: 4,
        data: [1, 2, 0, 0, 1],
        days: [1, 2, 3, 4, 5],
        labels: ['1 day', '2 days', '3 days', '4 days', '5 days'],
      },
    ]);
  });

  it('cumulative: n or more days', async () => {
    expect(await data({ stickinessFilter: { computedAs: 'cumulative' } })).toEqual([4, 3, 1, 1, 1]);
  });

  it('only counts intervals that meet the per-interval minimum', async () => {
    const stickinessFilter = { stickinessCriteria: { operator: 'gte', value: 2 } };
    expect(await data({ stickinessFilter })).toEqual([1, 0, 0, 0, 0]);
  });

  it('groups intervals: two-day units Mon-Tue, Wed-Thu, Fri', async () => {
    expect(await data({ intervalCount: 2 })).toEqual([1, 2, 1]);
  });

  it('judges days in the project time zone', async () => {
    // In UTC p5 is active on one day (Tuesday) and p4's Friday 23:00 UTC event is inside.
    const { results } = await stickiness({}, 1, 'UTC');
    expect(results[0]?.data).toEqual([3, 1, 0, 0, 1]);
  });

  it('aggregates by tenant', async () => {
    const series = [
      { kind: 'EventsNode', event: 'feature_used', math: 'unique_group', math_group_type_index: 0 },
    ];
    expect(await data({ series })).toEqual([0, 0, 1, 0, 0]);
  });

  it('has 23 hour intervals on the spring-forward day; 01:30 CET and 03:30 CEST are two', async () => {
    const { results } = await stickiness(
      { interval: 'hour', dateRange: { date_from: '2024-03-31', date_to: '2024-03-31' } },
      2,
    );
    expect(results[0]?.data).toHaveLength(23);
    expect(results[0]?.data.slice(0, 3)).toEqual([1, 1, 0]);
  });
});
