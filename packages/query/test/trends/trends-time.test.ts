import { describe, expect, it } from 'vitest';
import { BERLIN, DAY_MS, ev, HOUR_MS, MONDAY, makeDataset } from '../reference/fixtures.js';
import { zonedToUtc } from '../reference/time.js';
import { trends } from './fixtures.js';

// Hand-computed answers for §2.1's time edge cases (buckets, DST, total value, rolling
// windows), through the SQL.
// MONDAY is 2024-03-04 00:00 Europe/Berlin.

const at = (day: number, hour = 10): number => MONDAY + day * DAY_MS + hour * HOUR_MS;
const WEEK = { date_from: '2024-03-04', date_to: '2024-03-07' };
const series = (math = 'total', extra: Record<string, unknown> = {}) => [
  { kind: 'EventsNode', event: 'ticket_created', math, ...extra },
];

describe('buckets', () => {
  it('returns every bucket, empty ones as 0', async () => {
    const data = makeDataset([
      ev('p1', 'ticket_created', at(0)),
      ev('p1', 'ticket_created', at(2)),
    ]);
    const [result] = await trends(data, { series: series(), dateRange: WEEK });
    expect(result?.data).toEqual([1, 0, 1, 0]);
    expect(result?.days).toEqual(['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07']);
    expect(result?.labels[0]).toBe('4-Mar-2024');
    expect(result?.count).toBe(2);
  });

  it('puts an event at local midnight in the day that starts then', async () => {
    const data = makeDataset([
      ev('p1', 'ticket_created', MONDAY + DAY_MS),
      ev('p1', 'ticket_created', MONDAY + DAY_MS - 1),
    ]);
    const [result] = await trends(data, { series: series(), dateRange: WEEK });
    expect(result?.data).toEqual([1, 1, 0, 0]);
  });

  it('has 23 hours on the spring-forward day and 25 on the autumn one (Berlin)', async () => {
    const spring = zonedToUtc({ year: 2024, month: 3, day: 31 }, BERLIN);
    const autumn = zonedToUtc({ year: 2024, month: 10, day: 27 }, BERLIN);
    const data = makeDataset([
      ev('p1', 'ticket_created', spring + 2 * HOUR_MS + 5), // 03:00 CEST: third bucket
      ev('p1', 'ticket_created', autumn + 2 * HOUR_MS), // first 02:00 (CEST)
      ev('p1', 'ticket_created', autumn + 3 * HOUR_MS), // second 02:00 (CET)
    ]);
    const [march] = await trends(data, {
      series: series(),
      interval: 'hour',
      dateRange: { date_from: '2024-03-31', date_to: '2024-03-31' },
    });
    expect(march?.data).toHaveLength(23);
    expect(march?.data.slice(0, 3)).toEqual([0, 0, 1]);
    expect(march?.days.slice(1, 3)).toEqual([
      '2024-03-31T01:00:00+01:00',
      '2024-03-31T03:00:00+02:00',
    ]);
    const [october] = await trends(data, {
      series: series(),
      interval: 'hour',
      dateRange: { date_from: '2024-10-27', date_to: '2024-10-27' },
    });
    expect(october?.data).toHaveLength(25);
    expect(october?.data.slice(2, 4)).toEqual([1, 1]);
    expect(october?.days.slice(2, 4)).toEqual([
      '2024-10-27T02:00:00+02:00',
      '2024-10-27T02:00:00+01:00',
    ]);
    const [days] = await trends(data, {
      series: series(),
      dateRange: { date_from: '2024-10-26', date_to: '2024-10-28' },
    });
    expect(days?.data).toEqual([0, 2, 0]);
  });

  it('starts weeks on Monday by default and on Sunday when asked', async () => {
    const sunday = at(6); // Sunday 2024-03-10
    const data = makeDataset([ev('p1', 'ticket_created', sunday)]);
    const query = {
      series: series(),
      interval: 'week',
      dateRange: { date_from: '2024-03-04', date_to: '2024-03-17' },
    };
    const [monday] = await trends(data, query);
    expect(monday?.days).toEqual(['2024-03-04', '2024-03-11']);
    expect(monday?.data).toEqual([1, 0]);
    const [sundayStart] = await trends(data, query, { weekStartDay: 0 });
    expect(sundayStart?.days).toEqual(['2024-03-03', '2024-03-10', '2024-03-17']);
    expect(sundayStart?.data).toEqual([0, 1, 0]);
  });

  it('counts the whole first week and month, not only from date_from (PostHog adjusted start)', async () => {
    const data = makeDataset([
      ev('p1', 'ticket_created', at(0)),
      ev('p1', 'ticket_created', at(3)),
    ]);
    const [week] = await trends(data, {
      series: series(),
      interval: 'week',
      dateRange: { date_from: '2024-03-06', date_to: '2024-03-10' },
    });
    expect(week?.data).toEqual([2]);
  });
});

describe('total value', () => {
  it('recomputes unique users over the range instead of summing days', async () => {
    const data = makeDataset([
      ev('p1', 'ticket_created', at(0)),
      ev('p1', 'ticket_created', at(1)),
      ev('p2', 'ticket_created', at(1)),
    ]);
    const [bold] = await trends(data, {
      series: series('dau'),
      dateRange: WEEK,
      trendsFilter: { display: 'BoldNumber' },
    });
    expect(bold?.aggregated_value).toBe(2);
    const [line] = await trends(data, { series: series('dau'), dateRange: WEEK });
    expect(line?.data).toEqual([1, 2, 0, 0]);
    expect(line?.count).toBe(3);
  });

  it('averages a property over all events, not over the daily averages', async () => {
    const data = makeDataset([
      ev('p1', 'ticket_created', at(0), { n: 1 }),
      ev('p1', 'ticket_created', at(1), { n: 2 }),
      ev('p1', 'ticket_created', at(1), { n: 6 }),
    ]);
    const [bold] = await trends(data, {
      series: series('avg', { math_property: 'n' }),
      dateRange: WEEK,
      trendsFilter: { display: 'BoldNumber' },
    });
    expect(bold?.aggregated_value).toBe(3);
    const [line] = await trends(data, {
      series: series('avg', { math_property: 'n' }),
      dateRange: WEEK,
    });
    expect(line?.data).toEqual([1, 4, 0, 0]);
  });
});

describe('weekly and monthly active', () => {
  // For day d = Sunday 10 March: the window is Monday 4 March 00:00 .. Monday 11 March 00:00.
  const sunday = { date_from: '2024-03-10', date_to: '2024-03-11' };

  it('includes local midnight six days before and excludes the next midnight', async () => {
    const data = makeDataset([
      ev('in-first', 'ticket_created', MONDAY), // d - 6 at 00:00
      ev('before', 'ticket_created', MONDAY - 1), // d - 7, last millisecond
      ev('next-day', 'ticket_created', MONDAY + 7 * DAY_MS), // d + 1 at 00:00
    ]);
    const [wau] = await trends(data, { series: series('weekly_active'), dateRange: sunday });
    // 10 March: only `in-first`; 11 March (window from 5 March): only `next-day`.
    expect(wau?.data).toEqual([1, 1]);
  });

  it('is not the sum of daily users', async () => {
    const data = makeDataset([0, 1, 2, 3, 4, 5, 6].map((d) => ev('p1', 'ticket_created', at(d))));
    const [wau] = await trends(data, { series: series('weekly_active'), dateRange: sunday });
    expect(wau?.data).toEqual([1, 1]);
    const once = makeDataset([ev('p1', 'ticket_created', at(0))]);
    const [mau] = await trends(once, {
      series: series('monthly_active'),
      dateRange: { date_from: '2024-04-02', date_to: '2024-04-03' },
    });
    expect(mau?.data).toEqual([1, 0]); // 2 April's window reaches back to 4 March, 3 April's does not
  });

  it('counts the seven days before the end of the range in total value', async () => {
    const data = makeDataset([
      ev('early', 'ticket_created', at(0)),
      ev('late', 'ticket_created', at(9)),
    ]);
    const [bold] = await trends(data, {
      series: series('weekly_active'),
      dateRange: { date_from: '2024-03-04', date_to: '2024-03-13' },
      trendsFilter: { display: 'BoldNumber' },
    });
    expect(bold?.aggregated_value).toBe(1);
  });
});
