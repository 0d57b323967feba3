import { describe, expect, it } from 'vitest';
import { countCohortPersons, isCohortMember, queryCohortPersons } from '../../src/index.js';
import { generateDataset, mulberry32 } from '../dataset.js';
import { type CohortDefinition, cohortMembers } from '../reference/cohorts.js';
import { DAY_MS } from '../reference/time.js';
import { seedCases, useLoadedCases } from '../seed-cases.js';
import { TIMEZONES } from '../trends/random-queries.js';
import { randomDynamicCohort, randomStaticCohort } from './random-cohorts.js';
import { type PersonIdMaps, personIdMaps } from './store-ids.js';

// Cohort membership in SQL against the brute-force reference (test/reference/cohorts.ts) on
// generated data: 60 seeds, each its own project, a static cohort and random dynamic ones
// (nested AND/OR, negation, every leaf kind, references to the other cohorts) at a random "now"
// inside or after the data. A failure names the seed and the definition.

const COHORTS_PER_SEED = 8;
const DATA_START = Date.UTC(2024, 2, 4);

const cases = seedCases({ count: 60 }, (seed) => ({
  dataset: generateDataset(seed, {
    timezone: TIMEZONES[seed % TIMEZONES.length] as string,
    events: 600 + ((seed * 137) % 900),
    persons: 10 + (seed % 25),
    tenants: 3 + (seed % 3),
  }),
}));

type Case = (typeof cases)[number];
const db = useLoadedCases(cases);

async function engineMembers(
  c: Case,
  ids: PersonIdMaps,
  cohorts: ReadonlyMap<number, unknown>,
  cohortId: number,
  nowMs: number,
): Promise<string[]> {
  const page = await queryCohortPersons(cohortId, {
    projectId: c.projectId,
    now: nowMs,
    runner: db().runner,
    cohorts,
    limit: 10_000,
  });
  expect(page.hasMore).toBe(false);
  const count = await countCohortPersons(cohortId, {
    projectId: c.projectId,
    now: nowMs,
    runner: db().runner,
    cohorts,
  });
  expect(count).toBe(page.results.length);
  // One member and one person outside, asked one at a time as a flag request asks.
  const inside = new Set(page.results.map((p) => p.id));
  const outside = c.dataset.persons
    .map((p) => ids.storeIdOf(p.id))
    .find((id) => !inside.has(id) && !id.startsWith('unknown:'));
  const options = { projectId: c.projectId, now: nowMs, runner: db().runner, cohorts };
  for (const [personId, expected] of [
    [page.results[0]?.id, true],
    [outside, false],
  ] as const)
    if (personId !== undefined)
      expect(await isCohortMember(cohortId, personId, options)).toBe(expected);
  return page.results.map((p) => ids.datasetIdOf(p.id)).sort();
}

const seen = { compared: 0, nonEmpty: 0, notEveryone: 0 };

describe('cohorts: SQL membership equals the reference evaluator', () => {
  it.each(cases)('seed $seed', async (c) => {
    const rng = mulberry32(c.seed * 104_729);
    const ids = await personIdMaps(db().runner, c.projectId, c.dataset);
    // "Now" on an event, or whole days after one, so window bounds fall on events.
    const events = c.dataset.events;
    const anchor = events[Math.floor(rng() * events.length)]?.timestampMs ?? DATA_START;
    const nowMs = rng() < 0.15 ? DATA_START + 70 * DAY_MS : anchor + Math.floor(rng() * 4) * DAY_MS;
    const fixed = randomStaticCohort(rng, c.dataset, ids.storeIdOf);
    const json = new Map<number, unknown>([[1, fixed.json]]);
    const refs: Array<{ id: number; definition: CohortDefinition }> = [
      { id: 1, definition: fixed.reference },
    ];
    const all = c.dataset.persons.length;
    for (let k = 0; k < COHORTS_PER_SEED; k++) {
      const id = k + 2;
      const cohort = randomDynamicCohort(rng, { refs });
      json.set(id, cohort.json);
      const expected = cohortMembers(c.dataset, cohort.reference, nowMs);
      const actual = await engineMembers(c, ids, json, id, nowMs);
      expect(actual, `seed ${c.seed} now ${nowMs} ${JSON.stringify(cohort.json)}`).toEqual(
        expected,
      );
      refs.push({ id, definition: cohort.reference });
      seen.compared += 1;
      if (expected.length > 0) seen.nonEmpty += 1;
      if (expected.length < all) seen.notEveryone += 1;
    }
    const staticMembers = await engineMembers(c, ids, json, 1, nowMs);
    expect(staticMembers).toEqual(cohortMembers(c.dataset, fixed.reference, nowMs));
  });

  it('compared cohorts that split the persons', () => {
    expect(seen.compared).toBe(cases.length * COHORTS_PER_SEED);
    expect(seen.nonEmpty / seen.compared).toBeGreaterThan(0.4);
    expect(seen.notEveryone / seen.compared).toBeGreaterThan(0.4);
  });
});
