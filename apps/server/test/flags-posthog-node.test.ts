import {
  evaluateFlags,
  type FlagDefinition,
  type FlagEnvironment,
  flagDefinitionSchema,
  type PropertyGroup,
} from '@tally/flags';
import { PostHog } from 'posthog-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Tally } from '../src/server.js';
import { API_KEY, inProcessFetch, openTestTally, TOKEN } from './helpers.js';

// The proof that a Tally project's flags answer the same everywhere (issue 6): for 10,000
// generated callers, real posthog-node asks Tally remotely (`/flags`), and evaluates locally from
// the definitions Tally serves (`/flags/definitions`); both must equal Tally's own evaluator on
// the same definitions. The flags cover a boolean release, person and tenant rollouts,
// multivariate by tenant, person-property, tenant-property and cohort conditions, and payloads.
// Callers pass their properties, as a server SDK does, so all three see the same facts.

const CALLERS = Number(process.env.FLAGS_CALLERS ?? 10_000);
const TENANTS = 300;
const PLANS = ['free', 'pro', 'enterprise'] as const;
const INDUSTRIES = ['msp', 'it-services', 'legal', 'accounting'] as const;

interface Caller {
  readonly distinctId: string;
  readonly groups: Record<string, string>;
  readonly personProperties: Record<string, string>;
  readonly groupProperties: Record<string, Record<string, string>>;
}

/** A deterministic caller: no RNG state to share between the three evaluations. */
function caller(i: number): Caller {
  const plan = PLANS[(i * 7) % PLANS.length] as string;
  const tenant = (i * 13) % TENANTS;
  const industry = INDUSTRIES[tenant % INDUSTRIES.length] as string;
  return {
    distinctId: `user-${i}`,
    groups: { tenant: `tenant-${tenant}` },
    personProperties: { plan },
    groupProperties: { tenant: { industry } },
  };
}

const person = (key: string, value: unknown, operator = 'exact') => ({
  key,
  value,
  operator,
  type: 'person',
});

/** Flags as a user creates them through the API (tenant bucketing unless `null`). */
function flagBodies(cohortId: number) {
  return [
    { key: 'everyone', filters: { groups: [{ properties: [], rollout_percentage: 100 }] } },
    {
      key: 'users-30',
      filters: {
        groups: [{ properties: [], rollout_percentage: 30 }],
        aggregation_group_type_index: null,
      },
    },
    { key: 'tenants-40', filters: { groups: [{ properties: [], rollout_percentage: 40 }] } },
    {
      key: 'ticket-form',
      filters: {
        groups: [{ properties: [], rollout_percentage: 100 }],
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
      key: 'pro-users',
      filters: {
        groups: [
          { properties: [person('plan', ['pro', 'enterprise'])], rollout_percentage: 100 },
          { properties: [person('plan', 'free')], rollout_percentage: 10 },
        ],
        aggregation_group_type_index: null,
        payloads: { true: JSON.stringify('welcome') },
      },
    },
    {
      key: 'paying-cohort',
      filters: {
        groups: [
          {
            properties: [{ key: 'id', type: 'cohort', operator: 'in', value: cohortId }],
            rollout_percentage: 60,
          },
        ],
        aggregation_group_type_index: null,
      },
    },
    {
      key: 'msp-tenants',
      filters: {
        groups: [
          {
            properties: [
              {
                key: 'industry',
                value: 'msp',
                operator: 'exact',
                type: 'group',
                group_type_index: 0,
              },
            ],
            rollout_percentage: 100,
          },
        ],
        multivariate: {
          variants: [
            { key: 'a', rollout_percentage: 34 },
            { key: 'b', rollout_percentage: 33 },
            { key: 'c', rollout_percentage: 33 },
          ],
        },
      },
    },
    {
      key: 'not-free',
      filters: {
        groups: [{ properties: [person('plan', 'free', 'is_not')], rollout_percentage: 75 }],
        aggregation_group_type_index: null,
      },
    },
  ];
}

let tally: Tally & { dataDir: string };
let env: FlagEnvironment;
let remote: PostHog;
let local: PostHog;

async function api(method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await tally.app.request(path, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (response.status >= 300)
    throw new Error(`${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

function client(options: { personalApiKey?: string }): PostHog {
  return new PostHog(TOKEN, {
    host: 'http://tally.test',
    fetch: inProcessFetch(tally) as never,
    sendFeatureFlagEvent: false,
    flushAt: 1_000_000,
    flushInterval: 0,
    featureFlagsPollingInterval: 600_000,
    ...options,
  });
}

beforeAll(async () => {
  tally = await openTestTally();
  const cohort = await api('POST', '/api/projects/1/cohorts', {
    name: 'Paying',
    filters: {
      properties: {
        type: 'OR',
        values: [{ type: 'AND', values: [person('plan', ['pro', 'enterprise'])] }],
      },
    },
  });
  for (const body of flagBodies(cohort.id as number))
    await api('POST', '/api/projects/1/feature_flags', body);
  const definitions = (await (
    await tally.app.request(`/flags/definitions?token=${TOKEN}`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    })
  ).json()) as {
    flags: unknown[];
    cohorts: Record<string, PropertyGroup>;
    group_type_mapping: Record<string, string>;
  };
  env = {
    flags: definitions.flags.map((flag) => flagDefinitionSchema.parse(flag) as FlagDefinition),
    cohorts: definitions.cohorts,
    groupTypeMapping: definitions.group_type_mapping,
  };
  remote = client({});
  local = client({ personalApiKey: API_KEY });
  expect(await local.waitForLocalEvaluationReady()).toBe(true);
}, 60_000);

afterAll(async () => {
  await remote?.shutdown();
  await local?.shutdown();
  await tally?.close();
  vi.restoreAllMocks();
});

/** Tally's own answers: every flag decided (callers pass all the properties the flags read). */
function tallyAnswers(c: Caller): Record<string, boolean | string> {
  const out: Record<string, boolean | string> = {};
  for (const [key, result] of Object.entries(evaluateFlags(c, env))) {
    if (result.inconclusive) throw new Error(`${key} undecided for ${c.distinctId}`);
    out[key] = result.value;
  }
  return out;
}

describe('flags: posthog-node against Tally, remote and local, equal Tally own answers', () => {
  it('serves the cohort to local evaluation and splits callers', () => {
    expect(Object.keys(env.cohorts)).toHaveLength(1);
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++)
      for (const [key, value] of Object.entries(tallyAnswers(caller(i))))
        seen.add(`${key}=${String(value)}`);
    // Every flag both ways, and every variant.
    for (const key of ['users-30', 'tenants-40', 'pro-users', 'paying-cohort', 'not-free'])
      for (const value of ['true', 'false']) expect(seen).toContain(`${key}=${value}`);
    for (const value of ['control', 'new-form']) expect(seen).toContain(`ticket-form=${value}`);
    for (const value of ['a', 'b', 'c', 'false']) expect(seen).toContain(`msp-tenants=${value}`);
  });

  it(`answers the same for ${CALLERS.toLocaleString('en')} callers`, async () => {
    const mismatches: string[] = [];
    const compare = async (i: number) => {
      const c = caller(i);
      const expected = tallyAnswers(c);
      const options = {
        groups: c.groups,
        personProperties: c.personProperties,
        groupProperties: c.groupProperties,
      };
      const [byServer, byLocal] = await Promise.all([
        remote.getAllFlags(c.distinctId, options),
        local.getAllFlags(c.distinctId, { ...options, onlyEvaluateLocally: true }),
      ]);
      for (const [how, got] of [
        ['remote', byServer],
        ['local', byLocal],
      ] as const) {
        if (
          JSON.stringify(got, Object.keys(expected).sort()) !==
          JSON.stringify(expected, Object.keys(expected).sort())
        )
          mismatches.push(
            `${how} ${c.distinctId}: ${JSON.stringify(got)} vs ${JSON.stringify(expected)}`,
          );
      }
    };
    const BATCH = 25;
    for (let start = 0; start < CALLERS; start += BATCH)
      await Promise.all(
        Array.from({ length: Math.min(BATCH, CALLERS - start) }, (_, k) => compare(start + k)),
      );
    expect(mismatches.slice(0, 5)).toEqual([]);
  }, 600_000);

  it('answers payloads the same remotely and locally', async () => {
    for (let i = 0; i < 200; i++) {
      const c = caller(i);
      const options = {
        groups: c.groups,
        personProperties: c.personProperties,
        groupProperties: c.groupProperties,
      };
      const byServer = await remote.getAllFlagsAndPayloads(c.distinctId, options);
      const byLocal = await local.getAllFlagsAndPayloads(c.distinctId, {
        ...options,
        onlyEvaluateLocally: true,
      });
      expect(byServer.featureFlagPayloads).toEqual(byLocal.featureFlagPayloads);
      const expected = evaluateFlags(c, env);
      for (const key of ['ticket-form', 'pro-users']) {
        const result = expected[key];
        if (result === undefined || result.inconclusive) throw new Error(key);
        expect(byServer.featureFlagPayloads?.[key] ?? null).toEqual(
          result.payload === null ? null : result.payload,
        );
      }
    }
  });
});
