import { describe, expect, it } from 'vitest';
import { API_KEY, API_TARGETS, openTestTallyWithBatch, useApiTarget } from './helpers.js';

// A TrendsQuery broken down by several properties at once (PostHog's `breakdowns`) through
// POST /api/projects/:id/query on data ingested through /batch/, in-process and against
// `tally start` as a real process.
//
// Tickets on Monday 2026-10-05 (priority, created_via): user-0 (high, email) x3, user-1
// (high, portal) x2, user-2 (high, no channel) x2, user-3 (low, email) x1, user-4 (none) x2.

const START = Date.UTC(2026, 9, 5, 10);

const ticket = (user: number, n: number, properties: Record<string, unknown>) =>
  Array.from({ length: n }, (_, i) => ({
    event: 'ticket_created',
    distinct_id: `user-${user}`,
    timestamp: new Date(START + user * 60_000 + i * 1000).toISOString(),
    properties: { $groups: { tenant: `tenant-${user % 2}` }, ...properties },
  }));

const BATCH = [
  ...ticket(0, 3, { priority: 'high', created_via: 'email' }),
  ...ticket(1, 2, { priority: 'high', created_via: 'portal' }),
  ...ticket(2, 2, { priority: 'high' }),
  ...ticket(3, 1, { priority: 'low', created_via: 'email' }),
  ...ticket(4, 2, {}),
];

const BREAKDOWNS = [
  { property: 'priority', type: 'event' },
  { property: 'created_via', type: 'event' },
];

describe.each(API_TARGETS)('TrendsQuery with several breakdowns over the API (%s)', (name) => {
  const target = useApiTarget(name, () => openTestTallyWithBatch(BATCH));

  async function query(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await target().fetch(`${target().base}/api/projects/1/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: body }),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }
  const trends = (breakdownFilter: Record<string, unknown>) =>
    query({
      kind: 'TrendsQuery',
      series: [{ kind: 'EventsNode', event: 'ticket_created', math: 'total' }],
      dateRange: { date_from: '2026-10-05', date_to: '2026-10-05' },
      trendsFilter: { display: 'BoldNumber' },
      breakdownFilter,
    });

  it('answers one result per kept combination, then None, then Other', async () => {
    const { status, json } = await trends({ breakdowns: BREAKDOWNS, breakdown_limit: 2 });
    expect(status).toBe(200);
    const results = json.results as Array<Record<string, unknown>>;
    expect(
      results.map((r) => [r.label, r.breakdown_value, r.breakdown_bucket, r.aggregated_value]),
    ).toEqual([
      ['ticket_created - high::email', ['high', 'email'], 'value', 3],
      // A tie (2 and 2): by the combination's text, "portal" before a missing value.
      ['ticket_created - high::portal', ['high', 'portal'], 'value', 2],
      ['ticket_created - None::None', ['None', 'None'], 'none', 2],
      ['ticket_created - Other::Other', ['Other', 'Other'], 'other', 3],
    ]);
  });

  it('names the field when there are more than 3 breakdowns', async () => {
    const { status, json } = await trends({ breakdowns: [...BREAKDOWNS, ...BREAKDOWNS] });
    expect(status).toBe(400);
    expect(json).toMatchObject({ code: 'invalid_query', attr: 'breakdownFilter.breakdowns' });
  });
});
