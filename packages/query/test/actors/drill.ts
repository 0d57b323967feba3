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
export async function drill<C extends 'event_count' | 'appearances' = 'event_count'>(
  dataset: Dataset,
  source: Record<string, unknown>,
  options: DrillOptions,
  column: C = 'event_count' as C,
): Promise<Map<string, C extends 'event_count' ? number : number[]>> {
  const owner = new Map<string, string>();
  for (const person of dataset.persons)
    for (const id of person.distinctIds) owner.set(id, person.id);
  const out = new Map<string, C extends 'event_count' ? number : number[]>();
  const ids = new Set<string>();
  for (let offset = 0; ; offset += PAGE) {
    const response = (await runQuery(
      { kind: 'ActorsQuery', source, select: ['actor', column], limit: PAGE, offset },
      { ...options },
    )) as unknown as {
      results: Array<[ActorObject, C extends 'event_count' ? number : number[]]>;
      hasMore: boolean;
    };
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

/** A map's entries sorted by key, for comparing two maps with readable diffs. */
export function sorted<V>(map: ReadonlyMap<string, V>): Array<[string, V]> {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export const names = (map: ReadonlyMap<string, unknown>): string[] => [...map.keys()].sort();
