import { describe, expect, it } from 'vitest';
import type { IdentityChange } from '../src/index.js';
import { makeEvent, merge, mulberry32, seen, T0, useStores } from './helpers.js';

describe('DuckDB store: persons', () => {
  const openStore = useStores();

  it('creates a person on first sight and applies $set, $set_once and $unset across batches', async () => {
    const store = await openStore();
    await store.events.append(
      [makeEvent({ n: 1 })],
      [seen('u', T0, { set: { plan: 'free', tmp: 1 }, setOnce: { first_seen: 'mon' } })],
    );
    await store.events.append(
      [makeEvent({ n: 2 })],
      [seen('u', T0 + 1, { set: { plan: 'pro' }, setOnce: { first_seen: 'tue' }, unset: ['tmp'] })],
    );
    const person = await store.events.getPerson(1, 'u');
    expect(person).toEqual({
      id: expect.any(String),
      distinctIds: ['u'],
      properties: { plan: 'pro', first_seen: 'mon' },
      createdAt: new Date(T0).toISOString(),
      isIdentified: false,
    });
  });

  it('follows anonymous events, $identify and more events in one append to one person', async () => {
    const store = await openStore();
    const events = [
      makeEvent({ n: 1, distinctId: 'anon-1' }),
      makeEvent({ n: 2, distinctId: 'anon-1' }),
      makeEvent({ n: 3, distinctId: 'user-42', event: '$identify' }),
      makeEvent({ n: 4, distinctId: 'user-42' }),
    ];
    const changes: IdentityChange[] = [
      seen('anon-1', T0 + 1000, { set: { ref: 'ad' } }),
      seen('anon-1', T0 + 2000),
      merge('user-42', 'anon-1', T0 + 3000),
      seen('user-42', T0 + 3000, { set: { email_domain: 'acme.test' } }),
      seen('user-42', T0 + 4000),
    ];
    await store.events.append(events, changes);
    const person = await store.events.getPerson(1, 'user-42');
    expect(person).toMatchObject({
      distinctIds: ['anon-1', 'user-42'],
      properties: { ref: 'ad', email_domain: 'acme.test' },
      isIdentified: true,
      createdAt: new Date(T0 + 1000).toISOString(),
    });
    const page = await store.events.listEvents({ projectId: 1, limit: 10 });
    expect(new Set(page.results.map((e) => e.personId))).toEqual(new Set([person?.id]));
  });

  it('moves anonymous history to the identified person when the merge comes in a later batch', async () => {
    const store = await openStore();
    await store.events.append(
      [makeEvent({ n: 1, distinctId: 'anon' })],
      [seen('anon', T0, { set: { a: 1, shared: 'anon' } })],
    );
    await store.events.append(
      [makeEvent({ n: 2, distinctId: 'user' })],
      [seen('user', T0 + 5, { set: { shared: 'user' } })],
    );
    const user = await store.events.getPerson(1, 'user');
    await store.events.append(
      [makeEvent({ n: 3, distinctId: 'user' })],
      [merge('user', 'anon', T0 + 10)],
    );
    const merged = await store.events.getPerson(1, 'anon');
    expect(merged).toMatchObject({
      id: user?.id,
      distinctIds: ['anon', 'user'],
      properties: { a: 1, shared: 'user' },
      isIdentified: true,
      createdAt: new Date(T0).toISOString(),
    });
    const history = await store.events.listEvents({ projectId: 1, limit: 10, distinctId: 'anon' });
    expect(history.results[0]?.personId).toBe(user?.id);
    const all = await store.events.listPersons(1, { limit: 10 });
    expect(all.results).toHaveLength(1);
  });

  it('refuses to merge two identified persons and reports it', async () => {
    const store = await openStore();
    await store.events.append([], [merge('alice', 'a-anon', T0), merge('bob', 'b-anon', T0)]);
    const result = await store.events.append([], [merge('alice', 'bob', T0 + 1)]);
    expect(result).toMatchObject({ refusedMerges: 1, refusedMergeIndexes: [0] });
    const alice = await store.events.getPerson(1, 'alice');
    const bob = await store.events.getPerson(1, 'bob');
    expect(alice?.id).not.toBe(bob?.id);
    expect(bob?.distinctIds).toEqual(['b-anon', 'bob']);
  });

  it("reports a refused merge at its position when known users' events come before it", async () => {
    const store = await openStore();
    await store.events.append([], [merge('alice', 'a-anon', T0), merge('bob', 'b-anon', T0)]);
    const result = await store.events.append(
      [],
      [
        seen('alice', T0 + 1),
        seen('bob', T0 + 1),
        merge('alice', 'bob', T0 + 2),
        seen('bob', T0 + 3),
      ],
    );
    expect(result).toMatchObject({ refusedMerges: 1, refusedMergeIndexes: [2] });
  });

  it("takes an event earlier than a cached person's creation as its new creation time", async () => {
    const store = await openStore();
    await store.events.append([], [seen('late', T0 + 1000)]);
    await store.events.append([], [seen('late', T0 + 2000)]);
    expect((await store.events.getPerson(1, 'late'))?.createdAt).toBe(
      new Date(T0 + 1000).toISOString(),
    );
    await store.events.append([], [seen('late', T0)]);
    expect((await store.events.getPerson(1, 'late'))?.createdAt).toBe(new Date(T0).toISOString());
  });

  it('handles $create_alias for an existing person: the alias joins it', async () => {
    const store = await openStore();
    await store.events.append([], [seen('user', T0)]);
    await store.events.append([], [merge('user', 'user-email-hash', T0 + 1)]);
    expect((await store.events.getPerson(1, 'user-email-hash'))?.distinctIds).toEqual([
      'user',
      'user-email-hash',
    ]);
  });

  it('lists persons newest first with all their distinct ids, in pages', async () => {
    const store = await openStore();
    const changes = Array.from({ length: 7 }, (_, i) => seen(`p${i}`, T0 + i * 1000));
    await store.events.append([], [...changes, merge('p6', 'p6-alias', T0 + 9000)]);
    const first = await store.events.listPersons(1, { limit: 4 });
    expect(first.results.map((p) => p.distinctIds)).toEqual([
      ['p6', 'p6-alias'],
      ['p5'],
      ['p4'],
      ['p3'],
    ]);
    const second = await store.events.listPersons(1, {
      limit: 4,
      cursor: first.nextCursor as string,
    });
    expect(second.results.map((p) => p.distinctIds[0])).toEqual(['p2', 'p1', 'p0']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('does not create a person for changes of another project', async () => {
    const store = await openStore();
    await store.events.append([], [seen('u', T0, {}, 2)]);
    expect(await store.events.getPerson(1, 'u')).toBeUndefined();
    expect(await store.events.getPerson(2, 'u')).toBeDefined();
  });
});

describe('DuckDB store: groups', () => {
  const openStore = useStores();

  it('creates and updates groups from group_set, named by the project type mapping', async () => {
    const store = await openStore();
    const project = await store.metadata.createProject({
      name: 'p',
      token: 'phc_groups_test_token',
    });
    const set = (key: string, props: Record<string, unknown>, atMs: number): IdentityChange => ({
      kind: 'group_set',
      projectId: project.id,
      groupTypeIndex: 0,
      groupKey: key,
      set: props,
      atMs,
    });
    await store.events.append(
      [],
      [set('acme', { plan: 'free', seats: 3 }, T0), set('globex', { plan: 'pro' }, T0 + 1)],
    );
    await store.events.append([], [set('acme', { plan: 'pro' }, T0 + 2)]);
    expect(await store.events.getGroup(project.id, 0, 'acme')).toEqual({
      groupTypeIndex: 0,
      groupType: 'tenant',
      groupKey: 'acme',
      properties: { plan: 'pro', seats: 3 },
      createdAt: new Date(T0).toISOString(),
    });
    const first = await store.events.listGroups(project.id, 0, { limit: 1 });
    expect(first.results.map((g) => g.groupKey)).toEqual(['globex']);
    const rest = await store.events.listGroups(project.id, 0, {
      limit: 5,
      cursor: first.nextCursor as string,
    });
    expect(rest.results.map((g) => g.groupKey)).toEqual(['acme']);
    expect(await store.events.getGroup(project.id, 1, 'acme')).toBeUndefined();
  });

  it('refuses a group type index outside 0..4', async () => {
    const store = await openStore();
    await expect(
      store.events.append(
        [],
        [{ kind: 'group_set', projectId: 1, groupTypeIndex: 5, groupKey: 'k', set: {}, atMs: T0 }],
      ),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('reads groups from memory exactly as from the database, across writes and during them', async () => {
    // The same random writes and reads on a store that keeps groups and one that keeps none;
    // some reads run while a write is in flight. Every answer must match.
    const stores = [await openStore(), await openStore({ maxCachedPersons: 0 })];
    for (const store of stores)
      await store.metadata.createProject({ name: 'p', token: 'phc_group_cache_token' });
    const random = mulberry32(17);
    const keys = ['acme', 'globex', 'initech', 'umbrella'];
    const pick = () => keys[Math.floor(random() * keys.length)] as string;
    let hits = 0;
    for (let step = 0; step < 60; step++) {
      const batch: IdentityChange[] = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
        kind: 'group_set',
        projectId: 1,
        groupTypeIndex: 0,
        groupKey: pick(),
        set: { plan: random() < 0.5 ? 'free' : 'pro', step },
        atMs: T0 + step,
      }));
      const key = pick();
      const answers = await Promise.all(
        stores.map(async (store) => {
          const during = store.events.getGroup(1, 0, key);
          const [before] = await Promise.all([during, store.events.append([], batch)]);
          return { before, after: await store.events.getGroup(1, 0, key) };
        }),
      );
      // A read racing the write may see either side of it; after the write, only the new one.
      expect(answers[0]?.after, `step ${step}`).toEqual(answers[1]?.after);
      if (answers[0]?.after !== undefined) hits += 1;
      for (const k of keys)
        expect(await stores[0]?.events.getGroup(1, 0, k), `step ${step} ${k}`).toEqual(
          await stores[1]?.events.getGroup(1, 0, k),
        );
    }
    expect(hits).toBeGreaterThan(30);
  });
});
