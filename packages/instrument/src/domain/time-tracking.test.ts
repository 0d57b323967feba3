import { psaCatalog } from '@tally/catalog';
import { createTestAnalytics } from '@tally/sdk/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { InstrumentError } from '../errors.js';
import type { TimeEntryRecord, TimesheetRecord } from './time-tracking.js';
import { createTrackers } from './trackers.js';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const ACTOR = { userId: 'u-tech', tenantId: 'tenant-1' };
const MANAGER = { userId: 'u-mgr', tenantId: 'tenant-1' };
const NOTES = 'Fixed VPN for John Smith, john.smith@acme-corp.example, +1 (555) 987-6543';

function makeEntry(overrides: Partial<TimeEntryRecord> = {}): TimeEntryRecord {
  return {
    id: 'te-1',
    workItemType: 'ticket',
    workItemId: 'tk-1',
    startedAt: '2026-11-18T09:00:00Z',
    endedAt: '2026-11-18T10:30:00Z',
    isBillable: true,
    notes: NOTES,
    serviceId: 'svc-1',
    approvalStatus: 'draft',
    createdAt: '2026-11-18T10:31:00Z',
    ...overrides,
  };
}

function makeSheet(overrides: Partial<TimesheetRecord> = {}): TimesheetRecord {
  return {
    id: 'ts-1',
    periodStart: '2026-11-16',
    periodEnd: '2026-11-22',
    entries: [
      makeEntry(),
      makeEntry({ startedAt: null, endedAt: null, durationMinutes: 45, isBillable: false }),
      makeEntry({ durationMinutes: 120 }),
    ],
    submittedAt: '2026-11-19T12:00:00Z',
    ...overrides,
  };
}

function setup() {
  const analytics = createTestAnalytics({ catalog: psaCatalog });
  const errors: InstrumentError[] = [];
  const track = createTrackers(analytics, { now: () => NOW, onError: (e) => errors.push(e) });
  // Every property a tracker builds must pass the catalog's schema (strict mode throws otherwise).
  onTestFinished(() => expect(errors.filter((e) => e.code === 'capture_failed')).toEqual([]));
  return { analytics, track, errors };
}

describe('time entry trackers', () => {
  it('entryCreated: duration from start and end when the row has no duration column', () => {
    const { analytics, track, errors } = setup();
    track.time.entryCreated(makeEntry({ entryMethod: 'timer' }), ACTOR);
    analytics.expectEvent('time_entry_created', {
      work_item_type: 'ticket',
      entry_method: 'timer',
      duration_minutes: 90,
      is_billable: true,
      has_notes: true,
      has_service: true,
      has_tax_region: false,
      has_contract_line: false,
      approval_status: 'draft',
    });
    expect(errors).toEqual([]);
    analytics.expectNoPII([NOTES, 'John Smith']);
  });

  it('entryUpdated: the delta is measured against the entry before the save (prior art sent 0)', () => {
    const { analytics, track } = setup();
    track.time.entryUpdated(
      makeEntry(),
      makeEntry({ endedAt: '2026-11-18T09:40:00Z', isBillable: false, notes: '' }),
      ACTOR,
    );
    analytics.expectEvent('time_entry_updated', {
      duration_minutes: 40,
      previous_duration_minutes: 90,
      duration_delta_minutes: -50,
      duration_changed: true,
      is_billable: false,
      billable_changed: true,
      has_notes: false,
    });
  });

  it('entryUpdated: a notes-only change fires with a zero delta; no change fires nothing', () => {
    const { analytics, track } = setup();
    track.time.entryUpdated(makeEntry(), makeEntry({ createdAt: '2026-11-19T00:00:00Z' }), ACTOR);
    expect(analytics.events).toHaveLength(0);
    track.time.entryUpdated(makeEntry(), makeEntry({ notes: 'other text' }), ACTOR);
    analytics.expectEvent('time_entry_updated', {
      duration_delta_minutes: 0,
      duration_changed: false,
      billable_changed: false,
    });
    expect(analytics.events).toHaveLength(1);
  });

  it('entryDeleted: age in days to now; an entry with no duration at all is reported', () => {
    const { analytics, track, errors } = setup();
    track.time.entryDeleted(makeEntry({ approvalStatus: 'submitted' }), ACTOR);
    analytics.expectEvent('time_entry_deleted', {
      duration_minutes: 90,
      was_billable: true,
      had_notes: true,
      approval_status: 'submitted',
      age_days: 2,
    });
    track.time.entryDeleted(makeEntry({ endedAt: null }), ACTOR);
    expect(analytics.events).toHaveLength(1);
    expect(errors.map((e) => e.detail)).toEqual(['durationMinutes']);
  });
});

describe('timesheet trackers', () => {
  it('submitted: totals from the entries, the period length, resubmission', () => {
    const { analytics, track } = setup();
    track.time.timesheetSubmitted(makeSheet(), ACTOR);
    analytics.expectEvent('timesheet_submitted', {
      timesheet_id: 'ts-1',
      entry_count: 3,
      total_hours: 4.25,
      billable_hours: 3.5,
      period_days: 7,
      is_resubmission: false,
    });
    track.time.timesheetSubmitted(makeSheet({ changesRequestedAt: '2026-11-19T15:00:00Z' }), ACTOR);
    analytics.expectEvent('timesheet_submitted', { is_resubmission: true });
    track.time.timesheetSubmitted(
      makeSheet({ id: 'ts-2', periodEnd: '2026-11-30', rejectionCount: 1 }),
      ACTOR,
    );
    analytics.expectEvent('timesheet_submitted', {
      timesheet_id: 'ts-2',
      period_days: 15,
      is_resubmission: true,
    });
  });

  it('approved (single and bulk) and rejected: hours since the latest submission', () => {
    const { analytics, track, errors } = setup();
    track.time.timesheetApproved(makeSheet(), MANAGER);
    track.time.timesheetApproved(makeSheet({ id: 'ts-2' }), MANAGER, { isBulk: true });
    track.time.timesheetRejected(makeSheet({ submittedAt: null }), MANAGER, {
      comment: 'Ask John Smith about Tuesday',
    });
    analytics.expectEvent('timesheet_approved', {
      timesheet_id: 'ts-1',
      approval_type: 'single',
      entry_count: 3,
      total_hours: 4.25,
      hours_since_submission: 24,
    });
    analytics.expectEvent('timesheet_approved', { timesheet_id: 'ts-2', approval_type: 'bulk' });
    const rejected = analytics.expectEvent('timesheet_rejected', { has_comment: true });
    expect(rejected.properties).not.toHaveProperty('hours_since_submission');
    expect(rejected.distinct_id).toBe('u-mgr');
    expect(errors).toEqual([]);
    analytics.expectNoPII([NOTES, 'John Smith', 'Tuesday']);
  });
});
