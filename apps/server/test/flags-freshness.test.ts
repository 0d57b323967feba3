import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tally } from '../src/server.js';
import { API_KEY, openTestTally, TOKEN } from './helpers.js';

// Remote evaluation keeps each project's flag setup between calls, and reads the caller's stored
// person and tenant only when a flag's filters need them; these check it never answers from a
// setup older than the last write (a flag edit, a cohort edit, a tenant type first seen after the
// setup was built) and still reads stored properties a filter names.

describe('remote flag evaluation after writes', () => {
  let tally: Tally;
  beforeAll(async () => {
    tally = await openTestTally();
  });
  afterAll(() => tally.close());

  async function api(method: string, path: string, body: unknown): Promise<{ id: number }> {
    const response = await tally.app.request(path, {
      method,
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    return (await response.json()) as { id: number };
  }

  async function flags(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const response = await tally.app.request('/flags?v=2', {
      method: 'POST',
      body: JSON.stringify({ api_key: TOKEN, ...body }),
    });
    expect(response.status).toBe(200);
    const json = (await response.json()) as {
      flags: Record<string, { enabled: boolean; variant: string | null }>;
    };
    return Object.fromEntries(
      Object.entries(json.flags).map(([key, flag]) => [key, flag.variant ?? flag.enabled]),
    );
  }

  async function ingest(batch: unknown[]): Promise<void> {
    const response = await tally.app.request('/batch/', {
      method: 'POST',
      body: JSON.stringify({ api_key: TOKEN, batch }),
    });
    expect(response.status).toBe(200);
  }

  it('answers from a flag as edited, at once', async () => {
    const flag = await api('POST', '/api/projects/1/feature_flags', {
      key: 'timesheets-v2',
      filters: {
        aggregation_group_type_index: null,
        groups: [{ properties: [], rollout_percentage: 0 }],
      },
    });
    expect(await flags({ distinct_id: 'user-1' })).toEqual({ 'timesheets-v2': false });
    await api('PATCH', `/api/projects/1/feature_flags/${flag.id}`, {
      filters: {
        aggregation_group_type_index: null,
        groups: [{ properties: [], rollout_percentage: 100 }],
      },
    });
    expect(await flags({ distinct_id: 'user-1' })).toEqual({ 'timesheets-v2': true });
    await api('POST', '/api/projects/1/feature_flags', {
      key: 'dispatch-board',
      filters: { aggregation_group_type_index: null, groups: [{ rollout_percentage: 100 }] },
    });
    expect(await flags({ distinct_id: 'user-1' })).toEqual({
      'timesheets-v2': true,
      'dispatch-board': true,
    });
    await api('PATCH', `/api/projects/1/feature_flags/${flag.id}`, { deleted: true });
    expect(await flags({ distinct_id: 'user-1' })).toEqual({ 'dispatch-board': true });
  });

  it('answers from a cohort as edited, at once', async () => {
    const beta = (value: string) => ({
      filters: {
        properties: {
          type: 'AND',
          values: [{ key: 'role', type: 'person', operator: 'exact', value: [value] }],
        },
      },
    });
    const cohort = await api('POST', '/api/projects/1/cohorts', {
      name: 'Owners',
      ...beta('owner'),
    });
    await api('POST', '/api/projects/1/feature_flags', {
      key: 'billing-preview',
      filters: {
        aggregation_group_type_index: null,
        groups: [{ properties: [{ key: 'id', type: 'cohort', value: cohort.id }] }],
      },
    });
    const caller = { distinct_id: 'user-2', person_properties: { role: 'technician' } };
    expect((await flags(caller))['billing-preview']).toBe(false);
    await api('PATCH', `/api/projects/1/cohorts/${cohort.id}`, beta('technician'));
    expect((await flags(caller))['billing-preview']).toBe(true);
  });

  it("decides a person filter from the caller's stored properties", async () => {
    await api('POST', '/api/projects/1/feature_flags', {
      key: 'pro-reports',
      filters: {
        aggregation_group_type_index: null,
        groups: [{ properties: [{ key: 'plan', type: 'person', value: ['pro'] }] }],
      },
    });
    expect((await flags({ distinct_id: 'user-4' }))['pro-reports']).toBe(false);
    await ingest([
      { event: '$identify', distinct_id: 'user-4', properties: { $set: { plan: 'pro' } } },
    ]);
    expect((await flags({ distinct_id: 'user-4' }))['pro-reports']).toBe(true);
    // What the request says wins over what is stored.
    const told = { distinct_id: 'user-4', person_properties: { plan: 'free' } };
    expect((await flags(told))['pro-reports']).toBe(false);
  });

  it('sees the tenant type once events first name it', async () => {
    await api('POST', '/api/projects/1/feature_flags', {
      key: 'new-ticket-form',
      filters: {
        aggregation_group_type_index: 0,
        groups: [
          { properties: [{ key: 'plan', type: 'group', group_type_index: 0, value: ['pro'] }] },
        ],
      },
    });
    const caller = { distinct_id: 'user-3', groups: { tenant: 'tenant-9' } };
    // No tenant type yet: a flag aggregated by it cannot be decided.
    expect((await flags(caller))['new-ticket-form']).toBe(false);
    await ingest([
      {
        event: '$groupidentify',
        distinct_id: 'user-3',
        properties: { $group_type: 'tenant', $group_key: 'tenant-9', $group_set: { plan: 'pro' } },
      },
    ]);
    expect((await flags(caller))['new-ticket-form']).toBe(true);
  });
});
