import { describe, expect, it } from 'vitest';
import type { IdentityChange } from '../types.js';
import { identityKeys, type LoadedIdentity, planIdentity } from './identity-plan.js';

const T = 1_000_000;
const NONE: LoadedIdentity = { distinctIds: [], persons: [] };

function ids(): () => string {
  let n = 0;
  return () => `p${++n}`;
}

const seen = (distinctId: string, atMs = T, extra: object = {}): IdentityChange => ({
  kind: 'person_seen',
  projectId: 1,
  distinctId,
  atMs,
  ...extra,
});
const merge = (distinctId: string, otherId: string, atMs = T): IdentityChange => ({
  kind: 'merge',
  projectId: 1,
  distinctId,
  otherId,
  atMs,
});

function stored(
  id: string,
  distinctIds: string[],
  isIdentified = false,
  properties = {},
): LoadedIdentity {
  return {
    persons: [{ projectId: 1, id, properties, isIdentified, createdAtMs: T - 100 }],
    distinctIds: distinctIds.map((distinctId) => ({ projectId: 1, distinctId, personId: id })),
  };
}

function join(...loaded: LoadedIdentity[]): LoadedIdentity {
  return {
    persons: loaded.flatMap((l) => l.persons),
    distinctIds: loaded.flatMap((l) => l.distinctIds),
  };
}

describe('planIdentity', () => {
  it('lists every distinct id the batch mentions once, for loading', () => {
    expect(identityKeys([seen('a'), merge('b', 'a'), seen('b')])).toEqual([
      { projectId: 1, distinctId: 'a' },
      { projectId: 1, distinctId: 'b' },
    ]);
  });

  it('creates one person per new distinct id, with set_once then set then unset applied', () => {
    const plan = planIdentity(
      [
        seen('a', T, { setOnce: { first: 1, plan: 'free' }, set: { plan: 'pro', tmp: 1 } }),
        seen('a', T + 1, { setOnce: { first: 2 }, unset: ['tmp'] }),
      ],
      NONE,
      ids(),
    );
    expect(plan.insertPersons).toEqual([
      {
        projectId: 1,
        id: 'p1',
        properties: '{"first":1,"plan":"pro"}',
        isIdentified: false,
        createdAtMs: T,
      },
    ]);
    expect(plan.insertDistinctIds).toEqual([{ projectId: 1, distinctId: 'a', personId: 'p1' }]);
  });

  it('leaves a stored person alone when an event changes nothing', () => {
    const plan = planIdentity(
      [seen('a', T, { set: { plan: 'pro' } })],
      stored('s1', ['a'], false, { plan: 'pro' }),
      ids(),
    );
    expect(plan.updatePersons).toEqual([]);
    expect(plan.insertPersons).toEqual([]);
  });

  it('follows anonymous events, $identify and later events in one batch to one identified person', () => {
    const plan = planIdentity(
      [
        seen('anon', T, { set: { a: 1 } }),
        merge('user', 'anon', T + 1),
        seen('user', T + 2, { set: { b: 2 } }),
      ],
      NONE,
      ids(),
    );
    expect(plan.insertPersons).toEqual([
      { projectId: 1, id: 'p1', properties: '{"a":1,"b":2}', isIdentified: true, createdAtMs: T },
    ]);
    expect(plan.insertDistinctIds.map((d) => [d.distinctId, d.personId])).toEqual([
      ['anon', 'p1'],
      ['user', 'p1'],
    ]);
  });

  it('creates one identified person for two unseen ids', () => {
    const plan = planIdentity([merge('user', 'anon')], NONE, ids());
    expect(plan.insertPersons).toHaveLength(1);
    expect(plan.insertPersons[0]?.isIdentified).toBe(true);
    expect(plan.insertDistinctIds).toHaveLength(2);
  });

  it("merges a stored anonymous person into the user's person: main's properties win, ids repoint", () => {
    const loaded = join(
      stored('s-anon', ['anon'], false, { plan: 'free', src: 'ad' }),
      stored('s-user', ['user'], true, { plan: 'pro' }),
    );
    const plan = planIdentity([merge('user', 'anon')], loaded, ids());
    expect(plan.updatePersons).toEqual([
      {
        projectId: 1,
        id: 's-user',
        properties: '{"plan":"pro","src":"ad"}',
        isIdentified: true,
        createdAtMs: T - 100,
      },
    ]);
    expect(plan.deletePersons).toEqual([{ projectId: 1, id: 's-anon' }]);
    expect(plan.repoints).toEqual([{ projectId: 1, fromId: 's-anon', toId: 's-user' }]);
    expect(plan.refusedMergeIndexes).toEqual([]);
  });

  it('refuses to merge two identified persons and reports the change position', () => {
    const loaded = join(stored('s-a', ['a'], true), stored('s-b', ['b'], true));
    const plan = planIdentity([seen('a'), merge('a', 'b')], loaded, ids());
    expect(plan.refusedMergeIndexes).toEqual([1]);
    expect(plan.deletePersons).toEqual([]);
    expect(plan.repoints).toEqual([]);
  });

  it('collapses a chain of merges into one repoint per stored person', () => {
    const loaded = join(stored('s-x', ['x']), stored('s-y', ['y']), stored('s-z', ['z']));
    const plan = planIdentity([merge('y', 'x'), merge('z', 'y')], loaded, ids());
    expect(plan.repoints).toEqual([
      { projectId: 1, fromId: 's-x', toId: 's-z' },
      { projectId: 1, fromId: 's-y', toId: 's-z' },
    ]);
    expect(plan.deletePersons.map((p) => p.id).sort()).toEqual(['s-x', 's-y']);
  });

  it('attaches an unseen id to the only existing person and marks it identified', () => {
    const plan = planIdentity([merge('user', 'anon')], stored('s-anon', ['anon']), ids());
    expect(plan.insertDistinctIds).toEqual([
      { projectId: 1, distinctId: 'user', personId: 's-anon' },
    ]);
    expect(plan.updatePersons[0]?.isIdentified).toBe(true);
  });

  it('treats __proto__ and toString as ordinary property names', () => {
    const plan = planIdentity(
      [seen('a', T, { setOnce: JSON.parse('{"__proto__":{"x":1},"toString":"t"}') })],
      NONE,
      ids(),
    );
    expect(JSON.parse(plan.insertPersons[0]?.properties ?? '')).toEqual(
      JSON.parse('{"__proto__":{"x":1},"toString":"t"}'),
    );
  });

  it('keeps the earliest time as created_at', () => {
    const plan = planIdentity([seen('a', T), seen('a', T - 500)], NONE, ids());
    expect(plan.insertPersons[0]?.createdAtMs).toBe(T - 500);
  });

  it('keeps projects apart: the same distinct id in two projects is two persons', () => {
    const plan = planIdentity(
      [seen('a'), { ...seen('a'), projectId: 2 } as IdentityChange],
      NONE,
      ids(),
    );
    expect(plan.insertPersons.map((p) => p.projectId)).toEqual([1, 2]);
  });
});
