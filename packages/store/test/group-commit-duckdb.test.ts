import { describe, expect, it } from 'vitest';
import { createGroupCommitter, type IdentityChange } from '../src/index.js';
import { makeEvent, seen, T0, useStores } from './helpers.js';

describe('group commit on the DuckDB store', () => {
  const openStore = useStores();

  it('pools concurrent submits into fewer commits and stores each event once', async () => {
    const store = await openStore();
    const committer = createGroupCommitter(store.events, { maxBatchRows: 1_000 });
    const submits = Array.from({ length: 40 }, (_, caller) => {
      const events = Array.from({ length: 25 }, (_, i) =>
        makeEvent({ n: caller * 25 + i + 1, distinctId: `user-${caller}` }),
      );
      const changes: IdentityChange[] = [
        {
          kind: 'person_seen',
          projectId: 1,
          distinctId: `user-${caller}`,
          atMs: T0,
          set: { caller },
        },
      ];
      return committer.submit(events, changes);
    });
    const results = await Promise.all(submits);
    expect(results.every((r) => r.inserted === 25 && r.duplicates === 0)).toBe(true);
    expect(await store.events.countEvents(1)).toBe(1_000);
    expect((await store.events.getPerson(1, 'user-7'))?.properties).toEqual({ caller: 7 });
    const stats = committer.stats();
    expect(stats.commits).toBeLessThan(40);
    expect(stats).toMatchObject({ committedRows: 1_000, pendingRows: 0, failedCommits: 0 });
    await committer.close();
  });

  it('gives each caller its own duplicates when retries share a commit with new events', async () => {
    const store = await openStore();
    const committer = createGroupCommitter(store.events);
    await committer.submit([makeEvent({ n: 1 }), makeEvent({ n: 2 })], []);
    const [retry, fresh, overlap] = await Promise.all([
      committer.submit([makeEvent({ n: 1 }), makeEvent({ n: 2 })], []),
      committer.submit([makeEvent({ n: 3 })], []),
      committer.submit([makeEvent({ n: 3 }), makeEvent({ n: 4 })], []),
    ]);
    expect(retry).toMatchObject({ inserted: 0, duplicates: 2 });
    expect(fresh).toMatchObject({ inserted: 1, duplicates: 0 });
    expect(overlap).toMatchObject({ inserted: 1, duplicates: 1, duplicateIndexes: [0] });
    expect(await store.events.countEvents(1)).toBe(4);
    await committer.close();
  });

  it('rejects every caller of a batch that cannot be stored, and stores none of it', async () => {
    const store = await openStore();
    const committer = createGroupCommitter(store.events);
    const good = committer.submit([makeEvent({ n: 1 })], []);
    const bad = committer.submit([makeEvent({ n: 2 })], [seen('user-1', Number.NaN)]);
    const results = await Promise.allSettled([good, bad]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await store.events.countEvents(1)).toBe(0);
    await committer.close();
  });

  it('refuses an event the table cannot hold when it is submitted, so it fails no one else', async () => {
    const store = await openStore();
    const committer = createGroupCommitter(store.events);
    const good = committer.submit([makeEvent({ n: 1 })], []);
    const bad = committer.submit([makeEvent({ n: 2, uuid: 'not-a-uuid' })], []);
    const results = await Promise.allSettled([good, bad]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(results[1]).toMatchObject({ reason: { code: 'invalid_input', detail: 'uuid' } });
    expect(await store.events.countEvents(1)).toBe(1);
    await committer.close();
  });
});
