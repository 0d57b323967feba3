// Shared by the randomized drill-down tests: run an ActorsQuery for one data point (every page
// of it), and name the actors the way the reference evaluators do (person id, `distinct:<id>` for
// a personless actor, group key), so the two lists can be compared as maps actor -> count.

import { expect } from 'vitest';
import { type ActorObject, runQuery, type SqlRunner } from '../../src/index.js';
import type { Dataset } from '../dataset.js';

export interface DrillOptions {
  readonly projectId: number;
  readonly timezone: string;
  readonly now: number;
  readonly runner: SqlRunner;
  readonly weekStartDay?: 0 | 1;
}

/** Page size for the random tests: small, so most points span several pages. */
const PAGE = 7;

/**
 * Every actor of a point as `name -> event_count`, read page by page (checking that pages
 * neither overlap nor skip, and that `hasMore` is false on the last one).
 */
export async function drill(
  dataset: Dataset,
  source: Record<string, unknown>,
  options: DrillOptions,
): Promise<Map<string, number>> {
  const owner = new Map<string, string>();
  for (const person of dataset.persons)
    for (const id of person.distinctIds) owner.set(id, person.id);
  const out = new Map<string, number>();
  const ids = new Set<string>();
  for (let offset = 0; ; offset += PAGE) {
    const response = (await runQuery(
      { kind: 'ActorsQuery', source, select: ['actor', 'event_count'], limit: PAGE, offset },
      { ...options },
    )) as unknown as { results: Array<[ActorObject, number]>; hasMore: boolean };
    for (const [actor, count] of response.results) {
      expect(ids.has(actor.id), 'an actor on two pages').toBe(false);
      ids.add(actor.id);
      out.set(referenceName(actor, owner), count);
    }
    if (!response.hasMore) {
      expect(response.results.length).toBeLessThanOrEqual(PAGE);
      return out;
    }
    expect(response.results).toHaveLength(PAGE);
  }
}

function referenceName(actor: ActorObject, owner: ReadonlyMap<string, string>): string {
  if (actor.type === 'group') return actor.id;
  const first = actor.distinct_ids[0] ?? '';
  if (actor.is_personless === true) return `distinct:${first}`;
  return owner.get(first) ?? `unknown:${first}`;
}

/** A reference's actor list as `name -> count` (counts not compared: 0). */
export function sorted(map: ReadonlyMap<string, number>): Array<[string, number]> {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export const names = (map: ReadonlyMap<string, number>): string[] => [...map.keys()].sort();
