import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tally } from '../src/server.js';
import { API_KEY, openTestTally, TOKEN } from './helpers.js';

// The query API on data the ingestion server stored: three tenants, five users, tickets that
// are created, assigned and resolved on fixed days.
let tally: Tally;
const DAY = 86_400_000;
const START = Date.UTC(2026, 9, 5, 10); // Monday 2026-10-05, 10:00 UTC

function event(event: string, user: number, day: number, properties: Record<string, unknown> = {}) {
  return {
    event,
    distinct_id: `user-${user}`,
    timestamp: new Date(START + day * DAY + user * 60_000).toISOString(),
    properties: { $groups: { tenant: `tenant-${user % 3}` }, ...properties },
  };
}

const ticket = (id: string) => ({
  ticket_id: id,
  created_via: 'email',
  priority: 'high',
  priority_id: 'p-1',
  board_id: 'b-1',
  has_category: true,
  has_subcategory: false,
  is_assigned: false,
  has_asset: false,
  has_description: true,
  used_template: false,
});

beforeAll(async () => {
  tally = await openTestTally();
  const batch = [
    // Users 0-4 each create a ticket on day 0; users 0-2 get theirs resolved on day 1;
    // users 0 and 3 come back on day 7.
    ...[0, 1, 2, 3, 4].map((u) => event('ticket_created', u, 0, ticket(`t-${u}`))),
    ...[0, 1, 2].map((u) =>
      event('ticket_resolved', u, 1, { ticket_id: `t-${u}`, time_to_resolution_minutes: 60 }),
    ),
    ...[0, 3].map((u) => event('ticket_created', u, 7, ticket(`t-${u}-b`))),
  ];
  const response = await tally.app.request('/batch/', {
    method: 'POST',
    body: JSON.stringify({ api_key: TOKEN, batch }),
  });
  expect(response.status).toBe(200);
});
afterAll(async () => {
  await tally.close();
});

async function query(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await tally.app.request('/api/projects/1/query', {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const RANGE = { date_from: '2026-10-05', date_to: '2026-10-18' };

describe('POST /api/projects/:id/query', () => {
  it.each([
    ['total', {}, 7],
    ['dau', {}, 5],
    ['unique_group', { math_group_type_index: 0 }, 3],
  ])('answers a BoldNumber TrendsQuery with math %s', async (math, extra, expected) => {
    const { status, json } = await query({
      query: {
        kind: 'TrendsQuery',
        series: [{ kind: 'EventsNode', event: 'ticket_created', math, ...extra }],
        dateRange: RANGE,
        trendsFilter: { display: 'BoldNumber' },
      },
    });
    expect(status).toBe(200);
    expect((json.results as Array<{ aggregated_value: number }>)[0]?.aggregated_value).toBe(
      expected,
    );
  });

  it('answers a daily trend with every day present', async () => {
    const { json } = await query({
      query: {
        kind: 'TrendsQuery',
        series: [{ kind: 'EventsNode', event: 'ticket_created' }],
        dateRange: RANGE,
        interval: 'day',
      },
    });
    const [series] = json.results as Array<{ data: number[] }>;
    expect(series?.data).toHaveLength(14);
    expect(series?.data[0]).toBe(5);
    expect(series?.data[7]).toBe(2);
    expect(series?.data.reduce((a, b) => a + b, 0)).toBe(7);
  });

  it('answers a FunnelsQuery with the list of steps and their counts', async () => {
    const { status, json } = await query({
      query: {
        kind: 'FunnelsQuery',
        series: [
          { kind: 'EventsNode', event: 'ticket_created' },
          { kind: 'EventsNode', event: 'ticket_resolved' },
        ],
        dateRange: RANGE,
      },
    });
    expect(status).toBe(200);
    expect((json.results as Array<{ count: number }>).map((s) => s.count)).toEqual([5, 3]);
  });

  it('answers a RetentionQuery', async () => {
    const { status, json } = await query({
      query: {
        kind: 'RetentionQuery',
        dateRange: { date_to: '2026-10-18' },
        retentionFilter: {
          targetEntity: { id: 'ticket_created', type: 'events' },
          returningEntity: { id: 'ticket_created', type: 'events' },
          period: 'Week',
          totalIntervals: 2,
          retentionType: 'retention_first_time',
        },
      },
    });
    expect(status).toBe(200);
    const [first] = json.results as Array<{ values: Array<{ count: number }> }>;
    expect(first?.values.map((v) => v.count)).toEqual([5, 2]);
  });

  it('names the field of an invalid query', async () => {
    const { status, json } = await query({
      query: {
        kind: 'TrendsQuery',
        series: [{ kind: 'EventsNode', event: 'x', math: 'nonsense' }],
      },
    });
    expect(status).toBe(400);
    expect(json).toMatchObject({
      type: 'validation_error',
      code: 'invalid_query',
      attr: 'series[0].math',
    });
  });

  it('needs a personal API key', async () => {
    const response = await tally.app.request('/api/projects/1/query', {
      method: 'POST',
      body: JSON.stringify({ query: {} }),
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(401);
  });
});
