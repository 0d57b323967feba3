import { describe, expect, it } from 'vitest';
import { type FunnelStepResult, isQueryError, runQuery } from '../../src/index.js';
import {
  BERLIN,
  DAY_MS,
  ev,
  HOUR_MS,
  MONDAY,
  makeDataset,
  makePerson,
  makeTenant,
} from '../reference/fixtures.js';
import { useLoadedDatasets } from '../seed-cases.js';

// A PSA vendor's project: customers alice and carol at Acme, the vendor's QA account inside
// Acme's tenant (a test user), and bob in the vendor's own demo tenant (an internal tenant).
// The test-account filters exclude both by person email and by tenant property, as a vendor
// would set them; each insight counts alice and carol only. Days from Monday 4 March 2024.

const day = (n: number, hour = 10): number => MONDAY + n * DAY_MS + hour * HOUR_MS;
const person = (id: string, email: string) => makePerson(id, { properties: { email } });
const workday = (id: string, tenant: string) => [
  ev(id, 'user_logged_in', day(0, 9), {}, tenant),
  ev(id, 'ticket_created', day(0), {}, tenant),
  ev(id, 'ticket_resolved', day(1), {}, tenant),
  ev(id, 'ticket_created', day(1, 11), {}, tenant),
];
const vendor = makeDataset(
  [
    ...workday('alice', 'acme'),
    ...workday('qa', 'acme'),
    ...workday('bob', 'vendor-demo'),
    ev('carol', 'user_logged_in', day(0, 9), {}, 'acme'),
    ev('carol', 'ticket_created', day(0), {}, 'acme'),
  ],
  [
    person('alice', 'alice@acme.example'),
    person('carol', 'carol@acme.example'),
    person('qa', 'qa@vendor.example'),
    person('bob', 'bob@gmail.example'),
  ],
  [
    makeTenant('acme', { properties: { name: 'Acme' } }),
    makeTenant('vendor-demo', { properties: { name: 'Vendor demo', is_internal: 'yes' } }),
  ],
);
const db = useLoadedDatasets([vendor]);

const TEST_ACCOUNTS = [
  { type: 'person', key: 'email', operator: 'not_icontains', value: '@vendor.example' },
  { type: 'group', group_type_index: 0, key: 'is_internal', operator: 'is_not_set' },
];

async function run(query: Record<string, unknown>, testAccountFilters: unknown[] = TEST_ACCOUNTS) {
  return runQuery(query, {
    projectId: 1,
    timezone: BERLIN,
    now: Date.parse('2024-06-01T00:00:00Z'),
    runner: db().runner,
    testAccountFilters,
  });
}

const dateRange = { date_from: '2024-03-04', date_to: '2024-03-06' };
const created = {
  kind: 'TrendsQuery',
  series: [{ kind: 'EventsNode', event: 'ticket_created' }],
  dateRange,
  trendsFilter: { display: 'BoldNumber' },
};
const funnel = {
  kind: 'FunnelsQuery',
  series: [
    { kind: 'EventsNode', event: 'ticket_created' },
    { kind: 'EventsNode', event: 'ticket_resolved' },
  ],
  dateRange,
};
const retention = {
  kind: 'RetentionQuery',
  dateRange: { date_to: '2024-03-06' },
  retentionFilter: {
    targetEntity: { id: 'user_logged_in', type: 'events' },
    returningEntity: { id: 'ticket_created', type: 'events' },
    period: 'Day',
    totalIntervals: 3,
  },
};

const total = async (query: Record<string, unknown>) => {
  const response = (await run(query)) as { results: Array<{ aggregated_value?: number }> };
  return response.results[0]?.aggregated_value;
};
const steps = async (query: Record<string, unknown>) =>
  ((await run(query)).results as FunnelStepResult[]).map((step) => step.count);
const triangle = async (query: Record<string, unknown>) =>
  ((await run(query)) as { results: Array<{ values: Array<{ count: number }> }> }).results.map(
    (row) => row.values.map((v) => v.count),
  );

describe('filterTestAccounts fixtures', () => {
  it('a trend counts customer tickets, not those of the QA user or the internal tenant', async () => {
    expect(await total(created)).toBe(7);
    expect(await total({ ...created, filterTestAccounts: false })).toBe(7);
    expect(await total({ ...created, filterTestAccounts: true })).toBe(3);
  });

  it('a funnel enters and converts customers only', async () => {
    expect(await steps(funnel)).toEqual([4, 3]);
    expect(await steps({ ...funnel, filterTestAccounts: true })).toEqual([2, 1]);
  });

  it('a retention cohort holds customers only', async () => {
    expect(await triangle(retention)).toEqual([[4, 3, 0], [0, 0], [0]]);
    expect(await triangle({ ...retention, filterTestAccounts: true })).toEqual([
      [2, 1, 0],
      [0, 0],
      [0],
    ]);
  });

  it('a project without test-account filters answers as if the flag were off', async () => {
    expect(await run({ ...created, filterTestAccounts: true }, [])).toEqual(await run(created, []));
  });

  it('drills into the filtered insight: the actors behind the trend are the customers', async () => {
    const response = await run({
      kind: 'ActorsQuery',
      source: {
        kind: 'InsightActorsQuery',
        source: { ...created, filterTestAccounts: true },
        series: 0,
      },
      select: ['actor'],
    });
    const ids = (response.results as Array<[{ distinct_ids: string[] }]>).map(
      ([actor]) => actor.distinct_ids[0],
    );
    expect(ids.sort()).toEqual(['alice', 'carol']);
  });

  it('refuses the flag on a list, naming it, instead of ignoring it', async () => {
    const lists = [
      [{ kind: 'ActorsQuery', filterTestAccounts: true }, 'filterTestAccounts'],
      [
        { kind: 'GroupsQuery', group_type_index: 0, filterTestAccounts: true },
        'filterTestAccounts',
      ],
      [
        {
          kind: 'ActorsQuery',
          source: { kind: 'InsightActorsQuery', source: created, filterTestAccounts: true },
        },
        'source.filterTestAccounts',
      ],
    ] as const;
    for (const [query, path] of lists) {
      const error = await run(query).catch((e: unknown) => e);
      expect(isQueryError(error, 'invalid_query') && error.path).toBe(path);
    }
  });

  it('names the bad filter of the options', async () => {
    const bad = [TEST_ACCOUNTS[0], { type: 'person', key: 'email', operator: 'near' }];
    const error = await run(created, bad).catch((e: unknown) => e);
    expect(isQueryError(error, 'invalid_query') && error.path).toBe(
      'options.testAccountFilters[1].operator',
    );
  });
});
