import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { psaCatalog } from '@tally/catalog';
import { evaluateFlags, flagDefinitionSchema } from '@tally/flags';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.js';
import type { SdkError } from '../errors.js';
import { createIdHasher } from '../ids.js';
import { createTestAnalytics, type TestAnalyticsOptions } from '../testing/index.js';

// The flags API against a stub Tally: polling (ETag, backoff), the definitions cache file,
// remote fallback, exposures (dedup, opt-out) and on-premise id hashing. The stub evaluates
// `/flags` with @tally/flags as the real server does.

const HOST = 'http://tally.test';
const SECRET = 'flags-test-secret-0123456789abcdef0123';
const API_KEY = 'phx_personal_key_0001';

const DEFINITIONS = {
  flags: [
    {
      id: 1,
      key: 'new-ticket-form',
      active: true,
      version: 3,
      filters: {
        aggregation_group_type_index: 0,
        groups: [{ properties: [], rollout_percentage: 100 }],
        multivariate: {
          variants: [
            { key: 'control', rollout_percentage: 50 },
            { key: 'new-form', rollout_percentage: 50 },
          ],
        },
        payloads: { 'new-form': JSON.stringify({ fields: ['impact'] }) },
      },
    },
    {
      id: 2,
      key: 'users-50',
      active: true,
      version: 1,
      filters: { groups: [{ properties: [], rollout_percentage: 50 }] },
    },
    {
      id: 3,
      key: 'admins',
      active: true,
      version: 1,
      filters: {
        groups: [
          {
            properties: [{ key: 'is_admin', value: true, operator: 'exact', type: 'person' }],
            rollout_percentage: 100,
          },
        ],
      },
    },
  ],
  group_type_mapping: { '0': 'tenant' },
  cohorts: {},
};

interface Stub {
  fetch: typeof globalThis.fetch;
  requests: Array<{ url: string; headers: Headers; body: Record<string, unknown> | undefined }>;
  /** Statuses the definitions endpoint answers in turn (200 once the list is empty). */
  definitionStatuses: Array<number | 'network'>;
  remoteStatuses: Array<number | 'network'>;
}

function stubTally(): Stub {
  const env = {
    flags: DEFINITIONS.flags.map((f) => flagDefinitionSchema.parse(f)),
    groupTypeMapping: DEFINITIONS.group_type_mapping,
    cohorts: {},
  };
  const stub: Stub = {
    requests: [],
    definitionStatuses: [],
    remoteStatuses: [],
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input);
      const headers = new Headers(init?.headers);
      const body = init?.body === undefined ? undefined : JSON.parse(String(init.body));
      stub.requests.push({ url, headers, body });
      if (url.includes('/flags/definitions')) {
        const status = stub.definitionStatuses.shift() ?? 200;
        if (status === 'network') throw new TypeError('fetch failed');
        if (status !== 200) return new Response('', { status });
        if (headers.get('if-none-match') === '"v1"') return new Response(null, { status: 304 });
        return Response.json(DEFINITIONS, { headers: { etag: '"v1"' } });
      }
      const status = stub.remoteStatuses.shift() ?? 200;
      if (status === 'network') throw new TypeError('fetch failed');
      if (status !== 200) return new Response('', { status });
      const request = body as {
        distinct_id: string;
        groups: Record<string, string>;
        person_properties: Record<string, unknown>;
        flag_keys_to_evaluate?: string[];
      };
      const results = evaluateFlags(
        {
          distinctId: request.distinct_id,
          groups: request.groups,
          personProperties: request.person_properties,
          propertiesComplete: true,
        },
        env,
        request.flag_keys_to_evaluate,
      );
      const flags = Object.fromEntries(
        Object.values(results).map((r) => [
          r.key,
          r.inconclusive
            ? { key: r.key, enabled: false, variant: null }
            : {
                key: r.key,
                enabled: r.enabled,
                variant: r.variant,
                reason: r.reason,
                metadata: {
                  id: 1,
                  version: 3,
                  payload: r.payload == null ? null : JSON.stringify(r.payload),
                },
              },
        ]),
      );
      return Response.json({ flags, errorsWhileComputingFlags: false });
    }) as typeof globalThis.fetch,
  };
  return stub;
}

/** A sleep that records each delay and waits until `release()`. */
function manualSleep() {
  const delays: number[] = [];
  const waiting: Array<() => void> = [];
  return {
    delays,
    sleep: (ms: number) => {
      delays.push(ms);
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    /** Ends the oldest pending sleep and lets the next poll run. */
    async release() {
      waiting.shift()?.();
      for (let i = 0; i < 20; i++) await Promise.resolve();
      await new Promise((r) => setImmediate(r));
    },
  };
}

function client(stub: Stub, overrides: Partial<TestAnalyticsOptions<typeof psaCatalog>> = {}) {
  const errors: SdkError[] = [];
  const analytics = createTestAnalytics({
    catalog: psaCatalog,
    host: HOST,
    fetch: stub.fetch,
    sleep: manualSleep().sleep,
    onError: (e) => errors.push(e),
    ...overrides,
  });
  return { analytics, errors };
}

const settle = () => new Promise((r) => setImmediate(r));
const CTX = { userId: 'user-1', tenantId: 'tenant-1' };

describe('local evaluation', () => {
  it('polls definitions with the personal key and evaluates without asking /flags', async () => {
    const stub = stubTally();
    const { analytics } = client(stub, { personalApiKey: API_KEY });
    await analytics.reloadFeatureFlags();
    const poll = stub.requests[0];
    expect(poll?.url).toBe(`${HOST}/flags/definitions?token=test_token&send_cohorts`);
    expect(poll?.headers.get('authorization')).toBe(`Bearer ${API_KEY}`);
    const value = await analytics.getFeatureFlag('new-ticket-form', CTX);
    expect(['control', 'new-form']).toContain(value);
    expect(stub.requests.every((r) => r.url.includes('/flags/definitions'))).toBe(true);
    await analytics.shutdown();
  });

  it('sends If-None-Match and keeps the definitions on 304', async () => {
    const stub = stubTally();
    const { analytics } = client(stub, { personalApiKey: API_KEY });
    await analytics.reloadFeatureFlags();
    await analytics.reloadFeatureFlags();
    expect(stub.requests.at(-1)?.headers.get('if-none-match')).toBe('"v1"');
    expect(await analytics.isFeatureEnabled('new-ticket-form', CTX)).toBe(true);
    await analytics.shutdown();
  });

  it('backs off exponentially up to 60 s on 401, 429, 5xx and network errors, then recovers', async () => {
    const stub = stubTally();
    stub.definitionStatuses.push(401, 429, 503, 'network', 200);
    const clock = manualSleep();
    const errors: SdkError[] = [];
    const analytics = createTestAnalytics({
      catalog: psaCatalog,
      host: HOST,
      fetch: stub.fetch,
      sleep: clock.sleep,
      personalApiKey: API_KEY,
      flags: { pollIntervalMs: 10_000 },
      onError: (e) => errors.push(e),
    });
    for (let i = 0; i < 5; i++) await clock.release();
    await settle();
    expect(clock.delays.slice(0, 6)).toEqual([20_000, 40_000, 60_000, 60_000, 10_000]);
    expect(errors.map((e) => e.code)).toEqual(Array(4).fill('flags_definitions_failed'));
    expect(await analytics.isFeatureEnabled('new-ticket-form', CTX)).toBe(true);
    await analytics.shutdown();
  });

  it('falls back to /flags when local evaluation is inconclusive, unless localOnly', async () => {
    const stub = stubTally();
    const { analytics } = client(stub, { personalApiKey: API_KEY });
    await analytics.reloadFeatureFlags();
    // `admins` needs is_admin, which is not passed: only the server can decide.
    expect(await analytics.getFeatureFlag('admins', { userId: 'u' })).toBe(false);
    expect(stub.requests.at(-1)?.url).toBe(`${HOST}/flags/?v=2`);
    expect(
      await analytics.getFeatureFlag('admins', {
        userId: 'u',
        personProperties: { is_admin: true },
      }),
    ).toBe(true);
    const local = client(stubTally(), { personalApiKey: API_KEY, flags: { localOnly: true } });
    await local.analytics.reloadFeatureFlags();
    expect(await local.analytics.getFeatureFlag('admins', { userId: 'u' })).toBeUndefined();
    await analytics.shutdown();
    await local.analytics.shutdown();
  });
});

describe('definitions cache file', () => {
  it('writes each 200 atomically and starts offline from it', async () => {
    const dataDir = tempDir();
    const stub = stubTally();
    const online = client(stub, { personalApiKey: API_KEY, dataDir });
    await online.analytics.reloadFeatureFlags();
    await settle();
    await new Promise((r) => setTimeout(r, 50));
    const file = join(dataDir, 'flag-definitions.json');
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.etag).toBe('"v1"');
    expect(saved.definitions.flags).toHaveLength(3);
    expect(readdirSync(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const answer = await online.analytics.getFeatureFlag('new-ticket-form', CTX);
    await online.analytics.shutdown();

    const dead = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof globalThis.fetch;
    const offline = client(stub, { personalApiKey: API_KEY, dataDir, fetch: dead });
    // No poll has succeeded: the answer comes from the file, at once.
    expect(await offline.analytics.getFeatureFlag('new-ticket-form', CTX)).toBe(answer);
    await offline.analytics.shutdown();
  });

  it('ignores a corrupt file with an onError report, never a throw', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'flag-definitions.json'), '{"etag": "x", "fetched_at": 1, "defin');
    const stub = stubTally();
    stub.definitionStatuses.push('network');
    const { analytics, errors } = client(stub, { personalApiKey: API_KEY, dataDir });
    expect(errors[0]?.code).toBe('flags_cache_io');
    // No definitions: the server decides.
    expect(await analytics.isFeatureEnabled('new-ticket-form', CTX)).toBe(true);
    expect(stub.requests.some((r) => r.url.endsWith('/flags/?v=2'))).toBe(true);
    await analytics.shutdown();
  });
});

describe('remote evaluation', () => {
  it('posts the context to /flags?v=2 and parses the payload', async () => {
    const stub = stubTally();
    const { analytics } = client(stub);
    const value = await analytics.getFeatureFlag('new-ticket-form', CTX);
    const request = stub.requests[0];
    expect(request?.url).toBe(`${HOST}/flags/?v=2`);
    expect(request?.headers.get('authorization')).toBeNull();
    expect(request?.body).toMatchObject({
      token: 'test_token',
      distinct_id: 'user-1',
      groups: { tenant: 'tenant-1' },
      flag_keys_to_evaluate: ['new-ticket-form'],
    });
    const payload = await analytics.getFeatureFlagPayload('new-ticket-form', CTX);
    expect(payload).toEqual(value === 'new-form' ? { fields: ['impact'] } : undefined);
  });

  it('retries once after a 502 or a network error, then answers undefined with onError', async () => {
    const stub = stubTally();
    stub.remoteStatuses.push(502);
    const { analytics, errors } = client(stub, { sleep: async () => {} });
    expect(await analytics.isFeatureEnabled('new-ticket-form', CTX)).toBe(true);
    stub.remoteStatuses.push('network', 'network', 500);
    expect(await analytics.getFeatureFlag('new-ticket-form', CTX)).toBeUndefined();
    expect(await analytics.getFeatureFlag('new-ticket-form', CTX)).toBeUndefined();
    expect(errors.map((e) => e.detail)).toEqual(['connection_error', 'api_error_500']);
    expect(stub.requests).toHaveLength(5);
  });

  it('answers undefined, with onError, without a user or tenant', async () => {
    const { analytics, errors } = client(stubTally());
    expect(await analytics.getFeatureFlag('new-ticket-form', {})).toBeUndefined();
    expect(errors[0]?.code).toBe('flags_context_missing');
  });
});

describe('exposures', () => {
  it('captures $feature_flag_called once per user, flag and response, through the pipeline', async () => {
    const stub = stubTally();
    const { analytics } = client(stub, { personalApiKey: API_KEY });
    await analytics.reloadFeatureFlags();
    const value = await analytics.getFeatureFlag('new-ticket-form', CTX);
    await analytics.getFeatureFlag('new-ticket-form', CTX);
    await analytics.isFeatureEnabled('new-ticket-form', CTX);
    await analytics.getFeatureFlagPayload('new-ticket-form', {
      userId: 'user-2',
      tenantId: 'tenant-1',
    });
    await analytics.getAllFlags({ userId: 'user-3', tenantId: 'tenant-1' });
    await analytics.getFeatureFlag('new-ticket-form', { userId: 'user-2', tenantId: 'tenant-1' });
    const exposures = analytics.events.filter((e) => e.event === '$feature_flag_called');
    expect(exposures).toHaveLength(2);
    expect(exposures[0]?.distinct_id).toBe('user-1');
    expect(exposures[0]?.properties).toMatchObject({
      $feature_flag: 'new-ticket-form',
      $feature_flag_response: value,
      '$feature/new-ticket-form': value,
      $feature_flag_id: 1,
      $feature_flag_version: 3,
      $feature_flag_reason: 'condition_match',
      locally_evaluated: true,
      $groups: { tenant: 'tenant-1' },
    });
    analytics.expectNoPII();
    await analytics.shutdown();
  });

  it.each([
    ['DO_NOT_TRACK', { env: { DO_NOT_TRACK: '1' } }],
    ['usage stats off', { usageStats: 'off' as const }],
    ['the switch set to off', { env: { TALLY_USAGE_STATS: 'off' } }],
  ])('keeps answering flags but sends no exposure with %s', async (_name, overrides) => {
    const stub = stubTally();
    const { analytics } = client(stub, { personalApiKey: API_KEY, ...overrides });
    await analytics.reloadFeatureFlags();
    expect(await analytics.isFeatureEnabled('new-ticket-form', CTX)).toBe(true);
    const remote = client(stubTally(), overrides);
    expect(await remote.analytics.isFeatureEnabled('new-ticket-form', CTX)).toBe(true);
    expect(analytics.events).toEqual([]);
    expect(remote.analytics.events).toEqual([]);
    await analytics.shutdown();
  });
});

describe('on-premise', () => {
  it('hashes user and tenant ids before bucketing and sending; local equals remote', async () => {
    const hash = createIdHasher(SECRET);
    const stub = stubTally();
    const options = {
      deployment: 'on-premise' as const,
      secret: SECRET,
      usageStats: 'on' as const,
    };
    const local = client(stub, { ...options, personalApiKey: API_KEY });
    await local.analytics.reloadFeatureFlags();
    const remote = client(stub, options);
    for (let i = 0; i < 100; i++) {
      const ctx = { userId: `user-${i}`, tenantId: `tenant-${i % 7}` };
      for (const key of ['new-ticket-form', 'users-50']) {
        expect(await local.analytics.getFeatureFlag(key, ctx)).toBe(
          await remote.analytics.getFeatureFlag(key, ctx),
        );
      }
    }
    const sent = stub.requests.find((r) => r.url.endsWith('/flags/?v=2'))?.body;
    expect(sent).toMatchObject({
      distinct_id: hash('user-0'),
      groups: { tenant: hash('tenant-0') },
    });
    const exposure = local.analytics.events.find((e) => e.event === '$feature_flag_called');
    expect(exposure?.distinct_id).toBe(hash('user-0'));
    expect(JSON.stringify(local.analytics.events)).not.toContain('"user-0"');
    await local.analytics.shutdown();
  });
});

it('stops polling at shutdown', async () => {
  const stub = stubTally();
  const clock = manualSleep();
  const analytics = createTestAnalytics({
    catalog: psaCatalog,
    fetch: stub.fetch,
    sleep: clock.sleep,
    personalApiKey: API_KEY,
  });
  await settle();
  await analytics.shutdown();
  await clock.release();
  expect(stub.requests).toHaveLength(1);
  expect(existsSync('flag-definitions.json')).toBe(false);
});
