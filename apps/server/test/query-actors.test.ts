import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type Tally } from '../src/server.js';
import { API_KEY, inProcessFetch, openTestTally, TOKEN } from './helpers.js';

// Drill-down through the query API (issue 4): an ActorsQuery for a point of each insight, on
// data the ingestion server stored, in-process and once more over a real port. Five users in
// three tenants create tickets on day 0; users 0-2 get theirs resolved on day 1; users 0 and 3
// come back on day 7.

const DAY = 86_400_000;
const START = Date.UTC(2026, 9, 5, 10); // Monday 2026-10-05, 10:00 UTC
const RANGE = { date_from: '2026-10-05', date_to: '2026-10-18' };

function event(name: string, user: number, day: number, properties: Record<string, unknown> = {}) {
  return {
    event: name,
    distinct_id: `user-${user}`,
    timestamp: new Date(START + day * DAY + user * 60_000).toISOString(),
    properties: { $groups: { tenant: `tenant-${user % 3}` }, ...properties },
  };
}

interface ActorsPage {
  columns: string[];
  results: unknown[][];
  hasMore: boolean;
}

describe.each(['in-process', 'real port'] as const)(
  'ActorsQuery over the query API, %s',
  (mode) => {
    let tally: Tally;
    let base = 'http://tally.test';
    let fetchFn: typeof fetch;
    let close = async () => {};

    beforeAll(async () => {
      tally = await openTestTally();
      fetchFn = inProcessFetch(tally);
      if (mode === 'real port') {
        const listening = await listen(tally.app, 0, '127.0.0.1');
        base = listening.url;
        fetchFn = fetch;
        close = async () => {
          listening.server.close();
          await once(listening.server, 'close');
        };
      }
      const batch = [
        ...[0, 1, 2, 3, 4].map((u) => event('ticket_created', u, 0, { ticket_id: `t-${u}` })),
        ...[0, 1, 2].map((u) => event('ticket_resolved', u, 1, { ticket_id: `t-${u}` })),
        ...[0, 3].map((u) => event('ticket_created', u, 7, { ticket_id: `t-${u}-b` })),
        event('ticket_created', 0, 0, { ticket_id: 't-0-c' }),
        {
          event: '$groupidentify',
          distinct_id: 'user-0',
          timestamp: new Date(START).toISOString(),
          properties: {
            $group_type: 'tenant',
            $group_key: 'tenant-0',
            $group_set: { plan: 'pro' },
          },
        },
      ];
      const response = await fetchFn(`${base}/batch/`, {
        method: 'POST',
        body: JSON.stringify({ api_key: TOKEN, batch }),
      });
      expect(response.status).toBe(200);
    });
    afterAll(async () => {
      await close();
      await tally.close();
    });

    async function post(
      query: unknown,
    ): Promise<{ status: number; json: Record<string, unknown> }> {
      const response = await fetchFn(`${base}/api/projects/1/query`, {
        method: 'POST',
        body: JSON.stringify({ query }),
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    }

    async function actors(source: unknown, extra: Record<string, unknown> = {}) {
      const { status, json } = await post({ kind: 'ActorsQuery', source, ...extra });
      expect(status, JSON.stringify(json)).toBe(200);
      return json as unknown as ActorsPage;
    }

    const users = (page: ActorsPage): string[] =>
      page.results
        .map((row) => (row[0] as { distinct_ids: string[] }).distinct_ids[0] ?? '')
        .sort();
    const trends = (math: string, extra: Record<string, unknown> = {}) => ({
      kind: 'TrendsQuery',
      series: [{ kind: 'EventsNode', event: 'ticket_created', math, ...extra }],
      dateRange: RANGE,
    });

    it('lists the persons behind a daily point, with their event counts', async () => {
      const page = await actors({
        kind: 'InsightActorsQuery',
        source: trends('dau'),
        day: '2026-10-05',
      });
      expect(page.columns).toEqual(['actor', 'event_count']);
      expect(users(page)).toEqual(['user-0', 'user-1', 'user-2', 'user-3', 'user-4']);
      expect(page.results[0]).toEqual([
        expect.objectContaining({ type: 'person', distinct_ids: ['user-0'], properties: {} }),
        2,
      ]);
      expect(page.hasMore).toBe(false);
    });

    it('pages with limit, offset and hasMore', async () => {
      const source = { kind: 'InsightActorsQuery', source: trends('total'), day: '2026-10-05' };
      const first = await actors(source, { limit: 2 });
      const rest = await actors(source, { limit: 2, offset: 2 });
      const last = await actors(source, { limit: 2, offset: 4 });
      expect([first.hasMore, rest.hasMore, last.hasMore]).toEqual([true, true, false]);
      expect([...users(first), ...users(rest), ...users(last)].sort()).toHaveLength(5);
    });

    it('lists tenants for unique_group, with their properties', async () => {
      const page = await actors(
        {
          kind: 'InsightActorsQuery',
          source: {
            ...trends('unique_group', { math_group_type_index: 0 }),
            trendsFilter: { display: 'BoldNumber' },
          },
        },
        { select: ['id', 'event_count', 'actor'] },
      );
      expect(page.results.map((row) => [row[0], row[1]])).toEqual([
        ['tenant-0', 5],
        ['tenant-1', 2],
        ['tenant-2', 1],
      ]);
      expect(page.results[0]?.[2]).toMatchObject({ type: 'group', properties: { plan: 'pro' } });
    });

    it('lists who dropped off a funnel step, and a retention cell', async () => {
      const funnel = {
        kind: 'FunnelsQuery',
        series: [
          { kind: 'EventsNode', event: 'ticket_created' },
          { kind: 'EventsNode', event: 'ticket_resolved' },
        ],
        dateRange: RANGE,
      };
      const dropped = await actors({ kind: 'FunnelsActorsQuery', source: funnel, funnelStep: -2 });
      expect(users(dropped)).toEqual(['user-3', 'user-4']);
      const retention = {
        kind: 'RetentionQuery',
        dateRange: { date_to: '2026-10-18' },
        retentionFilter: {
          targetEntity: { id: 'ticket_created', type: 'events' },
          returningEntity: { id: 'ticket_created', type: 'events' },
          period: 'Week',
          totalIntervals: 2,
          retentionType: 'retention_first_time',
        },
      };
      const cell = await actors({
        kind: 'InsightActorsQuery',
        source: retention,
        interval: 0,
        intervalOffset: 1,
      });
      expect(users(cell)).toEqual(['user-0', 'user-3']);
    });

    it('names the field of a point that is not in the insight', async () => {
      const { status, json } = await post({
        kind: 'ActorsQuery',
        source: { kind: 'InsightActorsQuery', source: trends('dau'), day: '2027-01-01' },
      });
      expect(status).toBe(400);
      expect(json).toMatchObject({
        type: 'validation_error',
        code: 'invalid_query',
        attr: 'source.day',
      });
    });
  },
);
