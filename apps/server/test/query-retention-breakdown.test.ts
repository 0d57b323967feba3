import { describe, expect, it } from 'vitest';
import { API_KEY, API_TARGETS, openTestTallyWithBatch, useApiTarget } from './helpers.js';

// Broken-down RetentionQuery through POST /api/projects/:id/query on data ingested through
// /batch/, the same suite twice: in-process through app.fetch, and against `tally start` as a
// real process on the data dir prepared in-process.
//
// Logins (the start event, its catalogued `provider` is the breakdown) on days 0-1 from Monday
// 2026-10-05 10:00 UTC, tickets (the return event) on days 1-2: user-0 google (returns day 1),
// user-1 google (day 2), user-2 credentials (day 1), user-3 magic_link on day 1 (never
// returns), user-4 without a provider (day 1).

const DAY = 86_400_000;
const START = Date.UTC(2026, 9, 5, 10);

function event(name: string, user: number, day: number, properties: Record<string, unknown> = {}) {
  return {
    event: name,
    distinct_id: `user-${user}`,
    timestamp: new Date(START + day * DAY + user * 60_000).toISOString(),
    properties: { $groups: { tenant: `tenant-${user % 2}` }, ...properties },
  };
}

const BATCH = [
  event('user_logged_in', 0, 0, { provider: 'google' }),
  event('ticket_created', 0, 1),
  event('user_logged_in', 1, 0, { provider: 'google' }),
  event('ticket_created', 1, 2),
  event('user_logged_in', 2, 0, { provider: 'credentials' }),
  event('ticket_created', 2, 1),
  event('user_logged_in', 3, 1, { provider: 'magic_link' }),
  event('user_logged_in', 4, 0),
  event('ticket_created', 4, 1),
];

interface RetentionRow {
  date: string;
  breakdown_value?: string;
  values: Array<{ count: number }>;
}

describe.each(API_TARGETS)('RetentionQuery breakdowns over the API (%s)', (name) => {
  const target = useApiTarget(name, () => openTestTallyWithBatch(BATCH));

  async function call(
    path: string,
    body: unknown,
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await target().fetch(`${target().base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }
  const retention = (breakdownFilter: Record<string, unknown>) =>
    call('/api/projects/1/query', {
      query: {
        kind: 'RetentionQuery',
        dateRange: { date_to: '2026-10-07' },
        retentionFilter: {
          targetEntity: { id: 'user_logged_in', type: 'events' },
          returningEntity: { id: 'ticket_created', type: 'events' },
          period: 'Day',
          totalIntervals: 3,
        },
        breakdownFilter,
      },
    });
  const rows = (json: Record<string, unknown>) =>
    (json.results as RetentionRow[]).map((r) => [
      r.breakdown_value,
      r.date.slice(0, 10),
      r.values.map((v) => v.count),
    ]);

  it('breaks down by the start event property, with None and Other past the limit', async () => {
    const { status, json } = await retention({ breakdown: 'provider', breakdown_limit: 1 });
    expect(status).toBe(200);
    expect(json.kind).toBe('RetentionQuery');
    expect(rows(json)).toEqual([
      ['google', '2026-10-05', [2, 1, 1]],
      ['google', '2026-10-06', [0, 0]],
      ['google', '2026-10-07', [0]],
      ['None', '2026-10-05', [1, 1, 0]],
      ['None', '2026-10-06', [0, 0]],
      ['None', '2026-10-07', [0]],
      ['Other', '2026-10-05', [1, 1, 0]],
      ['Other', '2026-10-06', [1, 0]],
      ['Other', '2026-10-07', [0]],
    ]);
  });

  it('breaks down by cohort: one triangle per cohort and one for all users', async () => {
    const created = await call('/api/projects/1/cohorts', {
      name: 'Pilot',
      is_static: true,
      distinct_ids: ['user-0', 'user-3'],
    });
    expect(created.status).toBe(201);
    const id = created.json.id as number;
    const { status, json } = await retention({ breakdown_type: 'cohort', breakdown: [id, 'all'] });
    expect(status).toBe(200);
    expect(rows(json)).toEqual([
      [String(id), '2026-10-05', [1, 1, 0]],
      [String(id), '2026-10-06', [1, 0]],
      [String(id), '2026-10-07', [0]],
      ['all', '2026-10-05', [4, 3, 1]],
      ['all', '2026-10-06', [1, 0]],
      ['all', '2026-10-07', [0]],
    ]);
  });

  it('names the field of a group breakdown without its group type', async () => {
    const { status, json } = await retention({ breakdown: 'plan', breakdown_type: 'group' });
    expect(status).toBe(400);
    expect(json).toMatchObject({
      code: 'invalid_query',
      attr: 'breakdownFilter.breakdown_group_type_index',
    });
  });
});
