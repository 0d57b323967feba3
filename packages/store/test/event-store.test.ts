import { describe, expect, it } from 'vitest';
import { StoreError } from '../src/index.js';
import { makeEvent, seen, T0, useStores, uuidAt } from './helpers.js';

describe('DuckDB event store: append and dedup', () => {
  const openStore = useStores();

  it('stores a batch and lists it newest first with ISO timestamps in UTC', async () => {
    const store = await openStore();
    const result = await store.events.append(
      [makeEvent({ n: 1 }), makeEvent({ n: 2, event: 'ticket_closed' })],
      [],
    );
    expect(result).toMatchObject({ inserted: 2, duplicates: 0 });
    const page = await store.events.listEvents({ projectId: 1, limit: 10 });
    expect(page.nextCursor).toBeUndefined();
    expect(page.results).toEqual([
      {
        uuid: uuidAt(2),
        event: 'ticket_closed',
        distinctId: 'user-1',
        personId: null,
        properties: { priority: 'high', $lib: 'tally-node', app_version: '2.1.0' },
        timestamp: new Date(T0 + 2000).toISOString(),
        receivedAt: new Date(T0 + 2050).toISOString(),
      },
      expect.objectContaining({ uuid: uuidAt(1), timestamp: '2026-03-02T09:00:01.000Z' }),
    ]);
    expect(await store.events.countEvents(1)).toBe(2);
  });

  it('stores any text JSON can carry, and a lone surrogate as U+FFFD instead of failing the batch', async () => {
    const store = await openStore();
    const odd = 'tab\t nul\u0000 quote" backslash\\ \\ud800 as text emoji \u{1F600} e\u0301 \u2028';
    await store.events.append(
      [
        makeEvent({
          n: 1,
          distinctId: odd,
          properties: { text: odd, nested: { [odd]: [odd, 1.5, null] } },
        }),
        makeEvent({
          n: 2,
          distinctId: 'broken-\ud800',
          event: 'broken\udfff',
          properties: { text: 'x\ud800y', nested: { 'k\udc00': ['\ud83d'] } },
          groups: ['tenant-\ud800'],
        }),
      ],
      [],
    );
    const page = await store.events.listEvents({ projectId: 1, limit: 10 });
    expect(page.results.map((e) => [e.event, e.distinctId, e.properties])).toEqual([
      ['broken\ufffd', 'broken-\ufffd', { text: 'x\ufffdy', nested: { 'k\ufffd': ['\ufffd'] } }],
      ['ticket_created', odd, { text: odd, nested: { [odd]: [odd, 1.5, null] } }],
    ]);
  });

  it('stores a retried batch once and counts the retry as duplicates', async () => {
    const store = await openStore();
    const batch = [1, 2, 3].map((n) => makeEvent({ n }));
    await store.events.append(batch, []);
    const retry = await store.events.append([...batch, makeEvent({ n: 4 })], []);
    expect(retry).toMatchObject({ inserted: 1, duplicates: 3, duplicateIndexes: [0, 1, 2] });
    expect(await store.events.countEvents(1)).toBe(4);
  });

  it('keeps the first of two events with the same uuid in one batch', async () => {
    const store = await openStore();
    const result = await store.events.append(
      [
        makeEvent({ n: 1, event: 'first' }),
        makeEvent({ n: 2 }),
        makeEvent({ n: 1, event: 'second' }),
      ],
      [],
    );
    expect(result).toMatchObject({ inserted: 2, duplicates: 1, duplicateIndexes: [2] });
    const page = await store.events.listEvents({ projectId: 1, limit: 10, event: 'first' });
    expect(page.results).toHaveLength(1);
  });

  it('treats an upper-case uuid as the same event as its lower-case form', async () => {
    const store = await openStore();
    await store.events.append([makeEvent({ n: 10 })], []);
    const again = await store.events.append(
      [makeEvent({ n: 10, uuid: uuidAt(10).toUpperCase() })],
      [],
    );
    expect(again).toMatchObject({ inserted: 0, duplicates: 1 });
  });

  it('dedups per project: the same uuid in another project is another event', async () => {
    const store = await openStore();
    await store.events.append([makeEvent({ n: 1 })], []);
    const other = await store.events.append([makeEvent({ n: 1, projectId: 2 })], []);
    expect(other).toMatchObject({ inserted: 1, duplicates: 0 });
  });

  it('rolls back the whole batch, identity changes included, when part of it cannot be stored', async () => {
    const store = await openStore();
    const bad = makeEvent({ n: 2, properties: { big: 1n } as unknown as Record<string, unknown> });
    await expect(
      store.events.append([makeEvent({ n: 1 }), bad], [seen('user-1', T0)]),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await store.events.countEvents(1)).toBe(0);
    expect(await store.events.getPerson(1, 'user-1')).toBeUndefined();
  });

  it('refuses an event whose uuid is not a UUID, naming the field only', async () => {
    const store = await openStore();
    const error = await store.events
      .append([makeEvent({ uuid: 'x-secret-user-value' })], [])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).not.toContain('secret');
  });

  it('copies hot properties into their columns, leaving the JSON whole', async () => {
    const store = await openStore({ path: ':memory:' });
    await store.events.append(
      [
        makeEvent({
          properties: {
            $lib: 'posthog-js',
            $browser: 'Firefox',
            environment: 'production',
            app_version: 7,
          },
        }),
      ],
      [],
    );
    // Reads through the public API only see JSON; the columns are checked with SQL in migrations.test.ts.
    const [event] = (await store.events.listEvents({ projectId: 1, limit: 1 })).results;
    expect(event?.properties).toEqual({
      $lib: 'posthog-js',
      $browser: 'Firefox',
      environment: 'production',
      app_version: 7,
    });
  });
});

describe('DuckDB event store: reads', () => {
  const openStore = useStores();

  async function seeded() {
    const store = await openStore();
    const events = Array.from({ length: 25 }, (_, i) =>
      makeEvent({
        n: i + 1,
        event: i % 2 === 0 ? 'even' : 'odd',
        distinctId: `user-${i % 3}`,
        // Pairs share a timestamp, so the uuid tie-breaker matters.
        timestampMs: T0 + Math.floor(i / 2) * 1000,
      }),
    );
    await store.events.append(events, []);
    return store;
  }

  it('pages newest first with an opaque cursor, each event exactly once', async () => {
    const store = await seeded();
    const seenUuids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.events.listEvents({
        projectId: 1,
        limit: 7,
        ...(cursor === undefined ? {} : { cursor }),
      });
      seenUuids.push(...page.results.map((e) => e.uuid));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== undefined);
    expect(pages).toBe(4);
    const expected = Array.from({ length: 25 }, (_, i) => ({
      uuid: uuidAt(i + 1),
      ts: Math.floor(i / 2),
    }))
      .sort((a, b) => b.ts - a.ts || (a.uuid < b.uuid ? 1 : -1))
      .map((e) => e.uuid);
    expect(seenUuids).toEqual(expected);
  });

  it('filters by event, distinct id and a time window (after inclusive, before exclusive)', async () => {
    const store = await seeded();
    const odd = await store.events.listEvents({ projectId: 1, limit: 100, event: 'odd' });
    expect(odd.results.every((e) => e.event === 'odd')).toBe(true);
    expect(odd.results).toHaveLength(12);
    const user = await store.events.listEvents({ projectId: 1, limit: 100, distinctId: 'user-2' });
    expect(user.results.map((e) => e.distinctId)).toEqual(Array(8).fill('user-2'));
    const window = await store.events.listEvents({
      projectId: 1,
      limit: 100,
      afterMs: T0 + 2000,
      beforeMs: T0 + 4000,
    });
    expect(window.results.map((e) => e.timestamp).sort()).toEqual([
      '2026-03-02T09:00:02.000Z',
      '2026-03-02T09:00:02.000Z',
      '2026-03-02T09:00:03.000Z',
      '2026-03-02T09:00:03.000Z',
    ]);
  });

  it('never shows one project the events of another', async () => {
    const store = await seeded();
    expect((await store.events.listEvents({ projectId: 2, limit: 10 })).results).toEqual([]);
    expect(await store.events.countEvents(2)).toBe(0);
  });

  it('rejects a forged cursor and a bad limit with 400-class errors', async () => {
    const store = await seeded();
    await expect(
      store.events.listEvents({ projectId: 1, limit: 5, cursor: 'nope' }),
    ).rejects.toMatchObject({
      code: 'invalid_cursor',
      status: 400,
    });
    await expect(store.events.listEvents({ projectId: 1, limit: 0 })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it('resolves personId through the distinct id, null for personless events', async () => {
    const store = await openStore();
    await store.events.append(
      [makeEvent({ n: 1 }), makeEvent({ n: 2, processPerson: false })],
      [seen('user-1', T0)],
    );
    const page = await store.events.listEvents({ projectId: 1, limit: 10 });
    const person = await store.events.getPerson(1, 'user-1');
    expect(page.results.map((e) => e.personId)).toEqual([null, person?.id]);
  });

  it('refuses calls after close with closed', async () => {
    const store = await openStore();
    await store.close();
    await expect(store.events.countEvents(1)).rejects.toMatchObject({ code: 'closed' });
    await expect(store.events.append([makeEvent()], [])).rejects.toMatchObject({ code: 'closed' });
  });
});
