import { HOT_COLUMNS } from '@tally/store';
import { describe, expect, it } from 'vitest';
import { HOT_PROPERTY_COLUMNS, type QueryError, runQuery } from '../../src/index.js';
import { DAY_MS, ev, HOUR_MS, MONDAY, makeDataset } from '../reference/fixtures.js';
import { trends } from './fixtures.js';

const ticket = { kind: 'EventsNode', event: 'ticket_created' };
const failing = async (
  query: unknown,
  options: Record<string, unknown> = {},
): Promise<QueryError> => {
  const error = await runQuery(query, {
    projectId: 1,
    timezone: 'Europe/Berlin',
    now: 0,
    runner: async () => [],
    ...options,
  }).catch((e: unknown) => e);
  return error as QueryError;
};

describe('runQuery', () => {
  it('answers the issue example: BoldNumber total, unique users, unique tenants', async () => {
    const data = makeDataset([
      ev('p1', 'ticket_created', MONDAY + HOUR_MS, {}, 't1'),
      ev('p1', 'ticket_created', MONDAY + DAY_MS, {}, 't1'),
      ev('p2', 'ticket_created', MONDAY + DAY_MS, {}, 't2'),
      ev('p3', 'ticket_created', MONDAY + DAY_MS, {}, 't2'),
    ]);
    const results = await trends(data, {
      series: [
        { ...ticket, math: 'total' },
        { ...ticket, math: 'dau' },
        { ...ticket, math: 'unique_group', math_group_type_index: 0 },
      ],
      dateRange: { date_from: '2024-03-01', date_to: '2024-03-10' },
      trendsFilter: { display: 'BoldNumber' },
    });
    expect(results.map((r) => r.aggregated_value)).toEqual([4, 3, 2]);
    expect(results[0]?.action).toMatchObject({ id: 'ticket_created', order: 0, math: 'total' });
  });

  it('smooths each line by the mean of its last n intervals, rounded down, as PostHog does', async () => {
    // Tickets per day from Monday: 3, 0, 4, 1, 0, 6.
    const perDay = [3, 0, 4, 1, 0, 6];
    const data = makeDataset(
      perDay.flatMap((n, day) =>
        Array.from({ length: n }, (_, i) =>
          ev(`p${i}`, 'ticket_created', MONDAY + day * DAY_MS + (i + 1) * HOUR_MS),
        ),
      ),
    );
    const query = (extra: Record<string, unknown>) => ({
      series: [ticket, { ...ticket, math: 'dau' }],
      dateRange: { date_from: '2024-03-04', date_to: '2024-03-09' },
      ...extra,
    });
    const data3 = (await trends(data, query({ trendsFilter: { smoothingIntervals: 3 } }))).map(
      (r) => r.data,
    );
    // (3)/1, (3+0)/2, (3+0+4)/3, (0+4+1)/3, (4+1+0)/3, (1+0+6)/3, each rounded down.
    expect(data3[0]).toEqual([3, 1, 2, 1, 1, 2]);
    expect(data3[1]).toEqual([3, 1, 2, 1, 1, 2]);
    const [smoothed] = await trends(data, query({ trendsFilter: { smoothingIntervals: 3 } }));
    expect(smoothed?.count).toBe(10);
    // 1 is no smoothing; a formula combines the smoothed series.
    const [plain] = await trends(data, query({ trendsFilter: { smoothingIntervals: 1 } }));
    expect(plain?.data).toEqual(perDay);
    const [formula] = await trends(
      data,
      query({ trendsFilter: { smoothingIntervals: 2, formula: 'A + B' } }),
    );
    expect(formula?.data).toEqual([6, 2, 4, 4, 0, 6]);
  });

  it('resolves relative dates against `now` in the project zone', async () => {
    const data = makeDataset([ev('p1', 'ticket_created', MONDAY + 10 * HOUR_MS)]);
    const now = MONDAY + 3 * DAY_MS + 12 * HOUR_MS; // Thursday noon
    const [result] = await trends(
      data,
      { series: [ticket], dateRange: { date_from: '-7d' } },
      { now },
    );
    expect(result?.days).toHaveLength(8);
    expect(result?.days.at(-1)).toBe('2024-03-07');
    expect(result?.data.at(-4)).toBe(1);
    const [all] = await trends(
      data,
      { series: [ticket], dateRange: { date_from: 'all' } },
      { now },
    );
    expect(all?.days[0]).toBe('2024-03-04');
  });

  it('keeps the store hot columns and the query engine in step', () => {
    expect(Object.fromEntries(HOT_COLUMNS.map((h) => [h.property, h.column]))).toEqual(
      HOT_PROPERTY_COLUMNS,
    );
  });

  it('refuses an unknown cohort (e.g. deleted) as invalid_query naming the field and id', async () => {
    const cohort = await failing({
      kind: 'TrendsQuery',
      series: [ticket],
      properties: [{ type: 'cohort', key: 'id', value: 3 }],
    });
    expect([cohort.code, cohort.path, cohort.status]).toEqual(['invalid_query', 'properties', 400]);
    expect(cohort.detail).toBe('unknown cohort 3');
    const breakdown = await failing({
      kind: 'TrendsQuery',
      series: [ticket],
      breakdownFilter: { breakdown: [3], breakdown_type: 'cohort' },
    });
    expect([breakdown.code, breakdown.path]).toEqual([
      'invalid_query',
      'breakdownFilter.breakdown',
    ]);
  });

  it('refuses bad options, zones and date ranges as invalid_query', async () => {
    expect(
      (await failing({ kind: 'TrendsQuery', series: [ticket] }, { timezone: 'Mars/Olympus' })).path,
    ).toBe('timezone');
    expect((await failing({ kind: 'TrendsQuery', series: [ticket] }, { projectId: 0 })).path).toBe(
      'options.projectId',
    );
    const backwards = await failing({
      kind: 'TrendsQuery',
      series: [ticket],
      dateRange: { date_from: '2024-03-10', date_to: '2024-03-01' },
    });
    expect([backwards.code, backwards.path]).toEqual(['invalid_query', 'dateRange']);
    const bad = await failing({
      kind: 'TrendsQuery',
      series: [ticket],
      dateRange: { date_from: 'last week' },
    });
    expect(bad.path).toBe('dateRange.date_from');
    const long = await failing({
      kind: 'TrendsQuery',
      series: [ticket],
      interval: 'hour',
      dateRange: { date_from: '2020-01-01', date_to: '2024-01-01' },
    });
    expect(long.path).toBe('interval');
  });

  it('reports a failing runner as execution_failed, the cause kept aside', async () => {
    const cause = new Error('Catalog Error: table events does not exist');
    const error = await failing(
      { kind: 'TrendsQuery', series: [ticket] },
      {
        runner: async () => {
          throw cause;
        },
      },
    );
    expect([error.code, error.status]).toEqual(['execution_failed', 500]);
    expect(error.message).not.toContain('Catalog');
    expect(error.cause).toBe(cause);
  });
});
