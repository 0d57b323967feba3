import { describe, expect, it } from 'vitest';
import { type RetentionResponse, runQuery } from '../../src/index.js';
import {
  DAY_MS,
  ev,
  HOUR_MS,
  MONDAY,
  makeDataset,
  makePerson,
  makeTenant,
} from '../reference/fixtures.js';
import { evaluateRetentionBreakdown, type RetentionSpec } from '../reference/retention.js';
import { useLoadedDatasets } from '../seed-cases.js';

// Hand-computed broken-down retention triangles (§2.3 with §2.1's limit, Other and None) through
// the SQL engine and the reference. Days from Monday 4 March 2024 (Berlin), cohorts days 0-3;
// start event user_logged_in (its `method` is the breakdown), return event ticket_created.
//
// Entries (actor, day, method): p1 0 sso; p2 0 password, 1 sso; p3 0 sso; p4 1 magic_link;
// p5 0 (none); p6 2 otp; p7 0 '' (None too); p8 3 webauthn and 3 totp.
// Weights: sso 3, None 2 (outside the limit), the others 1 each: with limit 2 sso and
// magic_link (first by name among the ties) keep their bucket; Other gets the rest.
// Returns (days): p1 1 (its method 'password' is not what counts) and 2; p2 2; p3 3; p4 2; p5 1;
// p7 3; p6 and p8 none.

const day = (n: number, hour = 10): number => MONDAY + n * DAY_MS + hour * HOUR_MS;
const login = (person: string, n: number, method?: string, tenant: string | null = null) =>
  ev(person, 'user_logged_in', day(n), method === undefined ? {} : { method }, tenant);
const ticket = (person: string, n: number, props: Record<string, unknown> = {}) =>
  ev(person, 'ticket_created', day(n, 15), props);

const data = makeDataset(
  [
    login('p1', 0, 'sso', 'tenant-a'),
    ticket('p1', 1, { method: 'password' }),
    ticket('p1', 2),
    login('p2', 0, 'password', 'tenant-a'),
    login('p2', 1, 'sso', 'tenant-a'),
    ticket('p2', 2),
    login('p3', 0, 'sso', 'tenant-b'),
    ticket('p3', 3),
    login('p4', 1, 'magic_link'),
    ticket('p4', 2),
    login('p5', 0),
    ticket('p5', 1),
    login('p6', 2, 'otp'),
    login('p7', 0, ''),
    ticket('p7', 3),
    ev('p8', 'user_logged_in', day(3, 9), { method: 'webauthn' }),
    ev('p8', 'user_logged_in', day(3, 11), { method: 'totp' }),
  ],
  [
    makePerson('p1', { properties: { plan: 'pro' } }),
    makePerson('p2', { properties: { plan: 'pro' } }),
    makePerson('p3', { properties: { plan: 'free' } }),
  ],
  [
    makeTenant('tenant-a', { properties: { plan: 'enterprise' } }),
    makeTenant('tenant-b', { properties: { plan: 'free' } }),
  ],
);

const db = useLoadedDatasets([data]);

const NOW = Date.parse('2024-06-01T00:00:00Z');
const cohorts = new Map<number, unknown>([
  [1, { is_static: true, distinct_ids: ['p1', 'p4'] }],
  [2, { is_static: true, distinct_ids: ['p1', 'p2'] }],
]);

async function retention(
  breakdownFilter: Record<string, unknown>,
  filter: Record<string, unknown> = {},
): Promise<RetentionResponse> {
  return runQuery(
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
      breakdownFilter,
    },
    { projectId: 1, timezone: 'Europe/Berlin', now: NOW, runner: db().runner, cohorts },
  );
}

/** breakdown_value -> its triangle (counts per cohort), in the order of the results. */
function triangles(response: RetentionResponse): Array<[string, number[][]]> {
  const byValue = new Map<string, number[][]>();
  for (const row of response.results) {
    const value = String(row.breakdown_value);
    byValue.set(value, [...(byValue.get(value) ?? []), row.values.map((v) => v.count)]);
  }
  return [...byValue.entries()];
}

const SPEC: RetentionSpec = {
  startEvent: { event: 'user_logged_in' },
  returnEvent: { event: 'ticket_created' },
  period: 'day',
  retentionType: 'recurring',
  totalPeriods: 4,
  fromMs: MONDAY,
  timezone: 'Europe/Berlin',
};
const referenceTriangles = (spec: Partial<RetentionSpec>, breakdown: RetentionSpec['breakdown']) =>
  evaluateRetentionBreakdown(data, {
    ...SPEC,
    ...spec,
    breakdown: breakdown ?? { type: 'event', key: 'method' },
  }).map((b): [string, number[][]] => [
    b.value === '$$_posthog_breakdown_null_$$'
      ? 'None'
      : b.value === '$$_posthog_breakdown_other_$$'
        ? 'Other'
        : b.value,
    b.cohorts.map((c) => c.values),
  ]);

const BY_METHOD: Array<[string, number[][]]> = [
  ['sso', [[2, 1, 1, 1], [1, 1, 0], [0, 0], [0]]],
  ['magic_link', [[0, 0, 0, 0], [1, 1, 0], [0, 0], [0]]],
  ['None', [[2, 1, 0, 1], [0, 0, 0], [0, 0], [0]]],
  ['Other', [[1, 0, 1, 0], [0, 0, 0], [1, 0], [1]]],
];

describe('retention breakdowns: hand-computed', () => {
  it('event property of the start event: kept values by weight, then None, then Other', async () => {
    const response = await retention({ breakdown: 'method', breakdown_limit: 2 });
    expect(triangles(response)).toEqual(BY_METHOD);
    expect(referenceTriangles({}, { type: 'event', key: 'method', limit: 2 })).toEqual(BY_METHOD);
  });

  it("answers in PostHog's shape: one row per (breakdown value, cohort) with breakdown_value", async () => {
    const { results } = await retention({ breakdown: 'method', breakdown_limit: 2 });
    expect(results).toHaveLength(16);
    expect(results[4]).toEqual({
      date: '2024-03-04T00:00:00+01:00',
      label: 'Day 0',
      values: [
        { count: 0, label: 'Day 0' },
        { count: 0, label: 'Day 1' },
        { count: 0, label: 'Day 2' },
        { count: 0, label: 'Day 3' },
      ],
      breakdown_value: 'magic_link',
      breakdown_bucket: 'value',
    });
    expect(results.map((r) => r.breakdown_bucket)).toEqual([
      ...Array(8).fill('value'),
      ...Array(4).fill('none'),
      ...Array(4).fill('other'),
    ]);
  });

  it('an actor folding two values into Other counts once in its cohort', async () => {
    // p8 logged in twice on day 3 (webauthn, totp): Other's day-3 cohort is 1, not 2.
    const other = triangles(await retention({ breakdown: 'method', breakdown_limit: 2 }))[3];
    expect(other?.[1][3]).toEqual([1]);
  });

  it('without a limit every value keeps its bucket; an actor counts under each of its values', async () => {
    const all = triangles(await retention({ breakdown: 'method' }));
    expect(all.map(([value]) => value)).toEqual([
      'sso',
      'magic_link',
      'otp',
      'password',
      'totp',
      'webauthn',
      'None',
    ]);
    expect(all.find(([value]) => value === 'password')?.[1][0]).toEqual([1, 0, 1, 0]);
    expect(all.find(([value]) => value === 'totp')?.[1][3]).toEqual([1]);
    expect(all.find(([value]) => value === 'webauthn')?.[1][3]).toEqual([1]);
  });

  it("takes PostHog's one-entry `breakdowns` form alike", async () => {
    const response = await retention({
      breakdowns: [{ property: 'method', type: 'event' }],
      breakdown_limit: 2,
    });
    expect(triangles(response)).toEqual(BY_METHOD);
  });

  it('hides Other when asked', async () => {
    const response = await retention({
      breakdown: 'method',
      breakdown_limit: 2,
      breakdown_hide_other_aggregation: true,
    });
    expect(triangles(response)).toEqual(BY_METHOD.slice(0, 3));
  });

  it('first time: the value of the first start event (p2: password, not its later sso)', async () => {
    const expected: Array<[string, number[][]]> = [
      ['sso', [[2, 1, 1, 1], [0, 0, 0], [0, 0], [0]]],
      ['magic_link', [[0, 0, 0, 0], [1, 1, 0], [0, 0], [0]]],
      ['None', [[2, 1, 0, 1], [0, 0, 0], [0, 0], [0]]],
      ['Other', [[1, 0, 1, 0], [0, 0, 0], [1, 0], [1]]],
    ];
    const response = await retention(
      { breakdown: 'method', breakdown_limit: 2 },
      { retentionType: 'retention_first_time' },
    );
    expect(triangles(response)).toEqual(expected);
    expect(
      referenceTriangles(
        { retentionType: 'first_time' },
        { type: 'event', key: 'method', limit: 2 },
      ),
    ).toEqual(expected);
  });

  it('cumulative: each bucket counts its actors on or after k', async () => {
    const sso = triangles(
      await retention({ breakdown: 'method', breakdown_limit: 2 }, { cumulative: true }),
    )[0];
    expect(sso).toEqual(['sso', [[2, 2, 2, 1], [1, 1, 0], [0, 0], [0]]]);
  });

  it('person and tenant properties, read through the start event', async () => {
    const byPlan: Array<[string, number[][]]> = [
      ['pro', [[2, 1, 2, 0], [1, 1, 0], [0, 0], [0]]],
      ['free', [[1, 0, 0, 1], [0, 0, 0], [0, 0], [0]]],
      ['None', [[2, 1, 0, 1], [1, 1, 0], [1, 0], [1]]],
    ];
    expect(triangles(await retention({ breakdown: 'plan', breakdown_type: 'person' }))).toEqual(
      byPlan,
    );
    expect(referenceTriangles({}, { type: 'person', key: 'plan' })).toEqual(byPlan);
    const byTenantPlan = byPlan.map(([v, t]): [string, number[][]] => [
      v === 'pro' ? 'enterprise' : v,
      t,
    ]);
    expect(
      triangles(
        await retention({
          breakdown: 'plan',
          breakdown_type: 'group',
          breakdown_group_type_index: 0,
        }),
      ),
    ).toEqual(byTenantPlan);
  });

  it('cohorts: one triangle per cohort in the order given, an actor in two cohorts in each', async () => {
    const response = await retention({ breakdown_type: 'cohort', breakdown: [1, 2, 'all'] });
    expect(triangles(response)).toEqual([
      ['1', [[1, 1, 1, 0], [1, 1, 0], [0, 0], [0]]],
      ['2', [[2, 1, 2, 0], [1, 1, 0], [0, 0], [0]]],
      ['all', [[5, 2, 2, 2], [2, 2, 0], [1, 0], [1]]],
    ]);
  });

  it('drills into one cell of one bucket: a value, None, Other (either name), a cohort', async () => {
    const actors = async (
      breakdownFilter: Record<string, unknown>,
      point: Record<string, unknown>,
    ) => {
      const response = (await runQuery(
        {
          kind: 'ActorsQuery',
          select: ['actor'],
          source: {
            kind: 'InsightActorsQuery',
            source: {
              kind: 'RetentionQuery',
              dateRange: { date_to: '2024-03-07' },
              retentionFilter: {
                targetEntity: { id: 'user_logged_in', type: 'events' },
                returningEntity: { id: 'ticket_created', type: 'events' },
                period: 'Day',
                totalIntervals: 4,
              },
              breakdownFilter,
            },
            ...point,
          },
        },
        { projectId: 1, timezone: 'Europe/Berlin', now: NOW, runner: db().runner, cohorts },
      )) as unknown as { results: Array<[{ distinct_ids: string[] }]> };
      return response.results.map(([actor]) => actor.distinct_ids[0]).sort();
    };
    const method = { breakdown: 'method', breakdown_limit: 2 };
    expect(await actors(method, { breakdown: 'sso', interval: 0 })).toEqual(['p1', 'p3']);
    expect(await actors(method, { breakdown: 'sso', interval: 0, intervalOffset: 1 })).toEqual([
      'p1',
    ]);
    expect(await actors(method, { breakdown: 'sso', interval: 1 })).toEqual(['p2']);
    expect(await actors(method, { breakdown: ['None'], interval: 0 })).toEqual(['p5', 'p7']);
    expect(await actors(method, { breakdown: 'Other', interval: 3 })).toEqual(['p8']);
    expect(
      await actors(method, {
        breakdown: '$$_posthog_breakdown_other_$$',
        interval: 0,
        intervalOffset: 2,
      }),
    ).toEqual(['p2']);
    // password folds into Other: it has no bucket of its own.
    expect(await actors(method, { breakdown: 'password', interval: 0 })).toEqual([]);
    const byCohort = { breakdown_type: 'cohort', breakdown: [1, 2] };
    expect(await actors(byCohort, { breakdown: '2', interval: 0, intervalOffset: 2 })).toEqual([
      'p1',
      'p2',
    ]);
  });

  it('refuses an unknown cohort and a breakdown without a group type, naming the field', async () => {
    await expect(retention({ breakdown_type: 'cohort', breakdown: [9] })).rejects.toMatchObject({
      code: 'invalid_query',
      path: 'breakdownFilter.breakdown',
    });
    await expect(retention({ breakdown: 'plan', breakdown_type: 'group' })).rejects.toMatchObject({
      code: 'invalid_query',
      path: 'breakdownFilter.breakdown_group_type_index',
    });
  });
});
