import { describe, expect, it } from 'vitest';
import { API_KEY, API_TARGETS, openTestTallyWithBatch, useApiTarget } from './helpers.js';

// The persons list through the query API, in-process and against `tally start` as a process: an
// ActorsQuery without source (PostHog's persons page) answers 200 with the project's persons, no
// longer 501. An anonymous visitor who logs in ($identify) is one person with both distinct ids;
// a personless event ($process_person_profile: false) made no person and is not listed.
// GroupsQuery lists the tenants the same way.

const START = Date.UTC(2026, 9, 5, 10); // Monday 2026-10-05, 10:00 UTC
const MINUTE = 60_000;
const DAY = 86_400_000;

const at = (ms: number): string => new Date(START + ms).toISOString();

const BATCH = [
  { event: 'page_viewed', distinct_id: 'anon-1', timestamp: at(0), properties: {} },
  { event: 'ticket_created', distinct_id: 'user-1', timestamp: at(MINUTE), properties: {} },
  {
    event: '$identify',
    distinct_id: 'user-1',
    timestamp: at(2 * MINUTE),
    properties: { $anon_distinct_id: 'anon-1', $set: { name: 'Ann Smith' } },
  },
  {
    event: 'ticket_created',
    distinct_id: 'user-2',
    timestamp: at(DAY),
    properties: { $set: { user_type: 'technician' } },
  },
  {
    event: 'page_viewed',
    distinct_id: 'visitor-9',
    timestamp: at(DAY),
    properties: { $process_person_profile: false },
  },
  {
    event: '$groupidentify',
    distinct_id: 'user-2',
    timestamp: at(DAY),
    properties: { $group_type: 'tenant', $group_key: 'tenant-7', $group_set: { name: 'Acme' } },
  },
];

interface Person {
  type: string;
  id: string;
  distinct_ids: string[];
  properties: Record<string, unknown>;
}

describe.each(API_TARGETS)('the persons list over the query API, %s', (name) => {
  const target = useApiTarget(name, () => openTestTallyWithBatch(BATCH));

  async function post(query: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const { fetch, base } = target();
    const response = await fetch(`${base}/api/projects/1/query`, {
      method: 'POST',
      body: JSON.stringify({ query }),
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  it('lists the persons newest first, a merged person once, no personless visitor', async () => {
    const { status, json } = await post({ kind: 'ActorsQuery' });
    expect(status, JSON.stringify(json)).toBe(200);
    expect(json).toMatchObject({
      kind: 'ActorsQuery',
      columns: ['actor', 'id', 'created_at'],
      hasMore: false,
      limit: 100,
      offset: 0,
    });
    const rows = json.results as [Person, string, string][];
    expect(rows.map(([person]) => person.distinct_ids)).toEqual([['user-2'], ['anon-1', 'user-1']]);
    expect(rows[0]?.[0]).toMatchObject({
      type: 'person',
      properties: { user_type: 'technician' },
    });
    expect(rows[0]?.[1]).toBe(rows[0]?.[0].id);
    expect(rows[1]?.[0].properties).toMatchObject({ name: 'Ann Smith' });
  });

  it('searches, filters and pages', async () => {
    // Emails are redacted at ingestion (privacy pipeline), so search finds a name here.
    const found = await post({
      kind: 'ActorsQuery',
      search: 'ann SMITH',
      select: ['distinct_ids'],
    });
    expect(found.json.results).toEqual([[['anon-1', 'user-1']]]);
    const technician = {
      type: 'person',
      key: 'user_type',
      operator: 'exact',
      value: 'technician',
    };
    const filtered = await post({
      kind: 'ActorsQuery',
      properties: [technician],
      select: ['distinct_ids'],
    });
    expect(filtered.json.results).toEqual([[['user-2']]]);
    const first = await post({ kind: 'ActorsQuery', limit: 1, orderBy: ['created_at ASC'] });
    expect(first.json).toMatchObject({ hasMore: true, limit: 1 });
  });

  it('answers 400 naming the field for what has no meaning without a source', async () => {
    const { status, json } = await post({ kind: 'ActorsQuery', orderBy: ['event_count DESC'] });
    expect(status).toBe(400);
    expect(json).toMatchObject({
      type: 'validation_error',
      code: 'invalid_query',
      attr: 'orderBy[0]',
    });
  });

  it("lists tenants with PostHog's GroupsQuery", async () => {
    const { status, json } = await post({ kind: 'GroupsQuery', group_type_index: 0 });
    expect(status, JSON.stringify(json)).toBe(200);
    expect(json).toMatchObject({
      kind: 'GroupsQuery',
      columns: ['group_name'],
      results: [[{ display_name: 'Acme', key: 'tenant-7' }]],
      hasMore: false,
    });
  });
});
