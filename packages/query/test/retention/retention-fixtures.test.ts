import { describe, expect, it } from 'vitest';
import { runQuery } from '../../src/index.js';
import { DAY_MS, ev, HOUR_MS, MONDAY, makeDataset } from '../reference/fixtures.js';
import { useLoadedDatasets } from '../seed-cases.js';

// Hand-computed retention triangles (the reference's own fixtures, §2.3) through the SQL engine,
// and PostHog's result shape. Days from Monday 4 March 2024 (Berlin); start event
// user_logged_in, return event ticket_created.

const day = (n: number, hour = 10): number => MONDAY + n * DAY_MS + hour * HOUR_MS;
const daily = makeDataset([
  ev('p1', 'user_logged_in', day(0), { method: 'sso' }, 'tenant-a'),
  ev('p1', 'ticket_created', day(1)),
  ev('p1', 'ticket_created', day(3, 10)),
  ev('p1', 'ticket_created', day(3, 11)),
  ev('p2', 'user_logged_in', day(0), { method: 'password' }),
  ev('p2', 'user_logged_in', day(1), { method: 'sso' }),
  ev('p2', 'ticket_created', day(2)),
  ev('p3', 'user_logged_in', day(-3)),
  ev('p3', 'user_logged_in', day(1)),
  ev('p4', 'ticket_created', day(0)),
  ev('p5', 'ticket_created', day(1), {}, 'tenant-a'),
]);
// Week of Mon 25 Mar; Berlin springs forward on Sunday 31 Mar.
const week0 = Date.parse('2024-03-24T23:00:00Z');
const weekly = makeDataset([
  ev('a', 'user_logged_in', week0 + HOUR_MS),
  ev('a', 'ticket_created', Date.parse('2024-03-31T21:59:59.999Z')),
  ev('b', 'user_logged_in', week0 + HOUR_MS),
  ev('b', 'ticket_created', Date.parse('2024-03-31T22:00:00Z')),
]);

// Rolling windows: starts late or early in the day, returns just inside or outside 24 h of them.
const rolling = makeDataset([
  ev('r1', 'user_logged_in', day(0, 22)),
  ev('r1', 'ticket_created', day(1, 9)),
  ev('r1', 'ticket_created', day(2, 22)),
  ev('r2', 'user_logged_in', day(0, 8)),
  ev('r2', 'user_logged_in', day(0, 20)),
  ev('r2', 'ticket_created', day(1, 8) - 60_000),
  ev('r2', 'ticket_created', day(1, 8)),
  ev('r2', 'ticket_created', day(1, 20)),
  ev('r3', 'user_logged_in', day(2, 12)),
  ev('r3', 'ticket_created', day(4, 3)),
]);

const db = useLoadedDatasets([daily, weekly, rolling]);

const sso = [{ type: 'event', key: 'method', operator: 'exact', value: 'sso' }];

async function triangle(
  filter: Record<string, unknown>,
  extra: Record<string, unknown> = {},
  projectId = 1,
) {
  const response = await runQuery(
    {
      kind: 'RetentionQuery',
      dateRange: { date_to: '2024-03-07' },
      retentionFilter: {
        targetEntity: { id: 'user_logged_in', type: 'events' },
        returningEntity: { id: 'ticket_created', type: 'events' },
        period: 'Day',
        totalIntervals: 4,
        ...filter,
      },
      ...extra,
    },
    {
      projectId,
      timezone: 'Europe/Berlin',
      now: Date.parse('2024-06-01T00:00:00Z'),
      runner: db().runner,
    },
  );
  return response;
}
const values = async (filter: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  (await triangle(filter, extra)).results.map((r) => r.values.map((v) => v.count));

describe('retention fixtures', () => {
  it('recurring: an actor joins the cohort of every period it did the start event', async () => {
    expect(await values({})).toEqual([[2, 1, 1, 1], [2, 1, 0], [0, 0], [0]]);
  });

  it('first time: only the period of the first-ever start event, which may precede the range', async () => {
    expect(await values({ retentionType: 'retention_first_time' })).toEqual([
      [2, 1, 1, 1],
      [0, 0, 0],
      [0, 0],
      [0],
    ]);
  });

  it('first time with a filter: the first start event that matches it', async () => {
    const targetEntity = { id: 'user_logged_in', type: 'events', properties: sso };
    expect(await values({ retentionType: 'retention_first_time', targetEntity })).toEqual([
      [1, 1, 0, 1],
      [1, 1, 0],
      [0, 0],
      [0],
    ]);
    expect(
      await values({ retentionType: 'retention_first_ever_occurrence', targetEntity }),
    ).toEqual([[1, 1, 0, 1], [0, 0, 0], [0, 0], [0]]);
  });

  it('cumulative: returned in period k or any later one', async () => {
    expect(await values({ cumulative: true })).toEqual([[2, 2, 2, 1], [2, 1, 0], [0, 0], [0]]);
  });

  it('minimum occurrences: returns needed within one period', async () => {
    expect(await values({ minimumOccurrences: 2 })).toEqual([[2, 0, 0, 1], [2, 0, 0], [0, 0], [0]]);
  });

  it('aggregates by tenant: any member returning makes the tenant return', async () => {
    expect(await values({}, { aggregation_group_type_index: 0 })).toEqual([
      [1, 1, 0, 0],
      [0, 0, 0],
      [0, 0],
      [0],
    ]);
  });

  it("answers in PostHog's shape: one result per cohort, dated in the project's zone", async () => {
    const { kind, results } = await triangle({});
    expect(kind).toBe('RetentionQuery');
    expect(results[0]).toEqual({
      date: '2024-03-04T00:00:00+01:00',
      label: 'Day 0',
      values: [
        { count: 2, label: 'Day 0' },
        { count: 1, label: 'Day 1' },
        { count: 1, label: 'Day 2' },
        { count: 1, label: 'Day 3' },
      ],
    });
    expect(results.map((r) => r.label)).toEqual(['Day 0', 'Day 1', 'Day 2', 'Day 3']);
  });

  it('weekly periods follow local midnight across the DST switch', async () => {
    const { results } = await triangle(
      { period: 'Week', totalIntervals: 2 },
      { dateRange: { date_to: '2024-04-01' } },
      2,
    );
    expect(results.map((r) => [r.date, r.values.map((v) => v.count)])).toEqual([
      ['2024-03-25T00:00:00+01:00', [2, 1]],
      ['2024-04-01T00:00:00+02:00', [0]],
    ]);
  });

  it('24-hour windows: period k is the k-th 24 hours after the cohort start event', async () => {
    const rows = async (filter: Record<string, unknown>) =>
      (await triangle(filter, {}, 3)).results.map((r) => r.values.map((v) => v.count));
    // r1 starts at 22:00: 09:00 the next day is window 0, 22:00 two days on window 2. r2 starts
    // at 08:00 (its first login that day): 07:59 the next day is window 0, 08:00 window 1. r3's
    // window 1 runs past the last day, where its return falls.
    expect(await rows({ timeWindowMode: '24_hour_windows' })).toEqual([
      [2, 1, 1, 0],
      [0, 0, 0],
      [1, 1],
      [0],
    ]);
    // The same events in calendar days.
    expect(await rows({})).toEqual([[2, 2, 1, 0], [0, 0, 0], [1, 0], [0]]);
    expect(await rows({ timeWindowMode: '24_hour_windows', minimumOccurrences: 2 })).toEqual([
      [2, 1, 0, 0],
      [0, 0, 0],
      [1, 0],
      [0],
    ]);
  });

  it('refuses 24-hour windows with cumulative retention or months, naming the field', async () => {
    await expect(
      triangle({ timeWindowMode: '24_hour_windows', cumulative: true }),
    ).rejects.toMatchObject({ code: 'invalid_query', path: 'retentionFilter.cumulative' });
    await expect(
      triangle({ timeWindowMode: '24_hour_windows', period: 'Month' }),
    ).rejects.toMatchObject({ code: 'invalid_query', path: 'retentionFilter.timeWindowMode' });
  });
});
