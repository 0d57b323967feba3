import { describe, expect, it } from 'vitest';
import { type PersonActor, runQuery } from '../../src/index.js';
import { type Dataset, generateDataset, mulberry32, type RefPerson } from '../dataset.js';
import { chance, pick } from '../dataset-psa.js';
import { type FilterOperator, matchesValue } from '../reference/filters.js';
import { seedCases, useLoadedCases } from '../seed-cases.js';

// The persons list (ActorsQuery without source) against a brute-force reading of generated
// data, 12 seeds: every page of the default order holds each person of the dataset once (all its
// distinct ids, its properties and creation time), newest first, ties by id; random
// person-property filters, searches and static cohorts keep exactly the persons they should.

const PAGE = 7;
const FILTERS_PER_SEED = 6;
const NOW = Date.parse('2024-06-01T12:00:00Z');

/** Some persons get an email or a name, so search has something besides ids to find. */
function withContacts(dataset: Dataset, seed: number): Dataset {
  const rng = mulberry32(seed * 7919 + 3);
  const persons = dataset.persons.map((person, i): RefPerson => {
    const properties = { ...person.properties };
    if (chance(rng, 0.6)) properties.email = `Tech.${i}@${pick(rng, ['Acme', 'globex'])}.example`;
    if (chance(rng, 0.4)) properties.name = `${pick(rng, ['Ann', 'Bo', 'Kim'])} Smith-${i}`;
    return { ...person, properties };
  });
  return { ...dataset, persons };
}

const cases = seedCases({ count: 12 }, (seed) => ({
  dataset: withContacts(
    generateDataset(seed, { events: 300, persons: 5 + ((seed * 7) % 30), tenants: 3 }),
    seed,
  ),
}));

const db = useLoadedCases(cases);
const covered = { partial: 0 };

interface Page {
  results: unknown[][];
  hasMore: boolean;
}

async function list(projectId: number, extra: Record<string, unknown>): Promise<Page> {
  const response = await runQuery(
    { kind: 'ActorsQuery', select: ['person'], ...extra },
    {
      projectId,
      timezone: 'Europe/Berlin',
      now: NOW,
      runner: db().runner,
      cohorts: async (ids: readonly number[]) => new Map(ids.map((id) => [id, cohortOf(id)])),
    },
  );
  return response as unknown as Page;
}

/** Cohort ids encode their static members: the tests register them in `STATIC`. */
const STATIC = new Map<number, string[]>();
const cohortOf = (id: number) => ({ is_static: true, distinct_ids: STATIC.get(id) ?? [] });

const ownerOf = (dataset: Dataset): Map<string, RefPerson> =>
  new Map(dataset.persons.flatMap((p) => p.distinctIds.map((id) => [id, p] as const)));

/** A random list filter: its query parts and the brute-force test of a person. */
interface RandomFilter {
  readonly query: Record<string, unknown>;
  readonly keeps: (person: RefPerson, id: string) => boolean;
}

function randomFilter(rng: () => number, dataset: Dataset, serial: number): RandomFilter {
  const someone = pick(rng, dataset.persons);
  switch (Math.floor(rng() * 4)) {
    case 0: {
      const key = pick(rng, ['plan', 'user_type', 'is_admin', 'email']);
      const operator = pick<FilterOperator>(rng, ['exact', 'is_not', 'is_set', 'is_not_set']);
      const value = someone.properties[key] ?? 'free';
      const filter = { type: 'person', key, operator, value: String(value) };
      return {
        query: { properties: [filter] },
        keeps: (p) => matchesValue(p.properties[key], operator, String(value)),
      };
    }
    case 1: {
      // A piece of one of someone's distinct ids, email or name, in another case.
      const texts = [...someone.distinctIds, someone.properties.email, someone.properties.name];
      const text = String(
        pick(
          rng,
          texts.filter((t) => typeof t === 'string'),
        ),
      );
      const start = Math.floor(rng() * (text.length - 2));
      const piece = text.slice(start, start + 3 + Math.floor(rng() * 4));
      const search = chance(rng, 0.5) ? piece.toUpperCase() : piece;
      const has = (t: unknown) =>
        typeof t === 'string' && t.toLowerCase().includes(piece.toLowerCase());
      return {
        query: { search },
        keeps: (p, id) =>
          id.toLowerCase().includes(piece.toLowerCase()) ||
          p.distinctIds.some(has) ||
          has(p.properties.email) ||
          has(p.properties.name),
      };
    }
    default: {
      // A static cohort of random persons, each named by a random one of its distinct ids.
      const members = dataset.persons.filter(() => chance(rng, 0.4));
      const id = 1000 * serial + STATIC.size + 1;
      STATIC.set(
        id,
        members.map((p) => pick(rng, p.distinctIds)),
      );
      const operator = chance(rng, 0.5) ? 'in' : 'not_in';
      const inside = new Set(members);
      return {
        query: { properties: [{ type: 'cohort', key: 'id', value: id, operator }] },
        keeps: (p) => inside.has(p) === (operator === 'in'),
      };
    }
  }
}

describe('the persons list equals the brute-force reading of the dataset', () => {
  it.each(cases)('seed $seed', async (c) => {
    const owner = ownerOf(c.dataset);
    const listed: PersonActor[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await list(c.projectId, { limit: PAGE, offset });
      listed.push(...page.results.map((row) => row[0] as PersonActor));
      if (!page.hasMore) break;
      expect(page.results).toHaveLength(PAGE);
    }
    // Each person once, as stored: every distinct id, properties, creation time.
    const seen = listed.map((actor) => owner.get(actor.distinct_ids[0] ?? ''));
    expect(new Set(seen).size).toBe(listed.length);
    expect(seen.map((p) => p?.id).sort()).toEqual(c.dataset.persons.map((p) => p.id).sort());
    for (const [i, actor] of listed.entries()) {
      const person = seen[i] as RefPerson;
      expect(actor.distinct_ids).toEqual([...person.distinctIds].sort());
      expect(actor.properties).toEqual(person.properties);
      expect(actor.created_at).toBe(new Date(person.createdAtMs).toISOString());
    }
    // Newest first, then by id.
    for (const [i, actor] of listed.entries()) {
      const next = listed[i + 1];
      if (next === undefined) break;
      const [a, b] = [Date.parse(actor.created_at ?? ''), Date.parse(next.created_at ?? '')];
      expect(a > b || (a === b && actor.id < next.id), `${i}: ${actor.id} before ${next.id}`).toBe(
        true,
      );
    }

    const rng = mulberry32(c.seed * 104_729 + 11);
    const idOf = new Map(listed.map((actor, i) => [seen[i] as RefPerson, actor.id]));
    for (let k = 0; k < FILTERS_PER_SEED; k++) {
      const filter = randomFilter(rng, c.dataset, c.seed);
      const page = await list(c.projectId, { ...filter.query, limit: 10_000 });
      const got = page.results.map((row) =>
        owner.get((row[0] as PersonActor).distinct_ids[0] ?? ''),
      );
      const expected = c.dataset.persons.filter((p) => filter.keeps(p, idOf.get(p) ?? ''));
      expect(got.map((p) => p?.id).sort(), JSON.stringify(filter.query)).toEqual(
        expected.map((p) => p.id).sort(),
      );
      if (expected.length > 0 && expected.length < c.dataset.persons.length) covered.partial += 1;
    }
  });

  it('tried filters that keep some persons but not all', () => {
    expect(covered.partial).toBeGreaterThan(cases.length * 2);
  });
});
