import { describe, expect, it } from 'vitest';
import { runQuery } from '../../src/index.js';
import {
  DAY_MS,
  ev,
  HOUR_MS,
  MONDAY,
  makeDataset,
  makePerson,
  makeTenant,
} from '../reference/fixtures.js';
import { useLoadedDatasets } from '../seed-cases.js';

// Hand-computed lifecycles (the reference's own fixtures, §2.5) through the SQL engine, and
// PostHog's result shape. Range Monday 4 .. Thursday 7 March 2024 (Berlin); Sunday 3 March is
// the look-back day.

const day = (n: number, hour = 10): number => MONDAY + n * DAY_MS + hour * HOUR_MS;
const daily = makeDataset(
  [
    ...[-1, 0, 1, 3].map((n) => ev('p1', 'ticket_created', day(n))),
    ev('p2', 'ticket_created', day(0)),
    ev('p2', 'ticket_created', day(1)),
    ev('p3', 'ticket_created', day(-1)),
    ev('p4', 'ticket_created', day(2)),
    ev('p5', 'ticket_created', day(2)),
    ev('p5', 'ticket_created', day(3)),
    ev('p6', 'feature_used', day(0)),
    ev(null, 'ticket_created', day(0)),
  ],
  [
    makePerson('p1'),
    makePerson('p2', { createdAtMs: day(0, 9) }),
    makePerson('p3'),
    makePerson('p4', { createdAtMs: day(1, 9) }),
    makePerson('p5'),
  ],
);
const tenants = makeDataset(
  [
    ev('p1', 'ticket_created', day(1), {}, 'tenant-new'),
    ev('p2', 'ticket_created', day(1), {}, 'tenant-old'),
  ],
  [],
  [makeTenant('tenant-new', { createdAtMs: day(1, 8) }), makeTenant('tenant-old')],
);
const weekly = makeDataset([
  ev('a', 'ticket_created', MONDAY - 5 * DAY_MS),
  ev('a', 'ticket_created', day(1)),
  ev('b', 'ticket_created', MONDAY - 8 * DAY_MS),
]);

const db = useLoadedDatasets([daily, tenants, weekly]);

async function lifecycle(extra: Record<string, unknown> = {}, projectId = 1) {
  return runQuery(
    {
      kind: 'LifecycleQuery',
      series: [{ kind: 'EventsNode', event: 'ticket_created' }],
      interval: 'day',
      dateRange: { date_from: '2024-03-04', date_to: '2024-03-07' },
      ...extra,
    },
    {
      projectId,
      timezone: 'Europe/Berlin',
      now: Date.parse('2024-06-01T00:00:00Z'),
      runner: db().runner,
    },
  );
}

describe('lifecycle fixtures', () => {
  it('classifies each active day and reports dormant days as negative', async () => {
    const { results } = await lifecycle();
    expect(results.map((r) => [r.status, r.data])).toEqual([
      ['new', [1, 0, 0, 0]],
      ['returning', [1, 2, 0, 1]],
      ['resurrecting', [0, 0, 2, 1]],
      ['dormant', [-1, 0, -2, -1]],
    ]);
    expect(results[3]).toMatchObject({
      label: 'ticket_created - dormant',
      status: 'dormant',
      count: -4,
      days: ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07'],
    });
  });

  it("starts `all` at the day of the project's first event (Sunday 3 March)", async () => {
    const all = await lifecycle({ dateRange: { date_from: 'all', date_to: '2024-03-07' } });
    const fromSunday = await lifecycle({
      dateRange: { date_from: '2024-03-03', date_to: '2024-03-07' },
    });
    expect(all.results[0]?.days).toEqual([
      '2024-03-03',
      '2024-03-04',
      '2024-03-05',
      '2024-03-06',
      '2024-03-07',
    ]);
    expect(all.results).toEqual(fromSunday.results);
  });

  it('shows only the toggled statuses', async () => {
    const { results } = await lifecycle({
      lifecycleFilter: { toggledLifecycles: ['new', 'dormant'] },
    });
    expect(results.map((r) => r.status)).toEqual(['new', 'dormant']);
  });

  it('uses the group creation time for tenants', async () => {
    const { results } = await lifecycle({ aggregation_group_type_index: 0 }, 2);
    expect(results.map((r) => [r.status, r.data])).toEqual([
      ['new', [0, 1, 0, 0]],
      ['returning', [0, 0, 0, 0]],
      ['resurrecting', [0, 1, 0, 0]],
      ['dormant', [0, 0, -2, 0]],
    ]);
  });

  it('looks back one whole week for weekly lifecycle', async () => {
    const { results } = await lifecycle(
      { interval: 'week', dateRange: { date_from: '2024-03-04', date_to: '2024-03-17' } },
      3,
    );
    expect(results.map((r) => [r.status, r.data])).toEqual([
      ['new', [0, 0]],
      ['returning', [1, 0]],
      ['resurrecting', [0, 0]],
      ['dormant', [0, -1]],
    ]);
  });
});
