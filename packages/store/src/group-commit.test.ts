import { describe, expect, it } from 'vitest';
import { StoreError } from './errors.js';
import { createGroupCommitter } from './group-commit.js';
import type {
  AppendResult,
  EncodedEvents,
  EventStore,
  IdentityChange,
  IngestEvent,
} from './types.js';

function event(uuid: string): IngestEvent {
  return {
    projectId: 1,
    uuid,
    event: 'e',
    distinctId: 'd',
    timestampMs: 0,
    receivedAtMs: 0,
    properties: {},
    groups: [],
    sessionId: null,
    processPerson: false,
  };
}

/** Marks a promise as handled now; the test still awaits (and checks) it later. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

const events = (prefix: string, n: number): IngestEvent[] =>
  Array.from({ length: n }, (_, i) => event(`${prefix}${i}`));

/**
 * An EventStore whose appends wait until the test releases them, recording each batch. It
 * dedups by uuid like the real one (stored before, or repeated in the batch).
 */
function fakeStore(options: { withIndexes?: boolean } = {}) {
  const batches: Array<{ uuids: readonly string[]; changes: readonly IdentityChange[] }> = [];
  const gates: Array<{ release: () => void; fail: (error: unknown) => void }> = [];
  const stored = new Set<string>();
  let active = 0;
  let maxActive = 0;
  const encode = (list: readonly IngestEvent[]): EncodedEvents => {
    const uuids = list.map((e) => {
      if (e.uuid === 'unencodable') throw new StoreError('invalid_input', 'uuid');
      return e.uuid;
    });
    return { keys: uuids, rows: uuids };
  };
  const store: Pick<EventStore, 'encode' | 'append'> = {
    encode,
    async append(events, changes) {
      const batch = (Array.isArray(events) ? encode(events) : (events as EncodedEvents)).keys;
      batches.push({ uuids: batch, changes });
      active += 1;
      maxActive = Math.max(maxActive, active);
      try {
        await new Promise<void>((release, fail) => gates.push({ release, fail }));
      } finally {
        active -= 1;
      }
      const duplicateIndexes: number[] = [];
      batch.forEach((uuid, i) => {
        if (stored.has(uuid)) duplicateIndexes.push(i);
        else stored.add(uuid);
      });
      const result: AppendResult = {
        inserted: batch.length - duplicateIndexes.length,
        duplicates: duplicateIndexes.length,
      };
      return options.withIndexes === false ? result : { ...result, duplicateIndexes };
    },
  };
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  return {
    store,
    batches,
    stored,
    maxActive: () => maxActive,
    /** Lets the oldest waiting append finish, after the writer loop has had a turn. */
    async release() {
      await tick();
      gates.shift()?.release();
      await tick();
    },
    async fail(error: unknown) {
      await tick();
      gates.shift()?.fail(error);
      await tick();
    },
    tick,
  };
}

describe('createGroupCommitter', () => {
  it('pools submits that arrive while a commit runs into the next commit, one append at a time', async () => {
    const fake = fakeStore();
    const committer = createGroupCommitter(fake.store);
    const first = committer.submit(events('a', 2), []);
    await fake.tick();
    const second = committer.submit(events('b', 3), []);
    const third = committer.submit(events('c', 1), []);
    expect(fake.batches).toHaveLength(1);
    await fake.release();
    expect(await first).toMatchObject({ inserted: 2, duplicates: 0 });
    expect(fake.batches.map((b) => b.uuids)).toEqual([
      ['a0', 'a1'],
      ['b0', 'b1', 'b2', 'c0'],
    ]);
    await fake.release();
    expect(await second).toMatchObject({ inserted: 3 });
    expect(await third).toMatchObject({ inserted: 1 });
    expect(fake.maxActive()).toBe(1);
    expect(committer.stats()).toMatchObject({
      commits: 2,
      committedRows: 6,
      rowsPerCommit: 3,
      pendingRows: 0,
    });
  });

  it('refuses a submit the store cannot encode at once, and commits the others', async () => {
    const fake = fakeStore();
    const committer = createGroupCommitter(fake.store);
    const good = committer.submit(events('a', 1), []);
    const bad = handled(committer.submit([event('ok'), event('unencodable')], []));
    await expect(bad).rejects.toMatchObject({ code: 'invalid_input' });
    await fake.release();
    await expect(good).resolves.toMatchObject({ inserted: 1 });
    expect(fake.batches.map((b) => b.uuids)).toEqual([['a0']]);
    expect(committer.stats().pendingRows).toBe(0);
  });

  it('resolves a caller only after the commit that holds its events', async () => {
    const fake = fakeStore();
    const committer = createGroupCommitter(fake.store);
    let isDone = false;
    const pending = committer.submit(events('a', 1), []).then(() => {
      isDone = true;
    });
    await fake.tick();
    await fake.tick();
    expect(isDone).toBe(false);
    await fake.release();
    await pending;
    expect(isDone).toBe(true);
  });

  it('keeps changes with their events and in submission order', async () => {
    const fake = fakeStore();
    const committer = createGroupCommitter(fake.store);
    const change = (id: string): IdentityChange => ({
      kind: 'person_seen',
      projectId: 1,
      distinctId: id,
      atMs: 0,
    });
    const a = committer.submit(events('a', 1), [change('a')]);
    const b = committer.submit(events('b', 1), [change('b')]);
    await fake.release();
    await Promise.all([a, b]);
    expect(
      fake.batches[0]?.changes.map((c) => (c.kind === 'person_seen' ? c.distinctId : '')),
    ).toEqual(['a', 'b']);
  });

  it('caps a commit at maxBatchRows without splitting one caller', async () => {
    const fake = fakeStore();
    const committer = createGroupCommitter(fake.store, { maxBatchRows: 4 });
    const submits = [
      committer.submit(events('a', 3), []),
      committer.submit(events('b', 3), []),
      committer.submit(events('c', 6), []),
    ];
    for (let i = 0; i < 3; i++) await fake.release();
    await Promise.all(submits);
    expect(fake.batches.map((b) => b.uuids.length)).toEqual([3, 3, 6]);
  });

  it('gives each caller its own inserted and duplicate counts', async () => {
    const fake = fakeStore();
    fake.stored.add('x');
    const committer = createGroupCommitter(fake.store);
    const a = committer.submit([event('x'), event('y')], []);
    const b = committer.submit([event('y'), event('z')], []);
    await fake.release();
    expect(await a).toMatchObject({ inserted: 1, duplicates: 1, duplicateIndexes: [0] });
    expect(await b).toMatchObject({ inserted: 1, duplicates: 1, duplicateIndexes: [0] });
  });

  it('attributes duplicates in submission order when the store gives no positions', async () => {
    const fake = fakeStore({ withIndexes: false });
    fake.stored.add('a0');
    fake.stored.add('a1');
    fake.stored.add('b0');
    const committer = createGroupCommitter(fake.store);
    const a = committer.submit(events('a', 2), []);
    const b = committer.submit(events('b', 2), []);
    await fake.release();
    expect(await a).toEqual({ inserted: 0, duplicates: 2, refusedMerges: 0 });
    expect(await b).toEqual({ inserted: 1, duplicates: 1, refusedMerges: 0 });
  });

  it('refuses a submit with overloaded at once when pending rows would exceed maxPendingRows', async () => {
    const fake = fakeStore();
    const committer = createGroupCommitter(fake.store, { maxPendingRows: 5 });
    const first = committer.submit(events('a', 3), []);
    const second = committer.submit(events('b', 2), []);
    await expect(committer.submit(events('c', 1), [])).rejects.toMatchObject({
      code: 'overloaded',
      status: 503,
    });
    expect(committer.stats()).toMatchObject({ pendingRows: 5, rejectedSubmits: 1 });
    await fake.release();
    await fake.release();
    await Promise.all([first, second]);
    const later = committer.submit(events('c', 5), []);
    await fake.release();
    await expect(later).resolves.toMatchObject({ inserted: 5 });
  });

  it('takes a lone submit larger than maxPendingRows rather than refusing it forever', async () => {
    const fake = fakeStore();
    const committer = createGroupCommitter(fake.store, { maxPendingRows: 2 });
    const big = committer.submit(events('a', 10), []);
    await fake.release();
    await expect(big).resolves.toMatchObject({ inserted: 10 });
  });

  it('rejects every caller of a failed commit, reports it, and goes on with the next batch', async () => {
    const fake = fakeStore();
    const errors: StoreError[] = [];
    const committer = createGroupCommitter(fake.store, { onError: (error) => errors.push(error) });
    const a = committer.submit(events('a', 1), []);
    await fake.tick();
    const b = handled(committer.submit(events('b', 1), []));
    const c = handled(committer.submit(events('c', 1), []));
    await fake.release();
    await fake.fail(new Error('disk full'));
    await expect(b).rejects.toMatchObject({ code: 'io' });
    await expect(c).rejects.toMatchObject({ code: 'io' });
    await expect(a).resolves.toMatchObject({ inserted: 1 });
    expect(errors).toHaveLength(1);
    expect(fake.stored.has('b0')).toBe(false);
    const d = committer.submit(events('d', 1), []);
    await fake.release();
    await expect(d).resolves.toMatchObject({ inserted: 1 });
    expect(committer.stats()).toMatchObject({ commits: 2, failedCommits: 1, pendingRows: 0 });
  });

  it('passes a StoreError from the store through unchanged', async () => {
    const fake = fakeStore();
    const committer = createGroupCommitter(fake.store);
    const a = handled(committer.submit(events('a', 1), []));
    const failure = new StoreError('invalid_input', 'uuid');
    await fake.fail(failure);
    await expect(a).rejects.toBe(failure);
  });

  it('waits up to maxWaitMs for more rows when idle', async () => {
    const fake = fakeStore();
    const committer = createGroupCommitter(fake.store, { maxWaitMs: 30 });
    const a = committer.submit(events('a', 1), []);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const b = committer.submit(events('b', 1), []);
    expect(fake.batches).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(fake.batches.map((batch) => batch.uuids.length)).toEqual([2]);
    await fake.release();
    await Promise.all([a, b]);
  });

  it('commits at once when a full batch is waiting, without the maxWaitMs timer', async () => {
    const fake = fakeStore();
    const committer = createGroupCommitter(fake.store, { maxWaitMs: 10_000, maxBatchRows: 2 });
    const a = committer.submit(events('a', 2), []);
    await fake.tick();
    expect(fake.batches).toHaveLength(1);
    await fake.release();
    await a;
  });

  it('drains on close and refuses later submits', async () => {
    const fake = fakeStore();
    const committer = createGroupCommitter(fake.store, { maxWaitMs: 10_000 });
    const a = committer.submit(events('a', 1), []);
    const closed = committer.close();
    const closedAgain = committer.close();
    await expect(committer.submit(events('b', 1), [])).rejects.toMatchObject({ code: 'closed' });
    await fake.release();
    await Promise.all([closed, closedAgain]);
    await expect(a).resolves.toMatchObject({ inserted: 1 });
    await committer.close();
  });

  it('names the bad option', () => {
    expect(() => createGroupCommitter(fakeStore().store, { maxBatchRows: 0 })).toThrow(
      /maxBatchRows/,
    );
    expect(() => createGroupCommitter(fakeStore().store, { maxWaitMs: -1 })).toThrow(/maxWaitMs/);
  });
});
