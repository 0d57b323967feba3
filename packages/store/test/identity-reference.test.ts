import { describe, expect, it } from 'vitest';
import type { IdentityChange, Store } from '../src/index.js';
import { mulberry32, T0, useStores } from './helpers.js';

// Persons checked against a brute-force reference on generated change sequences (many seeds):
// the reference applies one change at a time to plain maps; the store gets the same sequence
// cut into random batches, with a warm person cache, a tiny one, and none.

function generate(seed: number): IdentityChange[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const ids = ['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7'];
  const keys = ['k0', 'k1', 'k2', 'k3'];
  const props = () =>
    Object.fromEntries(
      keys.filter(() => random() < 0.3).map((k) => [k, pick([1, 2, 'x', null, { n: 1 }])]),
    );
  return Array.from({ length: 40 }, (): IdentityChange => {
    const atMs = T0 + Math.floor(random() * 100_000);
    if (random() < 0.3)
      return { kind: 'merge', projectId: 1, distinctId: pick(ids), otherId: pick(ids), atMs };
    return {
      kind: 'person_seen',
      projectId: 1,
      distinctId: pick(ids),
      atMs,
      set: props(),
      setOnce: props(),
      unset: keys.filter(() => random() < 0.1),
    };
  });
}

interface RefPerson {
  properties: Record<string, unknown>;
  isIdentified: boolean;
  createdAtMs: number;
}

function reference(changes: readonly IdentityChange[]) {
  const owner = new Map<string, RefPerson>();
  let refused = 0;
  const create = (atMs: number): RefPerson => ({
    properties: {},
    isIdentified: false,
    createdAtMs: atMs,
  });
  for (const c of changes) {
    if (c.kind === 'person_seen') {
      const p = owner.get(c.distinctId) ?? create(c.atMs);
      owner.set(c.distinctId, p);
      p.createdAtMs = Math.min(p.createdAtMs, c.atMs);
      for (const [k, v] of Object.entries(c.setOnce ?? {}))
        if (!(k in p.properties)) p.properties[k] = v;
      for (const [k, v] of Object.entries(c.set ?? {})) p.properties[k] = v;
      for (const k of c.unset ?? []) delete p.properties[k];
    } else if (c.kind === 'merge') {
      const a = owner.get(c.distinctId);
      const b = owner.get(c.otherId);
      let main: RefPerson;
      if (!a && !b) main = create(c.atMs);
      else if (!a) main = b as RefPerson;
      else if (!b || a === b) main = a;
      else if (a.isIdentified && b.isIdentified) {
        refused += 1;
        continue;
      } else {
        a.properties = { ...b.properties, ...a.properties };
        a.createdAtMs = Math.min(a.createdAtMs, b.createdAtMs);
        for (const [d, p] of owner) if (p === b) owner.set(d, a);
        main = a;
      }
      main.createdAtMs = Math.min(main.createdAtMs, c.atMs);
      main.isIdentified = true;
      owner.set(c.distinctId, main);
      owner.set(c.otherId, main);
    }
  }
  return { owner, refused };
}

async function applyInBatches(
  store: Store,
  changes: readonly IdentityChange[],
  seed: number,
): Promise<number> {
  const random = mulberry32(seed * 7 + 1);
  let refused = 0;
  for (let i = 0; i < changes.length; ) {
    const n = 1 + Math.floor(random() * 12);
    const result = await store.events.append([], changes.slice(i, i + n));
    refused += result.refusedMerges ?? 0;
    i += n;
  }
  return refused;
}

describe('persons against a brute-force reference', () => {
  const openStore = useStores();

  it.each([
    ['a warm person cache', 100_000],
    ['a two-person cache', 2],
    ['no person cache', 0],
  ])('matches the reference on 40 generated sequences with %s', async (_, maxCachedPersons) => {
    for (let seed = 1; seed <= 40; seed++) {
      const changes = generate(seed);
      const expected = reference(changes);
      const store = await openStore({ maxCachedPersons });
      // Every id is unknown before the writes: a store that remembers so must forget it.
      for (const d of expected.owner.keys())
        expect(await store.events.getPersonProperties(1, d)).toBeUndefined();
      const refused = await applyInBatches(store, changes, seed);
      expect(refused, `seed ${seed}`).toBe(expected.refused);
      const groups = new Map<RefPerson, string[]>();
      for (const [d, p] of expected.owner) groups.set(p, [...(groups.get(p) ?? []), d]);
      for (const [p, ids] of groups) {
        const stored = await store.events.getPerson(1, ids[0] as string);
        expect(stored, `seed ${seed}`).toEqual({
          id: expect.any(String),
          distinctIds: [...ids].sort(),
          properties: p.properties,
          isIdentified: p.isIdentified,
          createdAt: new Date(p.createdAtMs).toISOString(),
        });
        // The flags' read: from the cache when it holds the id, else from the database.
        for (const d of ids)
          expect(await store.events.getPersonProperties(1, d), `seed ${seed} ${d}`).toEqual({
            id: stored?.id,
            properties: p.properties,
          });
      }
      expect(await store.events.getPersonProperties(1, 'nobody')).toBeUndefined();
      const listed = await store.events.listPersons(1, { limit: 100 });
      expect(listed.results, `seed ${seed}`).toHaveLength(groups.size);
      await store.close();
    }
  });
});
