import { describe, expect, it } from 'vitest';
import type { Tally } from '../src/server.js';
import { API_KEY, API_TARGETS, openTestTally, TOKEN, useApiTarget } from './helpers.js';

// Cohort CRUD and cohorts in queries, the same suite twice: in-process through app.fetch, and
// against `tally start` as a real process on a data dir prepared in-process (a second project,
// and events ingested through /batch/). Membership is judged at the server's real now, so the
// events are dated relative to it.

const DAY = 86_400_000;
const NOW = Date.now();

function event(name: string, user: number, daysAgo: number, set?: Record<string, unknown>) {
  return {
    event: name,
    distinct_id: `user-${user}`,
    timestamp: new Date(NOW - daysAgo * DAY - user * 60_000).toISOString(),
    properties: { $groups: { tenant: `tenant-${user % 2}` }, ...(set ? { $set: set } : {}) },
  };
}

/** users 0-1: 3 tickets this week (plan pro); user 2: one; user 3: one 20 days ago; user 4: none. */
const BATCH = [
  ...[0, 1].flatMap((u) => [1, 2, 3].map((d) => event('ticket_created', u, d, { plan: 'pro' }))),
  event('ticket_created', 2, 1, { plan: 'free' }),
  event('ticket_created', 3, 20),
  event('user_logged_in', 4, 1),
];

async function prepare(): Promise<Tally & { dataDir: string }> {
  const tally = await openTestTally();
  await tally.store.metadata.createProject({ name: 'other', token: 'phc_other_project_0002' });
  const response = await tally.app.request('/batch/', {
    method: 'POST',
    body: JSON.stringify({ api_key: TOKEN, batch: BATCH }),
  });
  expect(response.status).toBe(200);
  return tally;
}

const ticketsWeek = {
  type: 'behavioral',
  value: 'performed_event_multiple',
  key: 'ticket_created',
  operator: 'gte',
  operator_value: 3,
  time_value: 7,
  time_interval: 'day',
};

describe.each(API_TARGETS)('cohorts API (%s)', (name) => {
  const target = useApiTarget(name, prepare);

  async function call(
    method: string,
    path: string,
    body?: unknown,
    key = API_KEY,
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await target().fetch(`${target().base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text === '' ? {} : JSON.parse(text) };
  }
  const trends = (properties: unknown[], extra: Record<string, unknown> = {}) =>
    call('POST', '/api/projects/1/query', {
      query: {
        kind: 'TrendsQuery',
        series: [{ kind: 'EventsNode', event: 'ticket_created', math: 'dau' }],
        dateRange: { date_from: '-30d' },
        trendsFilter: { display: 'BoldNumber' },
        properties,
        ...extra,
      },
    });
  const value = (json: Record<string, unknown>) =>
    (json.results as Array<{ breakdown_value?: string; aggregated_value: number }>).map((r) =>
      r.breakdown_value === undefined
        ? r.aggregated_value
        : [r.breakdown_value, r.aggregated_value],
    );

  it('creates, reads, updates and deletes cohorts, and uses them in queries', async () => {
    const created = await call('POST', '/api/projects/1/cohorts', {
      name: 'Busy this week',
      description: 'three tickets or more',
      filters: { properties: { type: 'AND', values: [ticketsWeek] } },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: 'Busy this week',
      description: 'three tickets or more',
      is_static: false,
      is_calculating: false,
      filters: { properties: { type: 'AND', values: [ticketsWeek] } },
    });
    const busy = created.json.id as number;
    const pilot = await call('POST', '/api/projects/1/cohorts', {
      name: 'Pilot',
      is_static: true,
      distinct_ids: ['user-2', 'user-4', 'nobody'],
    });
    expect(pilot.status).toBe(201);
    const pilotId = pilot.json.id as number;

    const list = await call('GET', '/api/projects/1/cohorts');
    // Each cohort's count is its persons now: users 0 and 1; users 2 and 4 ("nobody" is no one).
    expect([
      list.json.count,
      (list.json.results as Array<{ id: number; count: number }>).map((c) => [c.id, c.count]),
    ]).toEqual([
      2,
      [
        [busy, 2],
        [pilotId, 2],
      ],
    ]);
    expect([created.json.count, pilot.json.count]).toEqual([2, 2]);
    const read = await call('GET', `/api/projects/1/cohorts/${busy}`);
    expect([read.json.name, read.json.count]).toEqual(['Busy this week', 2]);

    // Members, one page at a time.
    const page = await call('GET', `/api/projects/1/cohorts/${busy}/persons?limit=1`);
    expect(page.status).toBe(200);
    expect(page.json.next).toBe(`/api/projects/1/cohorts/${busy}/persons?limit=1&offset=1`);
    const rest = await call('GET', page.json.next as string);
    const ids = [...(page.json.results as never[]), ...(rest.json.results as never[])].map(
      (p: { distinct_ids: string[] }) => p.distinct_ids,
    );
    expect(ids.flat().sort()).toEqual(['user-0', 'user-1']);
    expect(rest.json.next).toBeNull();
    const pilotPersons = await call('GET', `/api/projects/1/cohorts/${pilotId}/persons`);
    expect(
      (pilotPersons.json.results as Array<{ distinct_ids: string[] }>).flatMap(
        (p) => p.distinct_ids,
      ),
    ).toEqual(expect.arrayContaining(['user-2', 'user-4']));
    expect((pilotPersons.json.results as unknown[]).length).toBe(2);

    // In a query: as a filter, negated, and as a breakdown with "all".
    const cohort = (id: number, operator = 'in') => ({
      type: 'cohort',
      key: 'id',
      value: id,
      operator,
    });
    expect(value((await trends([])).json)).toEqual([4]);
    expect(value((await trends([cohort(busy)])).json)).toEqual([2]);
    expect(value((await trends([cohort(busy, 'not_in')])).json)).toEqual([2]);
    expect(value((await trends([cohort(pilotId)])).json)).toEqual([1]);
    const broken = await trends([], {
      breakdownFilter: { breakdown_type: 'cohort', breakdown: [busy, pilotId, 'all'] },
    });
    expect(value(broken.json)).toEqual([
      [String(busy), 2],
      [String(pilotId), 1],
      ['all', 4],
    ]);

    // PATCH: rename, and a new definition checked whole.
    const renamed = await call('PATCH', `/api/projects/1/cohorts/${busy}`, {
      name: 'Busy',
      filters: { properties: { type: 'AND', values: [{ ...ticketsWeek, operator_value: 1 }] } },
    });
    expect(renamed.json).toMatchObject({
      id: busy,
      name: 'Busy',
      description: 'three tickets or more',
      count: 3,
    });
    expect(value((await trends([cohort(busy)])).json)).toEqual([3]);
    const toStatic = await call('PATCH', `/api/projects/1/cohorts/${pilotId}`, {
      distinct_ids: ['user-3'],
    });
    expect([toStatic.status, toStatic.json.count]).toEqual([200, 1]);
    expect(value((await trends([cohort(pilotId)])).json)).toEqual([1]);

    // Deleting a cohort in use: the query then names the unknown cohort, and a cohort built
    // on it still reads, without a count.
    const onBusy = await call('POST', '/api/projects/1/cohorts', {
      name: 'Busy pilots',
      filters: { properties: { type: 'AND', values: [cohort(busy)] } },
    });
    expect([onBusy.status, onBusy.json.count]).toEqual([201, 3]);
    expect((await call('DELETE', `/api/projects/1/cohorts/${busy}`)).status).toBe(204);
    const orphan = await call('GET', `/api/projects/1/cohorts/${onBusy.json.id}`);
    expect([orphan.status, orphan.json.count]).toEqual([200, null]);
    expect((await call('GET', `/api/projects/1/cohorts/${busy}`)).status).toBe(404);
    const stale = await trends([cohort(busy)]);
    expect(stale.status).toBe(400);
    expect(stale.json).toMatchObject({ code: 'invalid_query', attr: 'properties' });
    expect(stale.json.detail).toContain(`unknown cohort ${busy}`);
  });

  it('answers 400 naming the field of a bad definition', async () => {
    const bad = await call('POST', '/api/projects/1/cohorts', {
      name: 'x',
      filters: { properties: { type: 'AND', values: [{ ...ticketsWeek, time_interval: 'eon' }] } },
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({
      type: 'validation_error',
      code: 'invalid_body',
      attr: 'filters.properties.values[0].time_interval',
    });
    const nameless = await call('POST', '/api/projects/1/cohorts', { is_static: true });
    expect([nameless.status, nameless.json.attr]).toEqual([400, 'name']);
    const listOnDynamic = await call('POST', '/api/projects/1/cohorts', {
      name: 'x',
      filters: { properties: { type: 'AND', values: [] } },
      distinct_ids: ['a'],
    });
    expect([listOnDynamic.status, listOnDynamic.json.attr]).toEqual([400, 'distinct_ids']);
  });

  it("answers 404 for another project's cohort and 401 without a personal key", async () => {
    const mine = await call('POST', '/api/projects/1/cohorts', { name: 'm', is_static: true });
    const id = mine.json.id as number;
    for (const [method, path] of [
      ['GET', `/api/projects/2/cohorts/${id}`],
      ['PATCH', `/api/projects/2/cohorts/${id}`],
      ['DELETE', `/api/projects/2/cohorts/${id}`],
      ['GET', `/api/projects/2/cohorts/${id}/persons`],
      ['GET', '/api/projects/1/cohorts/abc'],
    ] as const) {
      const response = await call(method, path, method === 'PATCH' ? { name: 'n' } : undefined);
      expect([path, response.status]).toEqual([path, 404]);
    }
    expect((await call('GET', '/api/projects/2/cohorts')).json.count).toBe(0);
    expect((await call('GET', '/api/projects/1/cohorts', undefined, TOKEN)).status).toBe(401);
  });
});
