import { describe, expect, it } from 'vitest';
import {
  BERLIN,
  DAY_MS,
  ev,
  HOUR_MS,
  MONDAY,
  makeDataset,
  makePerson,
  makeTenant,
} from './fixtures.js';
import { evaluateLifecycle, type LifecycleSpec } from './lifecycle.js';

// Range Monday 4 .. Thursday 7 March 2024 (Berlin); Sunday 3 March is the look-back day.
const day = (n: number, hour = 10): number => MONDAY + n * DAY_MS + hour * HOUR_MS;
const events = [
  // p1 (old): Sun, Mon, Tue, Thu -> Mon returning, Tue returning, Wed dormant, Thu resurrecting.
  ...[-1, 0, 1, 3].map((n) => ev('p1', 'ticket_created', day(n))),
  // p2 (created Mon): Mon, Tue -> Mon new, Tue returning, Wed dormant.
  ev('p2', 'ticket_created', day(0)),
  ev('p2', 'ticket_created', day(1)),
  // p3 (old): only Sunday -> Mon dormant.
  ev('p3', 'ticket_created', day(-1)),
  // p4 (created Tue, first active Wed): Wed resurrecting (not new), Thu dormant.
  ev('p4', 'ticket_created', day(2)),
  // p5 (old): Wed, Thu -> Wed resurrecting, Thu returning.
  ev('p5', 'ticket_created', day(2)),
  ev('p5', 'ticket_created', day(3)),
  // Other events and personless events do not count.
  ev('p6', 'feature_used', day(0)),
  ev(null, 'ticket_created', day(0)),
];
const persons = [
  makePerson('p1'),
  makePerson('p2', { createdAtMs: day(0, 9) }),
  makePerson('p3'),
  makePerson('p4', { createdAtMs: day(1, 9) }),
  makePerson('p5'),
];
const base: LifecycleSpec = {
  series: { event: 'ticket_created' },
  dateRange: { fromMs: MONDAY, toMs: MONDAY + 4 * DAY_MS },
  interval: 'day',
  timezone: BERLIN,
};

describe('lifecycle', () => {
  it('classifies each active day and reports dormant days as negative', () => {
    const points = evaluateLifecycle(makeDataset(events, persons), base);
    expect(
      points.map((p) => [p.bucketStartMs, p.new, p.returning, p.resurrecting, p.dormant]),
    ).toEqual([
      [MONDAY, 1, 1, 0, -1],
      [MONDAY + DAY_MS, 0, 2, 0, 0],
      [MONDAY + 2 * DAY_MS, 0, 0, 2, -2],
      [MONDAY + 3 * DAY_MS, 0, 1, 1, -1],
    ]);
    expect(points[2]?.actorIds).toEqual({
      new: [],
      returning: [],
      resurrecting: ['p4', 'p5'],
      dormant: ['p1', 'p2'],
    });
  });

  it('uses the group creation time for tenants', () => {
    // tenant-new created Tue, active Tue -> new; tenant-old active Tue with nothing before -> resurrecting.
    const tenantEvents = [
      ev('p1', 'ticket_created', day(1), {}, 'tenant-new'),
      ev('p2', 'ticket_created', day(1), {}, 'tenant-old'),
    ];
    const groups = [makeTenant('tenant-new', { createdAtMs: day(1, 8) }), makeTenant('tenant-old')];
    const points = evaluateLifecycle(makeDataset(tenantEvents, [], groups), {
      ...base,
      aggregation: { kind: 'group', groupTypeIndex: 0 },
    });
    expect(points[1]?.actorIds).toEqual({
      new: ['tenant-new'],
      returning: [],
      resurrecting: ['tenant-old'],
      dormant: [],
    });
    expect(points[2]?.dormant).toBe(-2);
  });

  it('looks back one whole week for weekly lifecycle', () => {
    // Weeks from Mon 4 Mar; look-back week 26 Feb. a: active 28 Feb and 5 Mar -> returning.
    const weekly = [
      ev('a', 'ticket_created', MONDAY - 5 * DAY_MS),
      ev('a', 'ticket_created', day(1)),
      ev('b', 'ticket_created', MONDAY - 8 * DAY_MS),
    ];
    const points = evaluateLifecycle(makeDataset(weekly), {
      ...base,
      interval: 'week',
      dateRange: { fromMs: MONDAY, toMs: MONDAY + 14 * DAY_MS },
    });
    // b was active two weeks before: outside the look-back, nothing reported for it.
    expect(points.map((p) => [p.returning, p.dormant])).toEqual([
      [1, 0],
      [0, -1],
    ]);
  });
});
