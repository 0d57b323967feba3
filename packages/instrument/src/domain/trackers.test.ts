import { psaCatalog } from '@tally/catalog';
import { createTestAnalytics } from '@tally/sdk/testing';
import { describe, expect, it } from 'vitest';
import { InstrumentError } from '../errors.js';
import type { TicketRecord } from './ticket-records.js';
import { createTrackers } from './trackers.js';

const ACTOR = { userId: 'u-1', tenantId: 'tenant-1' };
const TICKET: TicketRecord = {
  id: 'tk-1',
  tenantId: 'tenant-1',
  status: 's-open',
  isClosed: false,
  priority: 'medium',
  priorityId: 'p-1',
  boardId: 'b-1',
  createdAt: '2026-11-20T08:00:00Z',
  updatedAt: '2026-11-20T08:00:00Z',
};

describe('createTrackers', () => {
  it('refuses a bad option at construction, naming the key', () => {
    const analytics = createTestAnalytics({ catalog: psaCatalog });
    expect(() => createTrackers(analytics, { now: 5 as never })).toThrow(
      new InstrumentError('invalid_option', 'now: expected a function'),
    );
    expect(() => createTrackers({} as never)).toThrow(/analytics: expected a client/);
  });

  it('a value the catalog refuses is reported as capture_failed, never thrown into the host', () => {
    const analytics = createTestAnalytics({ catalog: psaCatalog });
    const errors: InstrumentError[] = [];
    const track = createTrackers(analytics, { onError: (e) => errors.push(e) });
    // A tenant's own priority name where the catalog wants a level; strict mode throws in capture.
    expect(() =>
      track.tickets.created({ ...TICKET, priority: 'P1 - Critical' as never }, ACTOR),
    ).not.toThrow();
    expect(analytics.events).toHaveLength(0);
    expect(errors.map((e) => [e.code, e.detail])).toEqual([['capture_failed', 'ticket_created']]);
    expect(track.counters()).toEqual({ emitted: 0, failed: 1 });
  });

  it('an onError hook that throws does not break the caller either', () => {
    const analytics = createTestAnalytics({ catalog: psaCatalog });
    const track = createTrackers(analytics, {
      onError: () => {
        throw new Error('logger down');
      },
    });
    expect(() =>
      track.tickets.updated(TICKET, { ...TICKET, id: 'tk-2', assigneeId: 'u-2' }, ACTOR),
    ).not.toThrow();
    expect(analytics.events).toHaveLength(0);
    expect(track.counters().failed).toBe(1);
  });

  it('refuses before and after snapshots of two different records', () => {
    const analytics = createTestAnalytics({ catalog: psaCatalog });
    const errors: InstrumentError[] = [];
    const track = createTrackers(analytics, { onError: (e) => errors.push(e) });
    track.tickets.updated(TICKET, { ...TICKET, id: 'tk-2', priority: 'high' }, ACTOR);
    expect(analytics.events).toHaveLength(0);
    expect(errors[0]?.detail).toMatch(/^id/);
  });

  it('on-premise, the actor and record ids leave the process keyed-hashed', () => {
    const analytics = createTestAnalytics({ catalog: psaCatalog, deployment: 'on-premise' });
    const track = createTrackers(analytics);
    track.tickets.created(TICKET, ACTOR);
    const [event] = analytics.events;
    expect(event?.event).toBe('ticket_created');
    expect(event?.distinct_id).not.toBe('u-1');
    expect(event?.properties.ticket_id).not.toBe('tk-1');
    expect(event?.properties.$groups).not.toEqual({ tenant: 'tenant-1' });
    analytics.expectNoPII(['u-1', 'tk-1', 'tenant-1', 'p-1', 'b-1']);
  });

  it('emits nothing when the customer opted out through the usage-stats switch', () => {
    const analytics = createTestAnalytics({
      catalog: psaCatalog,
      usageStatsSwitch: 'ALGA_USAGE_STATS',
      env: { ALGA_USAGE_STATS: 'false' },
    });
    const track = createTrackers(analytics);
    track.tickets.created(TICKET, ACTOR);
    track.auth.loginFailed({ provider: 'google', reason: 'inactive_account' });
    expect(analytics.events).toHaveLength(0);
  });
});
