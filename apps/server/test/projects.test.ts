import { describe, expect, it } from 'vitest';
import type { Tally } from '../src/server.js';
import { API_TARGETS, callApi, openTestTally, TOKEN, useApiTarget } from './helpers.js';

// The project API (GET, PATCH name/timezone/strict/test_account_filters) and the test-account
// filters in queries, the same suite in-process and against `tally start`. A vendor's data: a
// customer at Acme, the vendor's QA user (person plan `test`) at Acme, and a colleague in the
// vendor's demo tenant (tenant plan `internal`), one ticket each.

const SCOPED_KEY = 'phx_keyforprojecttwoonly01';
const NOW = Date.now();

function ticket(user: string, tenant: string, set: Record<string, unknown>) {
  return {
    event: 'ticket_created',
    distinct_id: user,
    timestamp: new Date(NOW - 86_400_000).toISOString(),
    properties: { $groups: { tenant }, $set: set },
  };
}
function tenantPlan(key: string, plan: string) {
  return {
    event: '$groupidentify',
    distinct_id: 'customer',
    timestamp: new Date(NOW - 2 * 86_400_000).toISOString(),
    properties: { $group_type: 'tenant', $group_key: key, $group_set: { plan } },
  };
}

async function prepare(): Promise<Tally & { dataDir: string }> {
  const tally = await openTestTally();
  await tally.store.metadata.createProject({ name: 'other', token: 'phc_other_project_0002' });
  await tally.store.metadata.createApiKey({ key: SCOPED_KEY, label: 'two', projectIds: [2] });
  const batch = [
    tenantPlan('acme', 'pro'),
    tenantPlan('vendor-demo', 'internal'),
    ticket('customer', 'acme', { plan: 'pro' }),
    ticket('qa', 'acme', { plan: 'test' }),
    ticket('colleague', 'vendor-demo', { plan: 'pro' }),
  ];
  const response = await tally.app.request('/batch/', {
    method: 'POST',
    body: JSON.stringify({ api_key: TOKEN, batch }),
  });
  expect(response.status).toBe(200);
  return tally;
}

const TEST_ACCOUNTS = [
  { type: 'person', key: 'plan', operator: 'is_not', value: 'test' },
  { type: 'group', group_type_index: 0, key: 'plan', operator: 'is_not', value: 'internal' },
];

describe.each(API_TARGETS)('project API (%s)', (name) => {
  const target = useApiTarget(name, prepare);

  const call = (method: string, path: string, body?: unknown, key?: string) =>
    callApi(target(), method, path, body, key);
  const tickets = async (filterTestAccounts?: boolean) => {
    const response = await call('POST', '/api/projects/1/query', {
      query: {
        kind: 'TrendsQuery',
        series: [{ kind: 'EventsNode', event: 'ticket_created' }],
        dateRange: { date_from: '-7d' },
        trendsFilter: { display: 'BoldNumber' },
        ...(filterTestAccounts === undefined ? {} : { filterTestAccounts }),
      },
    });
    expect(response.status).toBe(200);
    return (response.json.results as Array<{ aggregated_value: number }>)[0]?.aggregated_value;
  };

  it('shows a project with empty test-account filters and no secret but the write token', async () => {
    const { status, json } = await call('GET', '/api/projects/1');
    expect(status).toBe(200);
    expect(json).toEqual({
      id: 1,
      name: 'Default project',
      api_token: TOKEN,
      strict: false,
      timezone: 'UTC',
      test_account_filters: [],
      created_at: expect.any(String),
    });
    const list = await call('GET', '/api/projects');
    expect((list.json.results as unknown[])[0]).toEqual(json);
  });

  it('saves test-account filters and settings with PATCH, and GET shows them', async () => {
    const patched = await call('PATCH', '/api/projects/2', {
      name: 'Staging',
      timezone: 'Europe/Berlin',
      test_account_filters: [
        { type: 'person', key: 'email', operator: 'not_icontains', value: '@vendor.example' },
        { type: 'group', group_type_index: 0, key: 'internal', value: 'yes' },
        { type: 'cohort', value: 3, operator: 'not_in' },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({
      id: 2,
      name: 'Staging',
      timezone: 'Europe/Berlin',
      strict: false,
      // Stored as validated: defaults filled (`exact`, the cohort's `key`).
      test_account_filters: [
        { type: 'person', key: 'email', operator: 'not_icontains', value: '@vendor.example' },
        { type: 'group', group_type_index: 0, key: 'internal', operator: 'exact', value: 'yes' },
        { type: 'cohort', key: 'id', value: 3, operator: 'not_in' },
      ],
    });
    expect((await call('GET', '/api/projects/2')).json).toEqual(patched.json);
  });

  it('answers 400 naming the field and changes nothing', async () => {
    const before = (await call('GET', '/api/projects/2')).json;
    const bad = [
      [{ test_account_filters: [TEST_ACCOUNTS[0], { ...TEST_ACCOUNTS[0], operator: 'near' }] }],
      [{ test_account_filters: [{ type: 'group', key: 'plan', value: 'x' }] }],
      [{ test_account_filters: { type: 'AND', values: [] } }],
      [{ name: 'ok', timezone: 'Mars/Olympus' }],
      [{ name: '', test_account_filters: [] }],
      [{ strict: 'yes' }],
    ];
    const attrs = [
      'test_account_filters[1].operator',
      'test_account_filters[0].group_type_index',
      'test_account_filters',
      'timezone',
      'name',
      'strict',
    ];
    for (const [i, [body]] of bad.entries()) {
      const response = await call('PATCH', '/api/projects/2', body);
      expect([response.status, response.json.attr]).toEqual([400, attrs[i]]);
    }
    expect((await call('PATCH', '/api/projects/2', { nmae: 'typo' })).status).toBe(400);
    expect((await call('GET', '/api/projects/2')).json).toEqual(before);
  });

  it('answers 401 without a personal key, 403 for a key of another project, 404 for none', async () => {
    for (const method of ['GET', 'PATCH']) {
      const body = method === 'PATCH' ? { name: 'x' } : undefined;
      expect((await call(method, '/api/projects/1', body, TOKEN)).status).toBe(401);
      expect((await call(method, '/api/projects/1', body, 'phx_unknown')).status).toBe(401);
      expect((await call(method, '/api/projects/1', body, SCOPED_KEY)).status).toBe(403);
      expect((await call(method, '/api/projects/99', body)).status).toBe(404);
    }
    expect((await call('GET', '/api/projects/2', undefined, SCOPED_KEY)).status).toBe(200);
    expect((await call('GET', '/api/projects/1')).json.name).toBe('Default project');
  });

  it('excludes test accounts from a query with filterTestAccounts from the next request on', async () => {
    expect([await tickets(), await tickets(true)]).toEqual([3, 3]);
    const patched = await call('PATCH', '/api/projects/1', { test_account_filters: TEST_ACCOUNTS });
    expect(patched.status).toBe(200);
    expect([await tickets(), await tickets(false), await tickets(true)]).toEqual([3, 3, 1]);
    await call('PATCH', '/api/projects/1', { test_account_filters: [TEST_ACCOUNTS[0]] });
    expect(await tickets(true)).toBe(2);
    await call('PATCH', '/api/projects/1', { test_account_filters: [] });
    expect(await tickets(true)).toBe(3);
  });
});
