import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  ev,
  HOUR_MS,
  MONDAY,
  makeDataset,
  makePerson,
  makeTenant,
} from '../reference/fixtures.js';
import { dataByLabel, trends } from './fixtures.js';

// Hand-computed answers for §2.1's breakdowns, formulas, compare, actors and first-time math,
// through the SQL.
// MONDAY is 2024-03-04 00:00 Europe/Berlin.

const at = (day: number, hour = 10): number => MONDAY + day * DAY_MS + hour * HOUR_MS;
const WEEK = { date_from: '2024-03-04', date_to: '2024-03-07' };
const series = (math = 'total', extra: Record<string, unknown> = {}) => [
  { kind: 'EventsNode', event: 'ticket_created', math, ...extra },
];

describe('breakdowns', () => {
  const events = [
    ...['a', 'a', 'a', 'b', 'b', 'c', 'd'].map((v, i) =>
      ev(`p${i}`, 'ticket_created', at(0), { kind: v }),
    ),
    ev('p1', 'ticket_created', at(0), {}),
    ev('p2', 'ticket_created', at(0), { kind: null }),
    ev('p3', 'ticket_created', at(0), { kind: '' }),
    ev('px', 'ticket_created', at(0), { kind: 'c' }),
    ev('px', 'ticket_created', at(0), { kind: 'd' }),
  ];
  const day = { date_from: '2024-03-04', date_to: '2024-03-04' };

  it('keeps the top values, then None (missing, null, empty), then Other', async () => {
    const results = await trends(makeDataset(events), {
      series: series(),
      dateRange: day,
      breakdownFilter: { breakdown: 'kind', breakdown_limit: 2 },
    });
    expect(dataByLabel(results)).toEqual({
      'ticket_created - a': [3],
      'ticket_created - b': [2],
      'ticket_created - None': [3],
      'ticket_created - Other': [4],
    });
    expect(results.map((r) => r.breakdown_bucket)).toEqual(['value', 'value', 'none', 'other']);
  });

  it('recomputes unique users for Other rather than adding its values', async () => {
    const results = await trends(makeDataset(events), {
      series: series('dau'),
      dateRange: day,
      breakdownFilter: { breakdown: 'kind', breakdown_limit: 2 },
    });
    // c: p5, px; d: p6, px -> Other has 3 users, not 4.
    expect(dataByLabel(results)['ticket_created - Other']).toEqual([3]);
  });

  it('breaks down by tenant properties and hides Other on request', async () => {
    const data = makeDataset(
      [
        ev('p1', 'ticket_created', at(0), {}, 't1'),
        ev('p2', 'ticket_created', at(0), {}, 't2'),
        ev('p3', 'ticket_created', at(0), {}, 't3'),
        ev('p4', 'ticket_created', at(0)),
      ],
      [],
      [
        makeTenant('t1', { properties: { plan: 'pro' } }),
        makeTenant('t2', { properties: { plan: 'free' } }),
        makeTenant('t3', { properties: { plan: 'pro' } }),
      ],
    );
    const results = await trends(data, {
      series: series('unique_group', { math_group_type_index: 0 }),
      dateRange: day,
      breakdownFilter: {
        breakdown: 'plan',
        breakdown_type: 'group',
        breakdown_group_type_index: 0,
        breakdown_limit: 1,
        breakdown_hide_other_aggregation: true,
      },
    });
    expect(dataByLabel(results)).toEqual({
      'ticket_created - pro': [2],
      'ticket_created - None': [0],
    });
  });
});

describe('formulas and compare', () => {
  it('evaluates per interval with x/0 = 0 and sums the results into count (PostHog test)', async () => {
    const data = makeDataset([
      ev('p1', 'ticket_created', at(0)),
      ev('p1', 'ticket_created', at(1)),
      ...Array.from({ length: 1200 }, (_, i) => ev('p1', 'ticket_resolved', at(0) + i)),
      ...Array.from({ length: 1800 }, (_, i) => ev('p1', 'ticket_resolved', at(1) + i)),
    ]);
    const [result] = await trends(data, {
      series: [...series(), { kind: 'EventsNode', event: 'ticket_resolved' }],
      dateRange: { date_from: '2024-03-04', date_to: '2024-03-06' },
      trendsFilter: { formula: 'A / B' },
    });
    expect(result?.label).toBe('Formula (A / B)');
    expect(result?.data).toEqual([1 / 1200, 1 / 1800, 0]);
    expect(result?.count).toBeCloseTo(1 / 720, 12);
  });

  it('compares with the same number of intervals just before', async () => {
    const data = makeDataset([
      ev('p1', 'ticket_created', at(-4)),
      ev('p1', 'ticket_created', at(1)),
    ]);
    const results = await trends(data, {
      series: series(),
      dateRange: WEEK,
      compareFilter: { compare: true },
    });
    expect(results.map((r) => [r.compare_label, r.days[0], r.data])).toEqual([
      ['current', '2024-03-04', [0, 1, 0, 0]],
      ['previous', '2024-02-29', [1, 0, 0, 0]],
    ]);
  });
});

describe('compare_to', () => {
  it('moves the previous period back by the amount given', async () => {
    const data = makeDataset([
      ev('p1', 'ticket_created', at(-6)),
      ev('p1', 'ticket_created', at(-7)),
    ]);
    const results = await trends(data, {
      series: series(),
      dateRange: WEEK,
      compareFilter: { compare: true, compare_to: '-1w' },
    });
    expect(results.map((r) => [r.compare_label, r.days[0], r.data])).toEqual([
      ['current', '2024-03-04', [0, 0, 0, 0]],
      ['previous', '2024-02-26', [1, 1, 0, 0]],
    ]);
  });
});

describe('actors and first time', () => {
  it('counts a person once across merged distinct ids', async () => {
    const person = makePerson('p1', { distinctIds: ['anon-1', 'user-1'] });
    const as = (distinctId: string) => ({ ...ev('p1', 'ticket_created', at(0)), distinctId });
    const data = makeDataset([as('anon-1'), as('user-1'), as('user-1')], [person]);
    const [result] = await trends(data, { series: series('dau'), dateRange: WEEK });
    expect(result?.data).toEqual([1, 0, 0, 0]);
  });

  it('counts a first time only when the first event ever falls in the range and matches', async () => {
    const data = makeDataset([
      ev('old', 'ticket_created', at(-3), { priority: 'low' }),
      ev('old', 'ticket_created', at(1), { priority: 'high' }),
      ev('new', 'ticket_created', at(1), { priority: 'low' }),
      ev('new', 'ticket_created', at(2), { priority: 'high' }),
    ]);
    const high = [{ type: 'event', key: 'priority', value: 'high', operator: 'exact' }];
    const [first] = await trends(data, { series: series('first_time_for_user'), dateRange: WEEK });
    expect(first?.data).toEqual([0, 1, 0, 0]);
    const [firstHigh] = await trends(data, {
      series: series('first_time_for_user', { properties: high }),
      dateRange: WEEK,
    });
    expect(firstHigh?.data).toEqual([0, 0, 0, 0]);
    const [matching] = await trends(data, {
      series: series('first_matching_event_for_user', { properties: high }),
      dateRange: WEEK,
    });
    expect(matching?.data).toEqual([0, 1, 1, 0]);
  });

  it('counts personless events by distinct id', async () => {
    const data = makeDataset([
      { ...ev(null, 'ticket_created', at(0)), distinctId: 'visitor-1' },
      { ...ev(null, 'ticket_created', at(0)), distinctId: 'visitor-2' },
      { ...ev(null, 'ticket_created', at(0)), distinctId: 'visitor-2' },
    ]);
    const [result] = await trends(data, { series: series('dau'), dateRange: WEEK });
    expect(result?.data).toEqual([2, 0, 0, 0]);
  });
});
