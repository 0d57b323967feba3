import { describe, expect, it } from 'vitest';
import { BERLIN, DAY_MS, ev, HOUR_MS, MONDAY, makeDataset } from './fixtures.js';
import { evaluateRetention, type RetentionSpec } from './retention.js';

// Days from Monday 4 March 2024 (Berlin). Start event: user_logged_in; return: ticket_created.
const day = (n: number, hour = 10): number => MONDAY + n * DAY_MS + hour * HOUR_MS;
const events = [
  // p1: login Mon (sso); creates Tue, Thu, Thu -> returns at k1 and k3 (twice on Thu).
  ev('p1', 'user_logged_in', day(0), { method: 'sso' }, 'tenant-a'),
  ev('p1', 'ticket_created', day(1)),
  ev('p1', 'ticket_created', day(3, 10)),
  ev('p1', 'ticket_created', day(3, 11)),
  // p2: login Mon (password), login Tue (sso), creates Wed.
  ev('p2', 'user_logged_in', day(0), { method: 'password' }),
  ev('p2', 'user_logged_in', day(1), { method: 'sso' }),
  ev('p2', 'ticket_created', day(2)),
  // p3: first login ever on the Friday before the range, then Tue; never creates.
  ev('p3', 'user_logged_in', day(-3)),
  ev('p3', 'user_logged_in', day(1)),
  // p4: creates but never logs in -> in no cohort.
  ev('p4', 'ticket_created', day(0)),
  // tenant-a: p5 (same tenant as p1's login) creates on Tue.
  ev('p5', 'ticket_created', day(1), {}, 'tenant-a'),
];
const base: RetentionSpec = {
  startEvent: { event: 'user_logged_in' },
  returnEvent: { event: 'ticket_created' },
  period: 'day',
  retentionType: 'recurring',
  totalPeriods: 4,
  fromMs: MONDAY,
  timezone: BERLIN,
};
const values = (spec: Partial<RetentionSpec>): number[][] =>
  evaluateRetention(makeDataset(events), { ...base, ...spec }).map((c) => c.values);

describe('retention', () => {
  it('recurring: an actor joins the cohort of every period it did the start event', () => {
    // Mon {p1,p2}: Tue p1, Wed p2, Thu p1. Tue {p2,p3}: Wed p2, Thu nobody.
    expect(values({})).toEqual([[2, 1, 1, 1], [2, 1, 0], [0, 0], [0]]);
  });

  it('first time: only the period of the first-ever start event, which may precede the range', () => {
    // p3's first login is before the range, so it is in no cohort.
    expect(values({ retentionType: 'first_time' })).toEqual([[2, 1, 1, 1], [0, 0, 0], [0, 0], [0]]);
  });

  it('first time with a filter: the first start event that matches it', () => {
    const startEvent = {
      event: 'user_logged_in',
      properties: [
        { type: 'event' as const, key: 'method', operator: 'exact' as const, value: 'sso' },
      ],
    };
    // p1 Mon (sso); p2's first sso login is Tue -> cohort Tue, returns Wed.
    expect(values({ retentionType: 'first_time', startEvent })).toEqual([
      [1, 1, 0, 1],
      [1, 1, 0],
      [0, 0],
      [0],
    ]);
    // First ever: p2's very first login is a password one -> excluded.
    expect(values({ retentionType: 'first_ever', startEvent })).toEqual([
      [1, 1, 0, 1],
      [0, 0, 0],
      [0, 0],
      [0],
    ]);
  });

  it('cumulative: returned in period k or any later one', () => {
    // Mon: k1 p1 (Tue) + p2 (Wed); k2 p1 (Thu) + p2 (Wed); k3 p1. Tue: k1 p2, k2 nobody.
    expect(values({ cumulative: true })).toEqual([[2, 2, 2, 1], [2, 1, 0], [0, 0], [0]]);
  });

  it('minimum occurrences: returns needed within one period', () => {
    expect(values({ minimumOccurrences: 2 })).toEqual([[2, 0, 0, 1], [2, 0, 0], [0, 0], [0]]);
  });

  it('cohort size is period 0 and the actors are listed per cell', () => {
    const [mon] = evaluateRetention(makeDataset(events), base);
    expect(mon?.size).toBe(2);
    expect(mon?.periodStartMs).toBe(MONDAY);
    expect(mon?.actorIds).toEqual([['p1', 'p2'], ['p1'], ['p2'], ['p1']]);
  });

  it('aggregates by tenant: any member returning makes the tenant return', () => {
    const result = evaluateRetention(makeDataset(events), {
      ...base,
      aggregation: { kind: 'group', groupTypeIndex: 0 },
    });
    expect(result.map((c) => c.values)).toEqual([[1, 1, 0, 0], [0, 0, 0], [0, 0], [0]]);
  });

  it('weekly periods follow local midnight across the DST switch', () => {
    // Week of Mon 25 Mar. Sunday 31 Mar 23:59:59.999 CEST is still that week; 00:00 Monday is not.
    const week0 = Date.parse('2024-03-24T23:00:00Z');
    const weekly = [
      ev('a', 'user_logged_in', week0 + HOUR_MS),
      ev('a', 'ticket_created', Date.parse('2024-03-31T21:59:59.999Z')),
      ev('b', 'user_logged_in', week0 + HOUR_MS),
      ev('b', 'ticket_created', Date.parse('2024-03-31T22:00:00Z')),
    ];
    const result = evaluateRetention(makeDataset(weekly), {
      ...base,
      period: 'week',
      totalPeriods: 2,
      fromMs: week0,
    });
    expect(result.map((c) => [c.periodStartMs, c.values])).toEqual([
      [week0, [2, 1]],
      [Date.parse('2024-03-31T22:00:00Z'), [0]],
    ]);
    expect(result[0]?.actorIds[1]).toEqual(['b']);
  });
});
