import { psaCatalog } from '@tally/catalog';
import { createTestAnalytics } from '@tally/sdk/testing';
import { describe, expect, it } from 'vitest';
import type { InstrumentError } from '../errors.js';
import { afterCommit } from './after-commit.js';
import { createTrackers } from './trackers.js';

const ACTOR = { userId: 'u-1', tenantId: 'tenant-1' };
const TICKET = {
  id: 'tk-1',
  tenantId: 'tenant-1',
  status: 's-1',
  isClosed: false,
  priority: 'low',
  priorityId: 'p-1',
  boardId: 'b-1',
  createdAt: '2026-11-20T08:00:00Z',
  updatedAt: '2026-11-20T08:00:00Z',
} as const;

/** A minimal transactional store: writes become visible only when the callback resolves. */
function createDb() {
  const rows: string[] = [];
  return {
    rows,
    async transaction<T>(fn: (tx: { insert(id: string): void }) => Promise<T>): Promise<T> {
      const staged: string[] = [];
      const result = await fn({ insert: (id) => staged.push(id) });
      rows.push(...staged);
      return result;
    },
  };
}

describe('afterCommit', () => {
  it('runs deferred trackers in order once the transaction commits, and returns its result', async () => {
    const analytics = createTestAnalytics({ catalog: psaCatalog });
    const track = createTrackers(analytics);
    const db = createDb();
    const order: string[] = [];
    const result = await afterCommit(async (defer) =>
      db.transaction(async (tx) => {
        tx.insert('tk-1');
        defer(() => track.tickets.created(TICKET, ACTOR));
        defer(() => order.push('second'));
        // Nothing is emitted while the transaction is still open.
        expect(analytics.events).toHaveLength(0);
        return 'tk-1';
      }),
    );
    expect(result).toBe('tk-1');
    expect(db.rows).toEqual(['tk-1']);
    expect(analytics.events.map((e) => e.event)).toEqual(['ticket_created']);
    expect(order).toEqual(['second']);
  });

  it('emits nothing when the transaction rolls back, and rethrows its error untouched', async () => {
    const analytics = createTestAnalytics({ catalog: psaCatalog });
    const track = createTrackers(analytics);
    const db = createDb();
    const failure = new Error('unique violation');
    await expect(
      afterCommit(async (defer) =>
        db.transaction(async (tx) => {
          tx.insert('tk-1');
          defer(() => track.tickets.created(TICKET, ACTOR));
          throw failure;
        }),
      ),
    ).rejects.toBe(failure);
    expect(db.rows).toEqual([]);
    expect(analytics.events).toHaveLength(0);
  });

  it('a deferred call that throws or rejects goes to onError; the others still run', async () => {
    const errors: InstrumentError[] = [];
    const ran: number[] = [];
    const result = await afterCommit(
      async (defer) => {
        defer(() => {
          throw new Error('boom');
        });
        defer(async () => Promise.reject(new Error('async boom')));
        defer(() => ran.push(3));
        return 42;
      },
      { onError: (e) => errors.push(e) },
    );
    expect(result).toBe(42);
    expect(ran).toEqual([3]);
    expect(errors.map((e) => e.code)).toEqual(['deferred_failed', 'deferred_failed']);
  });

  it('a call deferred after commit (from a stray promise) runs at once', async () => {
    let late: ((call: () => unknown) => void) | undefined;
    const ran: string[] = [];
    await afterCommit(async (defer) => {
      late = defer;
    });
    late?.(() => ran.push('late'));
    await Promise.resolve();
    expect(ran).toEqual(['late']);
  });
});
