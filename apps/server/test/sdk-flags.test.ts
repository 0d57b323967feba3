import { psaCatalog } from '@tally/catalog';
import { type AnalyticsOptions, createAnalytics, createIdHasher } from '@tally/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tally } from '../src/server.js';
import {
  API_KEY,
  allEvents,
  inProcessFetch,
  openTestTally,
  TOKEN,
  tempDataDir,
} from './helpers.js';

// The SDK's flags API against a real in-process Tally (issue 6, item 2): local evaluation from
// the definitions Tally serves equals Tally's own remote answer for the same context (ids
// keyed-hashed on-premise on both paths), exposures arrive as `$feature_flag_called` events,
// a restart without network answers from the definitions cache file, and with usage stats off
// flags still answer but no exposure is stored.

const CONTEXTS = 500;
const SECRET = 'sdk-flags-integration-secret-0123456789';
const BASE = 'http://tally.test';
const TENANT_PLANS = ['free', 'professional', 'enterprise'] as const;

const tenantRule = (key: string, value: unknown) => ({
  key,
  value,
  operator: 'exact',
  type: 'group',
  group_type_index: 0,
});

const FLAGS = [
  {
    key: 'new-ticket-form',
    filters: {
      groups: [{ properties: [], rollout_percentage: 60 }],
      multivariate: {
        variants: [
          { key: 'control', rollout_percentage: 50 },
          { key: 'new-form', rollout_percentage: 50 },
        ],
      },
      payloads: { 'new-form': JSON.stringify({ fields: ['impact', 'urgency'] }) },
    },
  },
  {
    key: 'users-30',
    filters: {
      groups: [{ properties: [], rollout_percentage: 30 }],
      aggregation_group_type_index: null,
    },
  },
  {
    key: 'pro-tenants',
    filters: {
      groups: [{ properties: [tenantRule('plan', 'professional')], rollout_percentage: 100 }],
    },
  },
  {
    key: 'admins',
    filters: {
      groups: [
        {
          properties: [{ key: 'is_admin', value: true, operator: 'exact', type: 'person' }],
          rollout_percentage: 50,
        },
      ],
      aggregation_group_type_index: null,
    },
  },
];

function context(i: number) {
  return {
    userId: `user-${i}`,
    tenantId: `tenant-${i % 40}`,
    personProperties: { is_admin: i % 3 === 0 },
    tenantProperties: { plan: TENANT_PLANS[(i % 40) % 3] as (typeof TENANT_PLANS)[number] },
  };
}

let tally: Tally & { dataDir: string };
let appFetch: typeof fetch;
const flagRequests: string[] = [];

/** In-process fetch that also records which flag endpoint each request hit. */
function recordingFetch(): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    flagRequests.push(new URL(String(input)).pathname);
    return appFetch(input, init);
  }) as typeof fetch;
}

function sdk(overrides: Partial<AnalyticsOptions<typeof psaCatalog>> = {}) {
  return createAnalytics({
    catalog: psaCatalog,
    host: BASE,
    token: TOKEN,
    appVersion: '3.2.1',
    deployment: 'on-premise',
    usageStats: 'on',
    secret: SECRET,
    env: {},
    fetch: appFetch,
    gzip: false,
    onError: (error) => {
      throw error;
    },
    ...overrides,
  });
}

beforeAll(async () => {
  tally = await openTestTally();
  appFetch = inProcessFetch(tally);
  for (const body of FLAGS) {
    const response = await tally.app.request('/api/projects/1/feature_flags', {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBe(201);
  }
}, 60_000);

afterAll(async () => {
  await tally?.close();
});

describe('SDK flags against Tally', () => {
  const dataDir = tempDataDir();
  const localAnswers: Array<Record<string, string | boolean>> = [];

  it(`answers the same locally and remotely for ${CONTEXTS} contexts`, async () => {
    const local = sdk({ personalApiKey: API_KEY, dataDir, fetch: recordingFetch() });
    const remote = sdk({ dataDir: tempDataDir() });
    await local.reloadFeatureFlags();
    flagRequests.length = 0;
    for (let i = 0; i < CONTEXTS; i++) {
      const ctx = context(i);
      const fromLocal = await local.getAllFlags(ctx);
      localAnswers.push(fromLocal);
      expect(fromLocal, `context ${i}`).toEqual(await remote.getAllFlags(ctx));
      expect(Object.keys(fromLocal)).toHaveLength(FLAGS.length);
    }
    // Every answer was decided locally: the local client never asked /flags.
    expect(flagRequests.filter((path) => path.startsWith('/flags/'))).toEqual([]);
    const values = new Set(localAnswers.map((a) => a['new-ticket-form']));
    expect(values).toEqual(new Set([false, 'control', 'new-form']));
    // Every flag answers both ways somewhere: no flag is trivially off (or on) for all.
    for (const { key } of FLAGS.slice(1))
      expect(new Set(localAnswers.map((a) => a[key])), key).toEqual(new Set([true, false]));
    await local.shutdown(5_000);
    await remote.shutdown(5_000);
  }, 120_000);

  it('stores exposures as $feature_flag_called events, deduplicated, ids hashed', async () => {
    const local = sdk({ personalApiKey: API_KEY, dataDir: tempDataDir() });
    await local.reloadFeatureFlags();
    for (let i = 0; i < 20; i++) {
      await local.getFeatureFlag('new-ticket-form', context(i));
      await local.getFeatureFlag('new-ticket-form', context(i));
      await local.isFeatureEnabled('new-ticket-form', context(i));
    }
    await local.shutdown(5_000);
    const stored = await allEvents(appFetch, BASE, '&event=%24feature_flag_called');
    expect(stored).toHaveLength(20);
    const hash = createIdHasher(SECRET);
    const first = stored.find((e) => e.distinct_id === hash('user-0'));
    const expected = localAnswers[0]?.['new-ticket-form'];
    expect(first?.properties).toMatchObject({
      $feature_flag: 'new-ticket-form',
      $feature_flag_response: expected,
      '$feature/new-ticket-form': expected,
      $feature_flag_reason: expected === false ? 'out_of_rollout_bound' : 'condition_match',
      locally_evaluated: true,
    });
    expect(JSON.stringify(stored)).not.toContain('"user-0"');
  });

  it('answers from the cache file after a restart with no network', async () => {
    const offline = sdk({
      personalApiKey: API_KEY,
      dataDir,
      usageStats: 'off',
      onError: () => {},
      fetch: (async () => {
        throw new TypeError('fetch failed');
      }) as typeof fetch,
    });
    for (let i = 0; i < 50; i++)
      expect(await offline.getAllFlags(context(i))).toEqual(localAnswers[i]);
    expect(await offline.getFeatureFlagPayload('new-ticket-form', context(0))).toEqual(
      localAnswers[0]?.['new-ticket-form'] === 'new-form'
        ? { fields: ['impact', 'urgency'] }
        : undefined,
    );
    await offline.shutdown(1_000);
  });

  it.each([
    ['DO_NOT_TRACK', { env: { DO_NOT_TRACK: '1' } }],
    ['usage stats off', { usageStats: 'off' as const }],
  ])('answers flags with %s but stores no exposure', async (_name, overrides) => {
    const before = (await allEvents(appFetch, BASE, '&event=%24feature_flag_called')).length;
    for (const personalApiKey of [API_KEY, undefined]) {
      const client = sdk({
        ...(personalApiKey === undefined ? {} : { personalApiKey }),
        dataDir: tempDataDir(),
        ...overrides,
      });
      await client.reloadFeatureFlags();
      for (let i = 100; i < 110; i++)
        expect(await client.getFeatureFlag('new-ticket-form', context(i))).toBe(
          localAnswers[i]?.['new-ticket-form'],
        );
      await client.shutdown(5_000);
    }
    expect(await allEvents(appFetch, BASE, '&event=%24feature_flag_called')).toHaveLength(before);
  });
});
