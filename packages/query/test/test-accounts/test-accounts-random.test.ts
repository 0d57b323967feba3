import { describe, expect, it } from 'vitest';
import { runQuery } from '../../src/index.js';
import { generateDataset, mulberry32 } from '../dataset.js';
import { INDUSTRIES, PLANS, USER_TYPES } from '../dataset-psa.js';
import { randomFunnel } from '../funnels/random-funnels.js';
import { randomLifecycle } from '../lifecycle/random-lifecycle.js';
import { randomRetention } from '../retention/random-retention.js';
import { seedCases, useLoadedCases } from '../seed-cases.js';
import { randomStickiness } from '../stickiness/random-stickiness.js';
import { randomTrendsQuery, TIMEZONES, withTrendsProperties } from '../trends/random-queries.js';

// `filterTestAccounts: true` with the project's test-account filters F answers exactly what the
// same insight answers with F added to its `properties`, for every insight kind and for the
// actors behind a point of each. 16 seeds, each its own project with its own random F (person,
// tenant, event and cohort filters); each kind must also differ from the unfiltered answer in
// most seeds, so the equality is not of two untouched queries.

type Rng = () => number;
type Json = Record<string, unknown>;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;

const NOW = Date.parse('2024-06-01T12:00:00Z');
const QUERIES_PER_KIND = 2;
const KINDS = ['trends', 'funnels', 'retention', 'stickiness', 'lifecycle', 'actors'] as const;
type Kind = (typeof KINDS)[number];

/** Cohort 7 of every project: its managers (a test-account filter may exclude them). */
const MANAGERS = {
  filters: {
    properties: {
      type: 'AND',
      values: [{ type: 'person', key: 'user_type', operator: 'exact', value: 'manager' }],
    },
  },
};

const FILTERS: ReadonlyArray<(r: Rng) => Json> = [
  (r) => ({
    type: 'group',
    group_type_index: 0,
    key: 'plan',
    operator: 'is_not',
    value: pick(r, PLANS),
  }),
  (r) => ({
    type: 'group',
    group_type_index: 0,
    key: 'industry',
    operator: 'not_in',
    value: [pick(r, INDUSTRIES)],
  }),
  (r) => ({ type: 'person', key: 'user_type', operator: 'is_not', value: pick(r, USER_TYPES) }),
  () => ({ type: 'person', key: 'is_admin', operator: 'is_not', value: 'true' }),
  () => ({ type: 'event', key: 'priority', operator: 'is_not', value: 'low' }),
  () => ({ type: 'cohort', key: 'id', value: 7, operator: 'not_in' }),
];

function testAccountFilters(rng: Rng): Json[] {
  return Array.from({ length: 1 + Math.floor(rng() * 2) }, () => pick(rng, FILTERS)(rng));
}

/** The query with F added to its global properties by hand: a list grows, a group is ANDed. */
function withProperties(query: Json, filters: readonly Json[]): Json {
  const properties = query.properties;
  if (properties === undefined || properties === null) return { ...query, properties: filters };
  if (Array.isArray(properties)) return { ...query, properties: [...properties, ...filters] };
  return { ...query, properties: { type: 'AND', values: [properties, ...filters] } };
}

const cases = seedCases({ count: 16, firstSeed: 401 }, (seed) => {
  const timezone = TIMEZONES[seed % TIMEZONES.length] as string;
  const dataset = generateDataset(seed, {
    timezone,
    events: 1000 + ((seed * 137) % 1000),
    persons: 12 + (seed % 20),
    tenants: 3 + (seed % 4),
  });
  return {
    timezone,
    weekStart: (seed % 2) as 0 | 1,
    dataset: withTrendsProperties(dataset, seed),
    filters: testAccountFilters(mulberry32(seed * 97)),
  };
});
type Case = (typeof cases)[number];
const db = useLoadedCases(cases);

/** Seeds in which a kind's filtered answer differed from its unfiltered one. */
const differed = new Map<Kind, number>(KINDS.map((k) => [k, 0]));
const compared = new Map<Kind, number>(KINDS.map((k) => [k, 0]));

/** One insight of each kind (the actors list drills into one of them), from one stream. */
async function queriesOf(c: Case, rng: Rng, run: (q: Json) => Promise<Json>) {
  const funnel = (breakdown: boolean) =>
    randomFunnel(rng, c.timezone, {
      orders: ['ordered', 'strict', 'unordered'],
      exclusions: true,
      breakdown,
    }).query;
  const trends = randomTrendsQuery(rng) as unknown as Json;
  const retention = randomRetention(rng, c.timezone, c.weekStart).query;
  const stickiness = randomStickiness(rng, c).query;
  const lifecycle = randomLifecycle(rng, c).query;
  // The point is chosen here, once: the three runs of a drill-down ask about the same one.
  const lifecycleDays =
    ((await run(lifecycle)) as { results: Array<{ days: string[] }> }).results[0]?.days ?? [];
  const points: Array<(flagged: (q: Json) => Json) => Json> = [
    ((source: Json, step: number) => (flagged: (q: Json) => Json) => ({
      kind: 'FunnelsActorsQuery',
      source: flagged(source),
      funnelStep: step,
    }))(funnel(false), pick(rng, [1, 2, -2])),
    (flagged) => ({ kind: 'InsightActorsQuery', source: flagged(retention), interval: 0 }),
    (flagged) => ({
      kind: 'InsightActorsQuery',
      source: flagged({
        kind: 'TrendsQuery',
        series: trends.series,
        dateRange: trends.dateRange,
        trendsFilter: { display: 'BoldNumber' },
      }),
      series: 0,
    }),
    (flagged) => ({ kind: 'InsightActorsQuery', source: flagged(stickiness), day: 1 }),
    ((day: string, status: string) => (flagged: (q: Json) => Json) => ({
      kind: 'InsightActorsQuery',
      source: flagged(lifecycle),
      day,
      status,
    }))(pick(rng, lifecycleDays), pick(rng, ['new', 'returning', 'resurrecting', 'dormant'])),
  ];
  const point = pick(rng, points);
  return {
    trends,
    funnels: funnel(true),
    retention,
    stickiness,
    lifecycle,
    actors: (flagged: (q: Json) => Json): Json => ({
      kind: 'ActorsQuery',
      source: point(flagged),
      select: ['actor'],
      limit: 10_000,
    }),
  };
}

describe('filterTestAccounts: the same answer as the filters sent in properties', () => {
  it.each(cases)('seed $seed ($timezone)', async (c) => {
    const options = {
      projectId: c.projectId,
      timezone: c.timezone,
      now: NOW,
      runner: db().runner,
      weekStartDay: c.weekStart,
      cohorts: new Map<number, unknown>([[7, MANAGERS]]),
    };
    const run = (query: Json, testAccountFilters: readonly Json[] = []) =>
      runQuery(query, { ...options, testAccountFilters }) as unknown as Promise<Json>;
    const rng = mulberry32(c.seed * 7_919);
    const seen = new Set<Kind>();
    for (let q = 0; q < QUERIES_PER_KIND; q++) {
      const queries = await queriesOf(c, rng, (query) => run(query));
      for (const kind of KINDS) {
        const made = queries[kind];
        const build = (flagged: (q: Json) => Json): Json =>
          typeof made === 'function' ? made(flagged) : flagged(made);
        const flaggedQuery = build((query) => ({ ...query, filterTestAccounts: true }));
        const sentQuery = build((query) => withProperties(query, c.filters));
        const plainQuery = build((query) => query);
        const flagged = await run(flaggedQuery, c.filters);
        const label = `${kind}: ${JSON.stringify(flaggedQuery)} with ${JSON.stringify(c.filters)}`;
        expect(flagged, label).toEqual(await run(sentQuery));
        // Without the flag, the project's filters change nothing.
        expect(await run(plainQuery, c.filters), label).toEqual(await run(plainQuery));
        compared.set(kind, (compared.get(kind) ?? 0) + 1);
        if (!seen.has(kind) && JSON.stringify(flagged) !== JSON.stringify(await run(plainQuery))) {
          seen.add(kind);
          differed.set(kind, (differed.get(kind) ?? 0) + 1);
        }
      }
    }
  });

  it('filtered something in most seeds of every kind', () => {
    for (const kind of KINDS) {
      expect(compared.get(kind), kind).toBe(cases.length * QUERIES_PER_KIND);
      expect(differed.get(kind), kind).toBeGreaterThanOrEqual(cases.length / 2);
    }
  });
});
