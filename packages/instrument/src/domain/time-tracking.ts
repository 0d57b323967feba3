import type { EventInput, PsaCatalog } from '@tally/catalog';
import { InstrumentError } from '../errors.js';
import { type Actor, assertSameRecord, contextOf, type Emitter } from './emit.js';
import {
  daysBetween,
  hoursBetween,
  minutesBetween,
  type Timestamp,
  toMs,
  toMsOrUndefined,
} from './timestamps.js';
import { isSame, isSet } from './values.js';

type In<N extends keyof PsaCatalog['events']> = EventInput<PsaCatalog, N>;
export type WorkItemType = In<'time_entry_created'>['work_item_type'];
export type EntryMethod = In<'time_entry_created'>['entry_method'];
export type ApprovalStatus = In<'time_entry_created'>['approval_status'];

/**
 * A time entry as the PSA stores it. The duration is `durationMinutes` when the row has it,
 * else `endedAt - startedAt`. `notes` is only checked for being non-empty.
 */
export interface TimeEntryRecord {
  readonly id: string;
  readonly workItemType: WorkItemType;
  readonly workItemId?: string | null | undefined;
  readonly durationMinutes?: number | null | undefined;
  readonly startedAt?: Timestamp | null | undefined;
  readonly endedAt?: Timestamp | null | undefined;
  readonly isBillable: boolean;
  readonly notes?: string | null | undefined;
  readonly serviceId?: string | null | undefined;
  readonly taxRegionId?: string | null | undefined;
  readonly contractLineId?: string | null | undefined;
  readonly approvalStatus: ApprovalStatus;
  /** How the duration was captured. Default `manual`. */
  readonly entryMethod?: EntryMethod | null | undefined;
  readonly createdAt: Timestamp;
}

/** The part of an entry a time sheet's totals need. */
export type TimesheetEntry = Pick<
  TimeEntryRecord,
  'durationMinutes' | 'startedAt' | 'endedAt' | 'isBillable'
>;

/**
 * A time sheet with its entries. The period runs from `periodStart` to `periodEnd`, both days
 * included, as date columns hold it: a Monday-to-Sunday week ends on the Sunday.
 */
export interface TimesheetRecord {
  readonly id: string;
  readonly periodStart: Timestamp;
  readonly periodEnd: Timestamp;
  readonly entries: readonly TimesheetEntry[];
  /** The latest submission; approval and rejection delays are measured from it. */
  readonly submittedAt?: Timestamp | null | undefined;
  /** When it was last sent back for changes; set means a new submission is a resubmission. */
  readonly changesRequestedAt?: Timestamp | null | undefined;
  /** How many times it was sent back, if your app counts instead; above 0 means resubmission. */
  readonly rejectionCount?: number | null | undefined;
}

export interface TimeTracker {
  /** `time_entry_created`. */
  entryCreated(entry: TimeEntryRecord, actor: Actor): void;
  /** `time_entry_updated` with the delta against `before`; nothing when nothing changed. */
  entryUpdated(before: TimeEntryRecord, after: TimeEntryRecord, actor: Actor): void;
  /** `time_entry_deleted`; the age is measured to now. */
  entryDeleted(entry: TimeEntryRecord, actor: Actor): void;
  /** `timesheet_submitted`. */
  timesheetSubmitted(sheet: TimesheetRecord, actor: Actor): void;
  /** `timesheet_approved`; for a bulk approval call it once per sheet with `isBulk`. */
  timesheetApproved(sheet: TimesheetRecord, actor: Actor, options?: { isBulk?: boolean }): void;
  /** `timesheet_rejected` (sent back for changes); the comment is only checked for being set. */
  timesheetRejected(
    sheet: TimesheetRecord,
    actor: Actor,
    options?: { comment?: string | null | undefined },
  ): void;
}

/** The entry fields whose change makes an update worth an event. */
const ENTRY_KEYS = [
  'workItemType',
  'workItemId',
  'isBillable',
  'notes',
  'serviceId',
  'taxRegionId',
  'contractLineId',
  'approvalStatus',
] as const satisfies ReadonlyArray<keyof TimeEntryRecord>;

export function entryMinutes(entry: TimesheetEntry, field = 'durationMinutes'): number {
  if (isSet(entry.durationMinutes)) return Math.max(0, Math.round(entry.durationMinutes));
  if (!isSet(entry.startedAt) || !isSet(entry.endedAt)) {
    throw new InstrumentError('invalid_record', field);
  }
  return minutesBetween(toMs(entry.startedAt, 'startedAt'), toMs(entry.endedAt, 'endedAt'));
}

function totals(sheet: TimesheetRecord) {
  let minutes = 0;
  let billable = 0;
  sheet.entries.forEach((entry, i) => {
    const m = entryMinutes(entry, `entries[${i}].durationMinutes`);
    minutes += m;
    if (entry.isBillable) billable += m;
  });
  const hours = (m: number) => Math.round((m / 60) * 100) / 100;
  return {
    entry_count: sheet.entries.length,
    total_hours: hours(minutes),
    billable: hours(billable),
  };
}

function sinceSubmission(sheet: TimesheetRecord, nowMs: number) {
  const submittedMs = toMsOrUndefined(sheet.submittedAt, 'submittedAt');
  return submittedMs === undefined
    ? {}
    : { hours_since_submission: hoursBetween(submittedMs, nowMs) };
}

export function createTimeTracker(out: Emitter): TimeTracker {
  return {
    entryCreated(entry, actor) {
      out.guard('time_entry_created', () => {
        out.emit(
          'time_entry_created',
          {
            work_item_type: entry.workItemType,
            entry_method: entry.entryMethod ?? 'manual',
            duration_minutes: entryMinutes(entry),
            is_billable: entry.isBillable,
            has_notes: isSet(entry.notes?.trim()),
            has_service: isSet(entry.serviceId),
            has_tax_region: isSet(entry.taxRegionId),
            has_contract_line: isSet(entry.contractLineId),
            approval_status: entry.approvalStatus,
          },
          contextOf(actor),
        );
      });
    },
    entryUpdated(before, after, actor) {
      out.guard('time_entry_updated', () => {
        assertSameRecord(before, after);
        const previous = entryMinutes(before);
        const current = entryMinutes(after);
        const changed =
          current !== previous || ENTRY_KEYS.some((k) => !isSame(before[k], after[k]));
        if (!changed) return;
        out.emit(
          'time_entry_updated',
          {
            work_item_type: after.workItemType,
            duration_minutes: current,
            previous_duration_minutes: previous,
            duration_delta_minutes: current - previous,
            duration_changed: current !== previous,
            is_billable: after.isBillable,
            billable_changed: before.isBillable !== after.isBillable,
            has_notes: isSet(after.notes?.trim()),
            approval_status: after.approvalStatus,
          },
          contextOf(actor),
        );
      });
    },
    entryDeleted(entry, actor) {
      out.guard('time_entry_deleted', () => {
        out.emit(
          'time_entry_deleted',
          {
            work_item_type: entry.workItemType,
            duration_minutes: entryMinutes(entry),
            was_billable: entry.isBillable,
            had_notes: isSet(entry.notes?.trim()),
            approval_status: entry.approvalStatus,
            age_days: daysBetween(toMs(entry.createdAt, 'createdAt'), out.now()),
          },
          contextOf(actor),
        );
      });
    },
    timesheetSubmitted(sheet, actor) {
      out.guard('timesheet_submitted', () => {
        const { entry_count, total_hours, billable } = totals(sheet);
        const spanMs = toMs(sheet.periodEnd, 'periodEnd') - toMs(sheet.periodStart, 'periodStart');
        out.emit(
          'timesheet_submitted',
          {
            timesheet_id: sheet.id,
            entry_count,
            total_hours,
            billable_hours: billable,
            // Both ends included; rounded, so a week across a daylight-saving change is 7 days.
            period_days: Math.max(1, Math.round(spanMs / 86_400_000) + 1),
            is_resubmission: isSet(sheet.changesRequestedAt) || (sheet.rejectionCount ?? 0) > 0,
          },
          contextOf(actor),
        );
      });
    },
    timesheetApproved(sheet, actor, options = {}) {
      out.guard('timesheet_approved', () => {
        const { entry_count, total_hours } = totals(sheet);
        out.emit(
          'timesheet_approved',
          {
            timesheet_id: sheet.id,
            approval_type: options.isBulk === true ? 'bulk' : 'single',
            entry_count,
            total_hours,
            ...sinceSubmission(sheet, out.now()),
          },
          contextOf(actor),
        );
      });
    },
    timesheetRejected(sheet, actor, options = {}) {
      out.guard('timesheet_rejected', () => {
        const { entry_count, total_hours } = totals(sheet);
        out.emit(
          'timesheet_rejected',
          {
            timesheet_id: sheet.id,
            entry_count,
            total_hours,
            has_comment: isSet(options.comment?.trim()),
            ...sinceSubmission(sheet, out.now()),
          },
          contextOf(actor),
        );
      });
    },
  };
}
