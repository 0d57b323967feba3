import { describe, expect, it } from 'vitest';
import {
  isQueryError,
  queryCohortPersons,
  runQuery,
  type TrendsResponse,
} from '../../src/index.js';
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

// Hand-computed cohorts through the SQL engine (the reference's own fixture, cohorts.test.ts):
// window bounds, "at most" and a count of zero, negation, static lists with unknown ids, and
// cohort filters in every insight kind. Distinct id = person id in these fixtures.

const NOW = MONDAY + 30 * DAY_MS + 12 * HOUR_MS;
const data = makeDataset(
  [
    ...[1, 2, 3].map((d) => ev('p1', 'ticket_created', NOW - d * DAY_MS, {}, 'tenant-a')),
    ev('p1', 'user_logged_in', NOW - 40 * DAY_MS, {}, 'tenant-a'),
    ev('p2', 'ticket_created', NOW - 10 * DAY_MS, {}, 'tenant-b'),
    ev('p2', 'ticket_created', NOW - DAY_MS, {}, 'tenant-b'),
    ev('p3', 'ticket_created', NOW - 20 * DAY_MS, {}, 'tenant-x'),
    ev('p5', 'ticket_created', NOW - 7 * DAY_MS, {}, 'tenant-a'),
    ev('p5', 'ticket_created', NOW + HOUR_MS),
    ev(null, 'ticket_created', NOW - HOUR_MS, {}, 'tenant-b'),
  ],
  [
    makePerson('p1', { properties: { plan: 'pro', is_admin: true } }),
    makePerson('p2', { properties: { plan: 'free' } }),
    makePerson('p3'),
    makePerson('p4'),
    makePerson('p5'),
  ],
  // tenant-x is on p3's event but never stored.
  [
    makeTenant('tenant-a', { properties: { plan: 'enterprise' } }),
    makeTenant('tenant-b', { properties: { plan: 'free' } }),
  ],
);

const db = useLoadedDatasets([data]);

const behavioural = (value: string, extra: Record<string, unknown> = {}) => ({
  type: 'behavioral',
  key: 'ticket_created',
  value,
  time_value: 7,
  time_interval: 'day',
  ...extra,
});
const dynamic = (...values: unknown[]) => ({
  filters: { properties: { type: 'AND', values } },
});

async function members(definition: unknown, now = NOW): Promise<string[]> {
  const page = await queryCohortPersons(1, {
    projectId: 1,
    now,
    runner: db().runner,
    cohorts: new Map([[1, definition]]),
  });
  return page.results.flatMap((p) => p.distinct_ids).sort();
}

describe('cohort membership at the query’s now', () => {
  it('performed in the last 7 days: the lower bound is exclusive, events after now ignored', async () => {
    expect(await members(dynamic(behavioural('performed_event')))).toEqual(['p1', 'p2']);
    expect(await members(dynamic(behavioural('performed_event', { time_value: 8 })))).toEqual([
      'p1',
      'p2',
      'p5',
    ]);
    // An hour later p5's event at now + 1 h is in the window.
    expect(await members(dynamic(behavioural('performed_event')), NOW + HOUR_MS)).toEqual([
      'p1',
      'p2',
      'p5',
    ]);
  });

  it('"at most once" never matches a count of zero; negating "at least once" does', async () => {
    const multiple = (operator: string, operator_value: number, negation = false) =>
      dynamic(behavioural('performed_event_multiple', { operator, operator_value, negation }));
    expect(await members(multiple('lte', 1))).toEqual(['p2']);
    expect(await members(multiple('lte', 0))).toEqual([]);
    expect(await members(multiple('gte', 3))).toEqual(['p1']);
    expect(await members(multiple('exact', 2))).toEqual([]);
    expect(await members(multiple('gte', 1, true))).toEqual(['p3', 'p4', 'p5']);
  });

  it('first time and stopped doing', async () => {
    expect(await members(dynamic(behavioural('performed_event_first_time')))).toEqual(['p1']);
    const stopped = behavioural('stopped_performing_event', {
      time_value: 30,
      seq_time_value: 7,
      seq_time_interval: 'day',
    });
    expect(await members(dynamic(stopped))).toEqual(['p3', 'p5']);
  });

  it('person and tenant properties; a tenant never stored matches nothing', async () => {
    const person = { type: 'person', key: 'plan', operator: 'exact', value: 'pro' };
    expect(await members(dynamic(person))).toEqual(['p1']);
    expect(await members(dynamic({ ...person, negation: true }))).toEqual(['p2', 'p3', 'p4', 'p5']);
    const tenant = { type: 'group', group_type_index: 0, key: 'plan', operator: 'is_not_set' };
    // p3's only tenant (tenant-x) has no stored row: not "plan is not set".
    expect(await members(dynamic(tenant))).toEqual([]);
    expect(await members(dynamic({ ...tenant, operator: 'exact', value: 'enterprise' }))).toEqual([
      'p1',
      'p5',
    ]);
  });

  it('static lists keep known persons, by distinct id or person id, and page', async () => {
    const p1 = await queryCohortPersons(1, {
      projectId: 1,
      now: NOW,
      runner: db().runner,
      cohorts: new Map([[1, { is_static: true, distinct_ids: ['p1'] }]]),
    });
    const p1Id = p1.results[0]?.id ?? '';
    const list = {
      is_static: true,
      distinct_ids: ['p4', 'p2', 'ghost'],
      person_ids: [p1Id.toUpperCase(), 'not-a-uuid'],
    };
    expect(await members(list)).toEqual(['p1', 'p2', 'p4']);
    const page = (offset: number) =>
      queryCohortPersons(1, {
        projectId: 1,
        now: NOW,
        runner: db().runner,
        cohorts: new Map([[1, list]]),
        limit: 2,
        offset,
      });
    const [first, second] = [await page(0), await page(2)];
    expect([first.results.length, first.hasMore, second.results.length, second.hasMore]).toEqual([
      2,
      true,
      1,
      false,
    ]);
  });

  it('refuses an unknown cohort reference and cohorts that refer to each other', async () => {
    const failure = async (cohorts: Map<number, unknown>) =>
      queryCohortPersons(1, { projectId: 1, now: NOW, runner: db().runner, cohorts }).then(
        () => undefined,
        (error: unknown) => (isQueryError(error, 'invalid_query') ? error.detail : error),
      );
    const ref = (id: number) => dynamic({ type: 'cohort', key: 'id', value: id });
    expect(await failure(new Map())).toBe('unknown cohort 1');
    expect(await failure(new Map([[1, ref(9)]]))).toBe('unknown cohort 9');
    expect(
      await failure(
        new Map([
          [1, ref(2)],
          [2, ref(1)],
        ]),
      ),
    ).toBe('cohorts refer to each other');
  });
});

describe('cohort filters in insights', () => {
  // Cohort 1 = p1 (3 tickets this week); cohort 2 = static [p1] to compare with `plan = pro`.
  const cohorts = new Map<number, unknown>([
    [1, dynamic(behavioural('performed_event_multiple', { operator: 'gte', operator_value: 3 }))],
    [2, { is_static: true, distinct_ids: ['p1'] }],
  ]);
  const run = (query: Record<string, unknown>): Promise<TrendsResponse> =>
    runQuery(query, {
      projectId: 1,
      timezone: 'Europe/Berlin',
      now: NOW,
      runner: db().runner,
      cohorts,
    }) as Promise<TrendsResponse>;
  const tickets = (extra: Record<string, unknown> = {}) => ({
    kind: 'TrendsQuery',
    series: [{ kind: 'EventsNode', event: 'ticket_created', math: 'total' }],
    dateRange: { date_from: '-30d' },
    trendsFilter: { display: 'BoldNumber' },
    ...extra,
  });
  const cohort = (value: number, operator = 'in') => ({
    type: 'cohort',
    key: 'id',
    value,
    operator,
  });

  it('trends: in keeps the members’ events, not_in everyone else’s and personless ones', async () => {
    const count = async (extra: Record<string, unknown>) =>
      (await run(tickets(extra))).results[0]?.aggregated_value;
    // The range runs to the end of today, so p5's ticket an hour after now counts in the
    // trend, while p5's membership is judged on the events up to now.
    expect(await count({})).toBe(9);
    expect(await count({ properties: [cohort(1)] })).toBe(3);
    expect(await count({ properties: [cohort(1, 'not_in')] })).toBe(6);
    expect(
      await count({
        series: [
          {
            kind: 'EventsNode',
            event: 'ticket_created',
            math: 'total',
            properties: [cohort(1, 'not_in')],
          },
        ],
      }),
    ).toBe(6);
  });

  it('by tenant: the cohort filters events by their person', async () => {
    const tenants = async (properties: unknown[]) =>
      (
        await run(
          tickets({
            series: [
              {
                kind: 'EventsNode',
                event: 'ticket_created',
                math: 'unique_group',
                math_group_type_index: 0,
              },
            ],
            properties,
          }),
        )
      ).results[0]?.aggregated_value;
    expect(await tenants([])).toBe(3);
    expect(await tenants([cohort(1)])).toBe(1);
    // Not in the cohort: p2 (tenant-b), p3 (tenant-x), p5 (tenant-a) and the personless event.
    expect(await tenants([cohort(1, 'not_in')])).toBe(3);
  });

  it('trends breakdown: a bucket per cohort, all = everyone, an actor in several', async () => {
    const response = await run(
      tickets({ breakdownFilter: { breakdown_type: 'cohort', breakdown: [1, 2, 'all'] } }),
    );
    expect(response.results.map((r) => [r.breakdown_value, r.aggregated_value])).toEqual([
      ['1', 3],
      ['2', 3],
      ['all', 9],
    ]);
  });

  it('retention, stickiness and lifecycle: a cohort filter equals the same persons by property', async () => {
    const pro = { type: 'person', key: 'plan', operator: 'exact', value: 'pro' };
    const queries = (filter: unknown) => [
      {
        kind: 'RetentionQuery',
        properties: [filter],
        retentionFilter: {
          targetEntity: { id: 'ticket_created', type: 'events' },
          returningEntity: { id: 'ticket_created', type: 'events' },
          totalIntervals: 5,
        },
      },
      {
        kind: 'RetentionQuery',
        retentionFilter: {
          targetEntity: { id: 'ticket_created', type: 'events', properties: [filter] },
          totalIntervals: 5,
        },
      },
      {
        kind: 'StickinessQuery',
        series: [{ kind: 'EventsNode', event: 'ticket_created', properties: [filter] }],
        dateRange: { date_from: '-7d' },
      },
      {
        kind: 'LifecycleQuery',
        series: [{ kind: 'EventsNode', event: 'ticket_created' }],
        properties: [filter],
        dateRange: { date_from: '-7d' },
      },
      {
        kind: 'FunnelsQuery',
        series: [
          { kind: 'EventsNode', event: 'ticket_created', properties: [filter] },
          { kind: 'EventsNode', event: 'ticket_created' },
        ],
        dateRange: { date_from: '-30d' },
      },
    ];
    const byCohort = await Promise.all(queries(cohort(2)).map(run));
    const byProperty = await Promise.all(queries(pro).map(run));
    expect(byCohort).toEqual(byProperty);
    const all = await Promise.all(queries(cohort(2, 'not_in')).map(run));
    expect(all).not.toEqual(byCohort);
    expect(JSON.stringify(byCohort)).toMatch(/[1-9]/);
  });

  it('drill-down of a cohort-filtered trend lists the members behind the number', async () => {
    const response = (await runQuery(
      {
        kind: 'ActorsQuery',
        source: {
          kind: 'InsightActorsQuery',
          source: tickets({
            series: [{ kind: 'EventsNode', event: 'ticket_created', math: 'dau' }],
            properties: [cohort(1, 'not_in')],
          }),
        },
      },
      { projectId: 1, timezone: 'Europe/Berlin', now: NOW, runner: db().runner, cohorts },
    )) as unknown as { results: Array<[{ distinct_ids: string[] }]> };
    expect(response.results.flatMap(([actor]) => actor.distinct_ids).sort()).toEqual([
      'anonymous',
      'p2',
      'p3',
      'p5',
    ]);
  });

  it('refuses a deleted cohort naming the field and the id', async () => {
    const error = await run(tickets({ properties: [cohort(7)] })).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'invalid_query',
      status: 400,
      path: 'properties',
      detail: 'unknown cohort 7',
    });
  });
});
