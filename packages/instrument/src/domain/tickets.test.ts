import { psaCatalog } from '@tally/catalog';
import { createTestAnalytics } from '@tally/sdk/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { InstrumentError } from '../errors.js';
import type { TicketRecord } from './ticket-records.js';
import { createTrackers } from './trackers.js';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const CREATED = '2026-11-20T08:00:00.000Z';
const ACTOR = { userId: 'u-tech', tenantId: 'tenant-1' };
const PII = [
  'Printer on floor 3 broken, call Jane Doe',
  'jane.doe@acme-corp.example',
  '+1 (555) 123-4567',
  'Acme Corp',
];

function makeTicket(overrides: Partial<TicketRecord> = {}): TicketRecord {
  return {
    id: 'tk-1',
    tenantId: 'tenant-1',
    status: 'st-open',
    isClosed: false,
    priority: 'high',
    priorityId: 'pr-2',
    boardId: 'b-1',
    title: `${PII[0]} at ${PII[2]}`,
    description: `Reported by ${PII[1]} of ${PII[3]}`,
    createdAt: new Date(CREATED),
    updatedAt: new Date(CREATED),
    ...overrides,
  };
}

function setup() {
  const analytics = createTestAnalytics({ catalog: psaCatalog });
  const errors: InstrumentError[] = [];
  const track = createTrackers(analytics, { now: () => NOW, onError: (e) => errors.push(e) });
  // Every property a tracker builds must pass the catalog's schema (strict mode throws otherwise).
  onTestFinished(() => expect(errors.filter((e) => e.code === 'capture_failed')).toEqual([]));
  return { analytics, track, errors, names: () => analytics.events.map((e) => e.event) };
}

const at = (iso: string) => new Date(iso);

describe('tickets.created', () => {
  it('emits ticket_created from the record, attributed to the actor and its tenant', () => {
    const { analytics, track, errors } = setup();
    track.tickets.created(
      makeTicket({ categoryId: 'cat-1', assigneeId: 'u-2', templateId: 'tpl-1' }),
      ACTOR,
      { via: 'email' },
    );
    const event = analytics.expectEvent('ticket_created', {
      ticket_id: 'tk-1',
      created_via: 'email',
      priority: 'high',
      priority_id: 'pr-2',
      board_id: 'b-1',
      has_category: true,
      has_subcategory: false,
      is_assigned: true,
      has_asset: false,
      has_description: true,
      used_template: true,
      $groups: { tenant: 'tenant-1' },
    });
    expect(event.distinct_id).toBe('u-tech');
    expect(event.properties).not.toHaveProperty('ticket_type');
    expect(analytics.events).toHaveLength(1);
    expect(errors).toEqual([]);
    analytics.expectNoPII(PII);
  });

  it('reports a malformed record to onError and emits nothing, without throwing', () => {
    const { analytics, track, errors } = setup();
    expect(() =>
      track.tickets.updated(
        makeTicket(),
        makeTicket({ assigneeId: 'u-2', createdAt: 'not a date' }),
        ACTOR,
      ),
    ).not.toThrow();
    expect(analytics.events).toHaveLength(0);
    expect(errors.map((e) => [e.code, e.detail])).toEqual([['invalid_record', 'createdAt']]);
    expect(track.counters()).toEqual({ emitted: 0, failed: 1 });
  });
});

describe('tickets.updated', () => {
  it('emits nothing when no field changed (only updatedAt moved)', () => {
    const { analytics, track, errors } = setup();
    const before = makeTicket({ tags: ['a', 'b'], dueAt: '2026-12-01T00:00:00Z' });
    const after = makeTicket({
      tags: ['b', 'a'],
      dueAt: new Date('2026-12-01T00:00:00Z'),
      updatedAt: at('2026-11-20T09:00:00Z'),
    });
    track.tickets.updated(before, after, ACTOR);
    expect(analytics.events).toHaveLength(0);
    expect(errors).toEqual([]);
  });

  it('lists the changed fields by catalog name, never their values', () => {
    const { analytics, track } = setup();
    track.tickets.updated(
      makeTicket(),
      makeTicket({
        title: 'Now: call +44 20 7946 0958',
        priority: 'urgent',
        priorityId: 'pr-1',
        tags: ['vip'],
        customFields: { f1: 'x' },
      }),
      ACTOR,
      { via: 'api', isBulk: true },
    );
    analytics.expectEvent('ticket_updated', {
      ticket_id: 'tk-1',
      fields_updated: ['title', 'priority', 'tags', 'custom_fields'],
      is_status_change: false,
      is_assignment_change: false,
      is_priority_change: true,
      updated_via: 'api',
      is_bulk: true,
    });
    expect(analytics.events).toHaveLength(1);
    analytics.expectNoPII([...PII, '+44 20 7946 0958', 'vip']);
  });

  it('tells a first assignment (with its delay from creation) from a reassignment', () => {
    const { analytics, track, names } = setup();
    const unassigned = makeTicket();
    const first = makeTicket({ assigneeId: 'u-tech', updatedAt: at('2026-11-20T08:45:30Z') });
    track.tickets.updated(unassigned, first, ACTOR);
    expect(names()).toEqual(['ticket_updated', 'ticket_assigned']);
    analytics.expectEvent('ticket_assigned', {
      is_reassignment: false,
      is_self_assignment: true,
      time_to_first_assignment_minutes: 45,
    });

    analytics.reset();
    const second = makeTicket({ assigneeId: 'u-other', updatedAt: at('2026-11-20T10:00:00Z') });
    track.tickets.updated(first, second, ACTOR);
    const event = analytics.expectEvent('ticket_assigned', {
      is_reassignment: true,
      is_self_assignment: false,
    });
    expect(event.properties).not.toHaveProperty('time_to_first_assignment_minutes');
  });

  it('counts assigning an unassigned ticket that was assigned before as a reassignment', () => {
    const { analytics, track } = setup();
    const before = makeTicket({ assigneeId: null, firstAssignedAt: at('2026-11-20T08:10:00Z') });
    track.tickets.updated(before, makeTicket({ assigneeId: 'u-3' }), ACTOR);
    analytics.expectEvent('ticket_assigned', { is_reassignment: true });
  });

  it('emits no ticket_assigned when the assignee is removed', () => {
    const { analytics, track, names } = setup();
    track.tickets.updated(makeTicket({ assigneeId: 'u-2' }), makeTicket(), ACTOR);
    expect(names()).toEqual(['ticket_updated']);
    analytics.expectEvent('ticket_updated', {
      fields_updated: ['assigned_to'],
      is_assignment_change: true,
    });
  });

  it('resolves with the time from creation to resolvedAt, bucket-free, and the category', () => {
    const { analytics, track, names } = setup();
    const closed = makeTicket({
      status: 'st-closed',
      isClosed: true,
      categoryId: 'cat-9',
      assigneeId: 'u-tech',
      resolvedAt: at('2026-11-21T09:30:00Z'),
      updatedAt: at('2026-11-21T09:31:00Z'),
    });
    track.tickets.updated(makeTicket({ categoryId: 'cat-9', assigneeId: 'u-tech' }), closed, ACTOR);
    expect(names()).toEqual(['ticket_updated', 'ticket_resolved']);
    analytics.expectEvent('ticket_resolved', {
      ticket_id: 'tk-1',
      time_to_resolution_minutes: 25 * 60 + 30,
      priority: 'high',
      has_category: true,
      category_id: 'cat-9',
      was_assigned: true,
      reopen_count: 0,
    });
  });

  it('a reopened ticket resolved again counts from creation and carries its reopens', () => {
    const { analytics, track } = setup();
    const statusHistory = [
      { at: CREATED, isClosed: false },
      { at: '2026-11-20T10:00:00Z', isClosed: true },
      { at: '2026-11-20T11:00:00Z', isClosed: false },
      { at: '2026-11-20T12:00:00Z', isClosed: true },
      { at: '2026-11-20T13:00:00Z', isClosed: false },
      { at: '2026-11-20T14:00:00Z', isClosed: true },
    ];
    const reopened = makeTicket({ resolvedAt: at('2026-11-20T12:00:00Z'), statusHistory });
    const resolved = makeTicket({
      status: 'st-closed',
      isClosed: true,
      resolvedAt: '2026-11-20T14:00:00Z',
      updatedAt: '2026-11-20T14:00:00Z',
      statusHistory,
    });
    track.tickets.updated(reopened, resolved, ACTOR);
    analytics.expectEvent('ticket_resolved', {
      time_to_resolution_minutes: 6 * 60,
      reopen_count: 2,
      has_category: false,
      was_assigned: false,
    });
  });

  it("takes the reopens from the app's reopenCount column when it keeps one", () => {
    const { analytics, track } = setup();
    const resolved = makeTicket({ status: 'st-closed', isClosed: true, reopenCount: 3 });
    track.tickets.updated(makeTicket({ reopenCount: 3 }), resolved, ACTOR);
    analytics.expectEvent('ticket_resolved', { reopen_count: 3 });
  });

  it("a first assignment counts to the app's firstAssignedAt stamp when it keeps one", () => {
    const { analytics, track } = setup();
    const after = makeTicket({
      assigneeId: 'u-2',
      firstAssignedAt: at('2026-11-20T08:20:00Z'),
      updatedAt: at('2026-11-20T08:21:00Z'),
    });
    track.tickets.updated(makeTicket(), after, ACTOR);
    analytics.expectEvent('ticket_assigned', {
      is_reassignment: false,
      time_to_first_assignment_minutes: 20,
    });
  });

  it('a resolvedAt kept from the previous resolution is not taken for this one', () => {
    const { analytics, track } = setup();
    const stale = at('2026-11-20T09:00:00Z');
    const reopened = makeTicket({ resolvedAt: stale, updatedAt: at('2026-11-20T09:30:00Z') });
    const resolved = makeTicket({
      status: 'st-closed',
      isClosed: true,
      resolvedAt: '2026-11-20T09:00:00.000Z',
      updatedAt: at('2026-11-20T11:00:00Z'),
    });
    track.tickets.updated(reopened, resolved, ACTOR);
    analytics.expectEvent('ticket_resolved', { time_to_resolution_minutes: 180 });
  });

  it('emits no ticket_resolved when a closed ticket changes status to another closed one', () => {
    const { track, names } = setup();
    const closed = makeTicket({ status: 'st-closed', isClosed: true });
    track.tickets.updated(closed, makeTicket({ status: 'st-done', isClosed: true }), ACTOR);
    expect(names()).toEqual(['ticket_updated']);
  });

  it('assigns and resolves in one update: updated, assigned, resolved, in that order', () => {
    const { analytics, track, names } = setup();
    const after = makeTicket({ assigneeId: 'u-2', status: 'st-closed', isClosed: true });
    track.tickets.updated(makeTicket(), after, ACTOR);
    expect(names()).toEqual(['ticket_updated', 'ticket_assigned', 'ticket_resolved']);
    analytics.expectEvent('ticket_updated', { fields_updated: ['status', 'assigned_to'] });
    analytics.expectNoPII(PII);
  });
});

describe('tickets.deleted, commented, searched', () => {
  it('deleted: age in whole days to the trackers clock, resolution and comments', () => {
    const { analytics, track } = setup();
    track.tickets.deleted(
      makeTicket({ createdAt: '2026-11-17T13:00:00Z', isClosed: true, commentCount: 2 }),
      ACTOR,
    );
    analytics.expectEvent('ticket_deleted', {
      ticket_id: 'tk-1',
      age_days: 2,
      was_resolved: true,
      had_comments: true,
    });
  });

  it('commented: the body is measured, never sent', () => {
    const { analytics, track } = setup();
    const body = `<p>Hi <strong>Jane</strong>, call me at ${PII[2]} or ${PII[1]}</p>`;
    track.tickets.commented(
      {
        id: 'c-1',
        ticketId: 'tk-1',
        body,
        bodyFormat: 'html',
        isInternal: false,
        isResolution: true,
        authorType: 'msp',
        attachmentCount: 1,
      },
      ACTOR,
    );
    analytics.expectEvent('ticket_comment_added', {
      ticket_id: 'tk-1',
      is_internal: false,
      is_resolution: true,
      author_type: 'msp',
      content_length: body.length,
      has_formatting: true,
      has_attachments: true,
    });
    analytics.expectNoPII([...PII, 'Jane']);
  });

  it('searched: the query shape and which filters were set, never the text or filter values', () => {
    const { analytics, track } = setup();
    const query = '  jane.doe@acme-corp.example   printer  ';
    track.tickets.searched(
      {
        query,
        fields: ['title', 'description', 'title'],
        filters: { statusIds: ['st-open'], priorityIds: [], clientId: 'cl-acme', boardId: null },
        resultCount: 0,
        durationMs: 12.5,
        limit: 25,
      },
      ACTOR,
    );
    analytics.expectEvent('ticket_searched', {
      query_length: query.trim().length,
      query_terms: 2,
      search_fields: ['title', 'description'],
      filters_used: {
        status: true,
        priority: false,
        client: true,
        assigned_to: false,
        include_closed: false,
        board: false,
        category: false,
      },
      result_count: 0,
      has_results: false,
      duration_ms: 12.5,
      limit: 25,
    });
    analytics.expectNoPII([...PII, 'printer', 'cl-acme', 'st-open']);
  });
});
