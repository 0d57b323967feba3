import { PostHog } from 'posthog-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  evaluateFlag,
  evaluateFlags,
  type FlagDefinition,
  type FlagEnvironment,
  flagDefinitionSchema,
  type PropertyGroup,
  propertyGroupSchema,
  resolveFlagDependencies,
} from '../src/index.js';
import {
  allPropertyValues,
  type Caller,
  COHORTS,
  createRng,
  GROUP_TYPE_MAPPING,
  makeCaller,
  makeFlags,
  OPERATOR_VALUES,
} from './generate.js';

// The proof that Tally answers as posthog-node's local evaluation does: posthog-node 5.70.0 runs
// in-process on generated definitions (served through a stub fetch) and both evaluators answer
// for generated callers. posthog-node's `undefined` (would ask the server) must be Tally's
// inconclusive. Deterministic: fixed seeds.

// FLAGS_CROSSCHECK_SEED runs another workload (e.g. in a soak job); the default is fixed.
const SEED = Number(process.env.FLAGS_CROSSCHECK_SEED ?? 20261126);
const FLAG_COUNT = 40;
const CALLER_COUNT = 3000;
const SINGLE_FLAG_CALLERS = 300;

const rng = createRng(SEED);
const now = Date.now();
const flags: FlagDefinition[] = resolveFlagDependencies(
  makeFlags(rng, FLAG_COUNT).map((flag) => flagDefinitionSchema.parse(flag)),
);
const cohorts: Record<string, PropertyGroup> = Object.fromEntries(
  Object.entries(COHORTS).map(([id, group]) => [
    id,
    Object.keys(group as object).length === 0
      ? (group as PropertyGroup)
      : propertyGroupSchema.parse(group),
  ]),
);
const env: FlagEnvironment = { flags, cohorts, groupTypeMapping: GROUP_TYPE_MAPPING };
const callers: Caller[] = Array.from({ length: CALLER_COUNT }, (_, i) => makeCaller(rng, i, now));

// One filter per (operator, filter value), tried against every property value the generators
// know: an exhaustive grid next to the random workload.
const gridFlags: FlagDefinition[] = Object.entries(OPERATOR_VALUES)
  .flatMap(([operator, values]) => values.map((value) => ({ operator, value })))
  .map(({ operator, value }, index) =>
    flagDefinitionSchema.parse({
      id: index,
      key: `grid-${index}`,
      active: true,
      filters: {
        groups: [
          {
            properties: [{ key: 'p', operator, value, type: 'person' }],
            rollout_percentage: null,
          },
        ],
      },
    }),
  );
const gridEnv: FlagEnvironment = { flags: gridFlags, cohorts: {}, groupTypeMapping: {} };
const gridCallers: Caller[] = [
  ...allPropertyValues(now).map((value, i) => ({
    distinctId: `grid_${i}`,
    groups: {},
    personProperties: { p: value },
    groupProperties: {},
  })),
  { distinctId: 'grid_none', groups: {}, personProperties: {}, groupProperties: {} },
];

// posthog-node in-process, downloading `definitions` from a stub /flags/definitions.
async function startPostHog(definitions: unknown): Promise<PostHog> {
  const body = JSON.stringify(definitions);
  const fetch = (url: string) => {
    const text = url.includes('/flags/definitions') ? body : '{}';
    return Promise.resolve({
      status: 200,
      headers: { get: () => null },
      text: () => Promise.resolve(text),
      json: () => Promise.resolve(JSON.parse(text)),
    });
  };
  const client = new PostHog('phc_crosscheck', {
    host: 'http://posthog.invalid',
    personalApiKey: 'phx_crosscheck',
    fetch,
    featureFlagsPollingInterval: null,
    sendFeatureFlagEvent: false,
    flushAt: 1_000_000,
    flushInterval: 0,
  });
  expect(await client.waitForLocalEvaluationReady()).toBe(true);
  return client;
}

let posthog: PostHog;
let gridPosthog: PostHog;

beforeAll(async () => {
  // posthog-node warns about flags it cannot resolve locally; expected here.
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  posthog = await startPostHog({ flags, group_type_mapping: GROUP_TYPE_MAPPING, cohorts });
  gridPosthog = await startPostHog({ flags: gridFlags, group_type_mapping: {}, cohorts: {} });
});

afterAll(async () => {
  await posthog.shutdown();
  await gridPosthog.shutdown();
  vi.restoreAllMocks();
});

function tallyValues(caller: Caller, environment = env) {
  const values: Record<string, boolean | string> = {};
  const payloads: Record<string, unknown> = {};
  for (const [key, result] of Object.entries(evaluateFlags(caller, environment))) {
    if (result.inconclusive) continue;
    values[key] = result.value;
    // posthog-node's getAllFlagsAndPayloads keeps only truthy payloads.
    if (result.payload) payloads[key] = result.payload;
  }
  return { values, payloads };
}

describe('Tally vs posthog-node 5.70.0 local evaluation', () => {
  it('generated a varied workload', () => {
    const sample = callers.slice(0, 200).map((caller) => evaluateFlags(caller, env));
    const results = sample.flatMap((byKey) => Object.values(byKey));
    const decided = results.filter((result) => !result.inconclusive);
    // The workload must exercise both outcomes and every kind of value.
    expect(decided.some((result) => result.value === true)).toBe(true);
    expect(decided.some((result) => result.value === false)).toBe(true);
    expect(decided.some((result) => typeof result.value === 'string')).toBe(true);
    expect(results.some((result) => result.inconclusive)).toBe(true);
    const operators = new Set(
      flags.flatMap((flag) =>
        flag.filters.groups.flatMap((condition) =>
          condition.properties.map((filter) => filter.operator),
        ),
      ),
    );
    for (const operator of Object.keys(OPERATOR_VALUES)) expect(operators).toContain(operator);
  });

  it(`answers getAllFlagsAndPayloads identically for ${CALLER_COUNT} callers x ${FLAG_COUNT} flags`, async () => {
    const mismatches: string[] = [];
    for (const caller of callers) {
      const theirs = await posthog.getAllFlagsAndPayloads(caller.distinctId, {
        groups: caller.groups,
        personProperties: caller.personProperties as Record<string, string>,
        groupProperties: caller.groupProperties as Record<string, Record<string, string>>,
        onlyEvaluateLocally: true,
      });
      const ours = tallyValues(caller);
      try {
        expect(ours.values).toEqual(theirs.featureFlags);
        expect(ours.payloads).toEqual(theirs.featureFlagPayloads);
      } catch (error) {
        if (mismatches.length < 5) mismatches.push(`${JSON.stringify(caller)}\n${String(error)}`);
        else mismatches.push('');
      }
    }
    expect(mismatches.filter(Boolean).slice(0, 5).join('\n\n')).toBe('');
    expect(mismatches.length).toBe(0);
  });

  it(`answers an operator grid identically (${gridFlags.length} filters x ${gridCallers.length} values)`, async () => {
    const mismatches: string[] = [];
    for (const caller of gridCallers) {
      const theirs = await gridPosthog.getAllFlags(caller.distinctId, {
        personProperties: caller.personProperties as Record<string, string>,
        onlyEvaluateLocally: true,
      });
      const ours = tallyValues(caller, gridEnv).values;
      for (const flag of gridFlags) {
        if (ours[flag.key] !== theirs[flag.key] && mismatches.length < 10) {
          const filter = JSON.stringify(flag.filters.groups[0]?.properties[0]);
          mismatches.push(
            `${filter} p=${String(caller.personProperties.p)}: tally ${ours[flag.key]}, posthog ${theirs[flag.key]}`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it(`answers getFeatureFlag identically, flag by flag, for ${SINGLE_FLAG_CALLERS} callers`, async () => {
    let compared = 0;
    const mismatches: string[] = [];
    for (const caller of callers.slice(0, SINGLE_FLAG_CALLERS)) {
      for (const flag of flags) {
        const theirs = await posthog.getFeatureFlag(flag.key, caller.distinctId, {
          groups: caller.groups,
          personProperties: caller.personProperties as Record<string, string>,
          groupProperties: caller.groupProperties as Record<string, Record<string, string>>,
          onlyEvaluateLocally: true,
          sendFeatureFlagEvents: false,
        });
        const ours = evaluateFlag(flag, caller, env);
        const value = ours.inconclusive ? undefined : ours.value;
        compared++;
        if (value !== theirs && mismatches.length < 5) {
          mismatches.push(
            `${flag.key} ${JSON.stringify(caller)}: tally ${value}, posthog ${theirs}`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBe(SINGLE_FLAG_CALLERS * FLAG_COUNT);
  });
});
