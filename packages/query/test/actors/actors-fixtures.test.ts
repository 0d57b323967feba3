import { describe, expect, it } from 'vitest';
import { type ActorObject, isQueryError, runQuery } from '../../src/index.js';
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

// Hand-computed drill-downs (issue 4: persons and tenants behind any data point): the Other and
// None buckets of a breakdown, a funnel's drop-off, lifecycle's dormant actors, a retention
// cell, tenants behind a unique_group point, a personless actor, and paging.
// MONDAY is 2024-03-04 00:00 Europe/Berlin.

const at = (day: number, hour = 10): number => MONDAY + day * DAY_MS + hour * HOUR_MS;

const breakdowns = makeDataset([
  ...['a', 'a', 'a', 'b', 'b', 'c', 'd'].map((v, i) =>
    ev(`p${i}`, 'ticket_created', at(0), { kind: v }),
  ),
  ev('p1', 'ticket_created', at(0), {}),
  ev('p2', 'ticket_created', at(0), { kind: null }),
  ev('p3', 'ticket_created', at(0), { kind: '' }),
  ev('px', 'ticket_created', at(0), { kind: 'c' }),
  ev('px', 'ticket_created', at(0), { kind: 'd' }),
]);

const funnel = makeDataset([
  ev('p1', 'ticket_created', at(0)),
  ev('p1', 'ticket_resolved', at(1)),
  ev('p2', 'ticket_created', at(0)),
  ev('p3', 'ticket_created', at(0)),
  ev('p3', 'ticket_resolved', at(20)), // outside the 14-day window: dropped off
  ev('p4', 'ticket_resolved', at(1)), // never entered
]);

const lifecycle = makeDataset(
  [
    ev('p1', 'ticket_created', at(0)),
    ev('p1', 'ticket_created', at(1)),
    ev('p2', 'ticket_created', at(0)),
    ev('p3', 'ticket_created', at(-1)),
    ev('p3', 'ticket_created', at(1)),
  ],
  [
    makePerson('p1', { createdAtMs: at(0, 9) }),
    makePerson('p2', { properties: { email: 'ann@example.com' } }),
    makePerson('p3', { properties: { name: 'Example Corp admin' } }),
  ],
);

const retention = makeDataset([
  ev('p1', 'ticket_created', at(0)),
  ev('p1', 'ticket_created', at(2)),
  ev('p1', 'ticket_created', at(2, 11)),
  ev('p2', 'ticket_created', at(0)),
  ev('p2', 'ticket_created', at(1)),
  ev('p3', 'ticket_created', at(0)),
  ev('p4', 'ticket_created', at(1)),
]);

const tenants = makeDataset(
  [
    ev('p1', 'ticket_created', at(0), {}, 't-acme'),
    ev('p2', 'ticket_created', at(0), {}, 't-acme'),
    ev('p3', 'ticket_created', at(0), {}, 't-globex'),
    ev('p4', 'ticket_created', at(0), {}, null),
    ev(null, 'ticket_created', at(0)),
  ],
  [],
  [makeTenant('t-acme', { properties: { plan: 'pro' } })],
);

const db = useLoadedDatasets([breakdowns, funnel, lifecycle, retention, tenants]);

interface Page {
  results: unknown[][];
  hasMore: boolean;
  columns: string[];
}

/** Static cohorts: 1 = p0 and p3, 2 = p1 and p3. */
const COHORTS = new Map([
  [1, { is_static: true, distinct_ids: ['p0', 'p3'] }],
  [2, { is_static: true, distinct_ids: ['p1', 'p3'] }],
]);

async function actors(projectId: number, source: unknown, extra: Record<string, unknown> = {}) {
  const response = await runQuery(
    { kind: 'ActorsQuery', source, ...extra },
    { projectId, timezone: 'Europe/Berlin', now: at(30), runner: db().runner, cohorts: COHORTS },
  );
  return response as unknown as Page;
}

/** A person by its first distinct id (the fixtures' person id), a group by its key. */
const nameOf = (actor: ActorObject): string =>
  actor.type === 'person' ? (actor.distinct_ids[0] ?? '?') : actor.id;
/** Names in the page's order: by event count (descending), then by id (a random UUID). */
const ordered = (page: Page): string[] => page.results.map((row) => nameOf(row[0] as ActorObject));
const names = (page: Page): string[] => ordered(page).sort();
const counts = (page: Page): Record<string, number> =>
  Object.fromEntries(page.results.map((row) => [nameOf(row[0] as ActorObject), row[1] as number]));

const DAYS = { date_from: '2024-03-04', date_to: '2024-03-07' };
const trends = (math: string, extra: Record<string, unknown> = {}) => ({
  kind: 'TrendsQuery',
  series: [{ kind: 'EventsNode', event: 'ticket_created', math, ...extra }],
  dateRange: DAYS,
});

describe('trends drill-down', () => {
  const broken = {
    ...trends('dau'),
    breakdownFilter: { breakdown: 'kind', breakdown_limit: 2 },
  };
  const point = (breakdown: unknown) => ({
    kind: 'InsightActorsQuery',
    source: broken,
    day: '2024-03-04',
    breakdown,
  });

  it('lists a kept value, None (missing, null, empty) and Other (the values past the limit)', async () => {
    expect(names(await actors(1, point('a')))).toEqual(['p0', 'p1', 'p2']);
    expect(names(await actors(1, point('None')))).toEqual(['p1', 'p2', 'p3']);
    const other = await actors(1, point('$$_posthog_breakdown_other_$$'));
    expect(counts(other)).toEqual({ px: 2, p5: 1, p6: 1 });
    expect(names(await actors(1, point('Other')))).toEqual(names(other));
  });

  it('lists a cohort of a cohort breakdown, and honours cohort filters', async () => {
    const byCohort = {
      kind: 'InsightActorsQuery',
      source: {
        ...trends('dau'),
        breakdownFilter: { breakdown_type: 'cohort', breakdown: [1, 'all'] },
      },
      day: '2024-03-04',
    };
    expect(names(await actors(1, { ...byCohort, breakdown: '1' }))).toEqual(['p0', 'p3']);
    expect(names(await actors(1, { ...byCohort, breakdown: 'all' }))).toHaveLength(8);
    await expect(actors(1, { ...byCohort, breakdown: '2' })).rejects.toSatisfy(
      (e) => isQueryError(e, 'invalid_query') && (e as Error).message.includes('source.breakdown'),
    );
    const filtered = {
      kind: 'InsightActorsQuery',
      source: { ...trends('total'), properties: [{ type: 'cohort', key: 'id', value: 1 }] },
      day: '2024-03-04',
    };
    expect(counts(await actors(1, filtered))).toEqual({ p0: 1, p3: 2 });
  });

  it('orders by event count then id, and pages with hasMore', async () => {
    const day = { kind: 'InsightActorsQuery', source: trends('total'), day: '2024-03-04' };
    const first = await actors(1, day, { limit: 2 });
    expect(first.hasMore).toBe(true);
    const rest = await actors(1, day, { limit: 100, offset: 2 });
    expect(rest.hasMore).toBe(false);
    const all = await actors(1, day, { limit: 100 });
    expect([...ordered(first), ...ordered(rest)]).toEqual(ordered(all));
    expect(counts(all)).toEqual({ p0: 1, p1: 2, p2: 2, p3: 2, p4: 1, p5: 1, p6: 1, px: 2 });
    // p1, p2, p3 and px (2 events) first, then the rest, each group by id.
    const keys = all.results.map((row) => ({
      n: row[1] as number,
      id: (row[0] as ActorObject).id,
    }));
    expect(keys).toEqual([...keys].sort((a, b) => b.n - a.n || (a.id < b.id ? -1 : 1)));
  });

  it('lists tenants for unique_group, with their properties', async () => {
    const page = await actors(5, {
      kind: 'InsightActorsQuery',
      source: trends('unique_group', { math_group_type_index: 0 }),
      day: '2024-03-04',
    });
    expect(page.results.map((r) => r[0])).toEqual([
      expect.objectContaining({ type: 'group', id: 't-acme', properties: { plan: 'pro' } }),
      expect.objectContaining({ type: 'group', id: 't-globex', properties: {} }),
    ]);
    expect(counts(page)).toEqual({ 't-acme': 2, 't-globex': 1 });
  });

  it('lists a personless event by its distinct id, as dau counts it', async () => {
    const day = await actors(5, {
      kind: 'InsightActorsQuery',
      source: trends('dau'),
      day: '2024-03-04',
    });
    expect(names(day)).toEqual(expect.arrayContaining(['anonymous', 'p1', 'p2', 'p3', 'p4']));
    expect(day.results).toHaveLength(5);
    const anonymous = day.results.find((r) => nameOf(r[0] as ActorObject) === 'anonymous');
    expect(anonymous?.[0]).toMatchObject({ is_personless: true, properties: {} });
  });
});

describe('funnel drill-down', () => {
  const source = {
    kind: 'FunnelsQuery',
    series: [
      { kind: 'EventsNode', event: 'ticket_created' },
      { kind: 'EventsNode', event: 'ticket_resolved' },
    ],
    dateRange: { date_from: '2024-03-04', date_to: '2024-03-31' },
  };

  it('lists who reached a step and who dropped off before it', async () => {
    const step = (funnelStep: number) => ({ kind: 'FunnelsActorsQuery', source, funnelStep });
    expect(names(await actors(2, step(1)))).toEqual(['p1', 'p2', 'p3']);
    expect(names(await actors(2, step(2)))).toEqual(['p1']);
    expect(names(await actors(2, step(-2)))).toEqual(['p2', 'p3']);
    const wrapped = { kind: 'InsightActorsQuery', source, funnelStep: -2 };
    expect(names(await actors(2, wrapped))).toEqual(['p2', 'p3']);
  });

  it("names an insight's own error by its path inside the ActorsQuery", async () => {
    const smoothed = { ...trends('dau'), trendsFilter: { smoothingIntervals: 3 } };
    await expect(
      actors(1, { kind: 'InsightActorsQuery', source: smoothed, day: '2024-03-04' }),
    ).rejects.toSatisfy(
      (e) =>
        isQueryError(e, 'not_implemented') &&
        (e as Error).message.includes('source.source.trendsFilter.smoothingIntervals'),
    );
  });

  it('refuses a bucket that is not in the insight', async () => {
    const outside = { kind: 'InsightActorsQuery', source: trends('dau'), day: '2024-05-01' };
    await expect(actors(5, outside)).rejects.toSatisfy((e) => isQueryError(e, 'invalid_query'));
  });

  it('lists the drop-offs of one cohort of a cohort breakdown', async () => {
    const byCohort = { ...source, breakdownFilter: { breakdown_type: 'cohort', breakdown: [2] } };
    const point = { kind: 'FunnelsActorsQuery', source: byCohort, funnelStepBreakdown: 2 };
    expect(names(await actors(2, { ...point, funnelStep: -2 }))).toEqual(['p3']);
    expect(names(await actors(2, { ...point, funnelStep: 1 }))).toEqual(['p1', 'p3']);
  });

  it('refuses a step that is not in the funnel, naming the field', async () => {
    await expect(
      actors(2, { kind: 'FunnelsActorsQuery', source, funnelStep: 3 }),
    ).rejects.toSatisfy(
      (e) => isQueryError(e, 'invalid_query') && (e as Error).message.includes('source.funnelStep'),
    );
  });
});

describe('lifecycle drill-down', () => {
  const source = {
    kind: 'LifecycleQuery',
    series: [{ kind: 'EventsNode', event: 'ticket_created' }],
    dateRange: DAYS,
  };
  const point = (day: string, status: string) => ({
    kind: 'InsightActorsQuery',
    source,
    day,
    status,
  });

  it('lists new, returning, resurrecting and dormant actors of a day', async () => {
    expect(names(await actors(3, point('2024-03-04', 'new')))).toEqual(['p1']);
    expect(names(await actors(3, point('2024-03-04', 'resurrecting')))).toEqual(['p2']);
    expect(names(await actors(3, point('2024-03-04', 'dormant')))).toEqual(['p3']);
    expect(names(await actors(3, point('2024-03-05', 'returning')))).toEqual(['p1']);
    expect(names(await actors(3, point('2024-03-05', 'resurrecting')))).toEqual(['p3']);
    const dormant = await actors(3, point('2024-03-05', 'dormant'));
    expect(counts(dormant)).toEqual({ p2: 0 });
    expect(names(await actors(3, point('2024-03-06', 'dormant')))).toEqual(['p1', 'p3']);
  });
});

describe('search', () => {
  const lifecycle = {
    kind: 'InsightActorsQuery',
    source: {
      kind: 'LifecycleQuery',
      series: [{ kind: 'EventsNode', event: 'ticket_created' }],
      dateRange: DAYS,
    },
    day: '2024-03-05',
  };

  it('finds persons by distinct id, email or name, ignoring case', async () => {
    const dormantOrNot = async (status: string, search: string) =>
      names(await actors(3, { ...lifecycle, status }, { search }));
    expect(await dormantOrNot('dormant', 'EXAMPLE')).toEqual(['p2']);
    expect(await dormantOrNot('resurrecting', 'example')).toEqual(['p3']);
    expect(await dormantOrNot('returning', 'P1')).toEqual(['p1']);
    expect(await dormantOrNot('returning', 'nobody')).toEqual([]);
  });

  it('finds personless actors by distinct id and tenants by key', async () => {
    const day = { kind: 'InsightActorsQuery', day: '2024-03-04' };
    const anonymous = await actors(5, { ...day, source: trends('dau') }, { search: 'anon' });
    expect(names(anonymous)).toEqual(['anonymous']);
    const tenants = await actors(
      5,
      { ...day, source: trends('unique_group', { math_group_type_index: 0 }) },
      { search: 'GLOB' },
    );
    expect(names(tenants)).toEqual(['t-globex']);
  });
});

describe('properties on the list', () => {
  const lifecycle = (status: string) => ({
    kind: 'InsightActorsQuery',
    source: {
      kind: 'LifecycleQuery',
      series: [{ kind: 'EventsNode', event: 'ticket_created' }],
      dateRange: DAYS,
    },
    day: '2024-03-05',
    status,
  });
  const filtered = async (status: string, properties: unknown[]) =>
    names(await actors(3, lifecycle(status), { properties }));

  it('keeps the persons whose properties or cohorts match, as insight filters read them', async () => {
    const email = { type: 'person', key: 'email', operator: 'icontains', value: 'EXAMPLE' };
    expect(await filtered('dormant', [email])).toEqual(['p2']);
    expect(await filtered('resurrecting', [email])).toEqual([]);
    expect(await filtered('resurrecting', [{ ...email, operator: 'is_not_set' }])).toEqual(['p3']);
    const cohort = { type: 'cohort', key: 'id', value: 2 };
    expect(await filtered('returning', [cohort])).toEqual(['p1']);
    expect(await filtered('dormant', [cohort])).toEqual([]);
    expect(await filtered('dormant', [{ ...cohort, operator: 'not_in' }])).toEqual(['p2']);
  });

  it("keeps the tenants whose own properties match, and refuses filters that are not the actor's", async () => {
    const tenants = {
      kind: 'InsightActorsQuery',
      source: trends('unique_group', { math_group_type_index: 0 }),
      day: '2024-03-04',
    };
    const plan = { type: 'group', group_type_index: 0, key: 'plan', value: 'pro' };
    expect(names(await actors(5, tenants, { properties: [plan] }))).toEqual(['t-acme']);
    const person = { type: 'person', key: 'email', operator: 'is_set' };
    await expect(actors(5, tenants, { properties: [person] })).rejects.toSatisfy(
      (e) => isQueryError(e, 'invalid_query') && (e as Error).message.includes('properties'),
    );
    const event = { type: 'event', key: 'priority', value: 'high' };
    await expect(actors(3, lifecycle('new'), { properties: [event] })).rejects.toSatisfy((e) =>
      isQueryError(e, 'invalid_query'),
    );
  });
});

describe('retention drill-down', () => {
  const source = (cumulative = false) => ({
    kind: 'RetentionQuery',
    dateRange: { date_to: '2024-03-06' },
    retentionFilter: {
      targetEntity: { id: 'ticket_created', type: 'events' },
      returningEntity: { id: 'ticket_created', type: 'events' },
      period: 'Day',
      totalIntervals: 3,
      retentionType: 'retention_first_time',
      cumulative,
    },
  });
  const cell = (interval: number, intervalOffset: number, cumulative = false) => ({
    kind: 'InsightActorsQuery',
    source: source(cumulative),
    interval,
    intervalOffset,
  });

  it('lists a cohort and the actors of one cell', async () => {
    expect(names(await actors(4, cell(0, 0)))).toEqual(['p1', 'p2', 'p3']);
    expect(names(await actors(4, cell(0, 1)))).toEqual(['p2']);
    const returned = await actors(4, cell(0, 2));
    expect(counts(returned)).toEqual({ p1: 2 });
    expect(names(await actors(4, cell(1, 0)))).toEqual(['p4']);
  });

  it('counts an actor in every earlier cell when cumulative', async () => {
    expect(names(await actors(4, cell(0, 1, true)))).toEqual(['p1', 'p2']);
  });

  it("gives each actor's appearances in its cohort's row, as PostHog's persons modal reads them", async () => {
    const appearances = async (cumulative: boolean) => {
      const page = await actors(4, cell(0, 0, cumulative), { select: ['person', 'appearances'] });
      return Object.fromEntries(page.results.map((row) => [nameOf(row[0] as ActorObject), row[1]]));
    };
    expect(await appearances(false)).toEqual({ p1: [0, 2], p2: [0, 1], p3: [0] });
    expect(await appearances(true)).toEqual({ p1: [0, 1, 2], p2: [0, 1], p3: [0] });
    await expect(
      actors(
        3,
        {
          kind: 'InsightActorsQuery',
          source: {
            kind: 'LifecycleQuery',
            series: [{ kind: 'EventsNode', event: 'ticket_created' }],
            dateRange: DAYS,
          },
          day: '2024-03-04',
          status: 'new',
        },
        { select: ['actor', 'appearances'] },
      ),
    ).rejects.toSatisfy(
      (e) => isQueryError(e, 'invalid_query') && (e as Error).message.includes('select[1]'),
    );
  });

  it('refuses a cell outside the triangle', async () => {
    await expect(actors(4, cell(1, 2))).rejects.toSatisfy((e) => isQueryError(e, 'invalid_query'));
  });
});
