import { describe, expect, it } from 'vitest';
import type { IdentityPlan, LoadedIdentity } from './identity-plan.js';
import { createPersonCache } from './person-cache.js';

const person = (id: string, properties: Record<string, unknown> = {}) => ({
  projectId: 1,
  id,
  properties,
  isIdentified: false,
  createdAtMs: 0,
});

function plan(overrides: Partial<IdentityPlan> = {}): IdentityPlan {
  return {
    insertPersons: [],
    updatePersons: [],
    deletePersons: [],
    insertDistinctIds: [],
    repoints: [],
    refusedMergeIndexes: [],
    persons: [],
    links: [],
    ...overrides,
  };
}

const loaded = (pairs: Array<[string, string]>): LoadedIdentity => ({
  persons: [...new Set(pairs.map(([, id]) => id))].map((id) => person(id)),
  distinctIds: pairs.map(([distinctId, personId]) => ({ projectId: 1, distinctId, personId })),
});

describe('person cache', () => {
  it('answers what a committed batch loaded and changed, and nothing else', () => {
    const cache = createPersonCache(10);
    cache.commit(
      loaded([['a', 'p1']]),
      plan({
        persons: [person('p1', { x: 1 })],
        links: [{ projectId: 1, distinctId: 'b', personId: 'p1' }],
      }),
    );
    const { found, missing } = cache.lookup([
      { projectId: 1, distinctId: 'a' },
      { projectId: 1, distinctId: 'b' },
      { projectId: 1, distinctId: 'c' },
      { projectId: 2, distinctId: 'a' },
    ]);
    expect(found.persons).toEqual([person('p1', { x: 1 })]);
    expect(found.distinctIds.map((d) => d.distinctId)).toEqual(['a', 'b']);
    expect(missing).toEqual([
      { projectId: 1, distinctId: 'c' },
      { projectId: 2, distinctId: 'a' },
    ]);
  });

  it('forgets every id of a merged-away person, since the database repointed the ones it did not see', () => {
    const cache = createPersonCache(10);
    cache.commit(
      loaded([
        ['a', 'p1'],
        ['a2', 'p1'],
        ['b', 'p2'],
      ]),
      plan(),
    );
    cache.commit(
      { persons: [], distinctIds: [] },
      plan({
        deletePersons: [{ projectId: 1, id: 'p1' }],
        persons: [person('p2')],
        links: [{ projectId: 1, distinctId: 'a', personId: 'p2' }],
      }),
    );
    const { found, missing } = cache.lookup([
      { projectId: 1, distinctId: 'a' },
      { projectId: 1, distinctId: 'a2' },
    ]);
    expect(found.distinctIds).toEqual([{ projectId: 1, distinctId: 'a', personId: 'p2' }]);
    expect(missing.map((m) => m.distinctId)).toEqual(['a2']);
  });

  it('drops the least recently used persons past its size', () => {
    const cache = createPersonCache(2);
    cache.commit(
      loaded([
        ['a', 'p1'],
        ['b', 'p2'],
      ]),
      plan(),
    );
    cache.lookup([{ projectId: 1, distinctId: 'a' }]);
    cache.commit(loaded([['c', 'p3']]), plan());
    expect(cache.size).toBe(2);
    const { missing } = cache.lookup(
      ['a', 'b', 'c'].map((distinctId) => ({ projectId: 1, distinctId })),
    );
    expect(missing.map((m) => m.distinctId)).toEqual(['b']);
  });

  it('tells which changes are no-ops: bare events of cached users at or after their creation', () => {
    const cache = createPersonCache(1);
    cache.commit(loaded([['a', 'p1']]), plan());
    const seenA = { kind: 'person_seen', projectId: 1, distinctId: 'a' } as const;
    expect(cache.isNoOp({ ...seenA, atMs: 0 })).toBe(true);
    expect(cache.isNoOp({ ...seenA, atMs: 5 })).toBe(true);
    expect(cache.isNoOp({ ...seenA, atMs: -1 })).toBe(false);
    expect(cache.isNoOp({ ...seenA, atMs: 5, set: { x: 1 } })).toBe(false);
    expect(cache.isNoOp({ ...seenA, atMs: 5, setOnce: { x: 1 } })).toBe(false);
    expect(cache.isNoOp({ ...seenA, atMs: 5, unset: ['x'] })).toBe(false);
    expect(cache.isNoOp({ ...seenA, distinctId: 'b', atMs: 5 })).toBe(false);
    expect(cache.isNoOp({ ...seenA, projectId: 2, atMs: 5 })).toBe(false);
    expect(
      cache.isNoOp({ kind: 'merge', projectId: 1, distinctId: 'a', otherId: 'a', atMs: 5 }),
    ).toBe(false);
  });

  it('counts a no-op as a use: the person stays cached over one that was not seen since', () => {
    const cache = createPersonCache(2);
    cache.commit(loaded([['a', 'p1']]), plan());
    cache.commit(loaded([['b', 'p2']]), plan());
    expect(cache.isNoOp({ kind: 'person_seen', projectId: 1, distinctId: 'a', atMs: 1 })).toBe(
      true,
    );
    cache.commit(loaded([['c', 'p3']]), plan());
    const { missing } = cache.lookup([
      { projectId: 1, distinctId: 'a' },
      { projectId: 1, distinctId: 'b' },
    ]);
    expect(missing.map((m) => m.distinctId)).toEqual(['b']);
  });
});
