import { defineEvent } from '../define/event.js';
import { prop } from '../define/property.js';

/** What a time entry is logged against. */
export const WORK_ITEM_TYPES = [
  'ticket',
  'project_task',
  'interaction',
  'appointment',
  'ad_hoc',
  'non_billable',
  'other',
] as const;

/** Approval state of a time entry (and of its time sheet). */
export const APPROVAL_STATUSES = ['draft', 'submitted', 'approved', 'changes_requested'] as const;

/** How the entry's duration was captured. */
export const ENTRY_METHODS = ['manual', 'timer', 'calendar', 'api'] as const;

export const APPROVAL_TYPES = ['single', 'bulk'] as const;

const workItemType = () => prop.enum(WORK_ITEM_TYPES, 'What the time is logged against');
const approvalStatus = () => prop.enum(APPROVAL_STATUSES, 'Approval status of the entry');
const minutes = (what: string) => prop.integer(what, { min: 0, unit: 'minutes' });
const timesheetId = () => prop.id('Id of the time sheet');
const entryCount = () => prop.integer('Number of time entries in the time sheet', { min: 0 });
const totalHours = () =>
  prop.number('Sum of the durations of every entry in the time sheet', { min: 0, unit: 'hours' });

export const timeTrackingEvents = {
  time_entry_created: defineEvent({
    category: 'time_tracking',
    version: 1,
    description: 'A time entry was logged.',
    firesWhen: 'After a new time entry is saved.',
    properties: {
      work_item_type: workItemType(),
      entry_method: prop.enum(ENTRY_METHODS, 'How the duration was captured'),
      duration_minutes: minutes('Duration of the entry'),
      is_billable: prop.boolean('Whether the entry is billable'),
      has_notes: prop.boolean('Whether the entry has notes (their text is never sent)'),
      has_service: prop.boolean('Whether a service is attached'),
      has_tax_region: prop.boolean('Whether a tax region is set'),
      has_contract_line: prop.boolean('Whether the entry is billed against a contract line'),
      approval_status: approvalStatus(),
    },
  }),
  time_entry_updated: defineEvent({
    category: 'time_tracking',
    version: 1,
    description:
      'A saved time entry was changed. The delta is measured against the entry as it was before the save (prior art read the saved row, so its delta was always 0).',
    firesWhen: 'After an existing time entry is saved with at least one change.',
    properties: {
      work_item_type: workItemType(),
      duration_minutes: minutes('Duration of the entry after the update'),
      previous_duration_minutes: minutes('Duration of the entry before the update'),
      duration_delta_minutes: prop.integer(
        'duration_minutes minus previous_duration_minutes; negative when the entry got shorter',
        { unit: 'minutes' },
      ),
      duration_changed: prop.boolean('Whether the duration changed (delta is not 0)'),
      is_billable: prop.boolean('Whether the entry is billable after the update'),
      billable_changed: prop.boolean('Whether the update switched the entry billable or not'),
      has_notes: prop.boolean('Whether the entry has notes after the update'),
      approval_status: approvalStatus(),
    },
  }),
  time_entry_deleted: defineEvent({
    category: 'time_tracking',
    version: 1,
    description: 'A time entry was deleted.',
    firesWhen: 'After the delete commits.',
    properties: {
      work_item_type: workItemType(),
      duration_minutes: minutes('Duration of the deleted entry'),
      was_billable: prop.boolean('Whether the entry was billable'),
      had_notes: prop.boolean('Whether the entry had notes'),
      approval_status: approvalStatus(),
      age_days: prop.integer('Days from the entry being logged to its deletion', {
        min: 0,
        unit: 'days',
      }),
    },
  }),
  timesheet_submitted: defineEvent({
    category: 'time_tracking',
    version: 1,
    description: 'A user submitted a time sheet for approval.',
    firesWhen: 'When the time sheet moves to submitted.',
    properties: {
      timesheet_id: timesheetId(),
      entry_count: entryCount(),
      total_hours: totalHours(),
      billable_hours: prop.number('Sum of the billable entries in the time sheet', {
        min: 0,
        unit: 'hours',
      }),
      period_days: prop.integer('Length of the time period the sheet covers', {
        min: 1,
        unit: 'days',
      }),
      is_resubmission: prop.boolean('Whether the sheet was sent back for changes before'),
    },
  }),
  timesheet_approved: defineEvent({
    category: 'time_tracking',
    version: 1,
    description:
      'A manager approved a time sheet. A bulk approval fires one event per sheet. The submitter is not sent (prior art sent employee_id).',
    firesWhen: 'When the time sheet moves to approved.',
    properties: {
      timesheet_id: timesheetId(),
      approval_type: prop.enum(
        APPROVAL_TYPES,
        'Whether the sheet was approved alone or in a bulk action',
      ),
      entry_count: entryCount(),
      total_hours: totalHours(),
      hours_since_submission: prop
        .number('Hours from the latest submission to this approval', { min: 0, unit: 'hours' })
        .optional(),
    },
  }),
  timesheet_rejected: defineEvent({
    category: 'time_tracking',
    version: 1,
    description: 'A manager sent a time sheet back for changes.',
    firesWhen: 'When the time sheet moves to changes requested.',
    properties: {
      timesheet_id: timesheetId(),
      entry_count: entryCount(),
      total_hours: totalHours(),
      has_comment: prop.boolean(
        'Whether the manager explained the rejection (the text is never sent)',
      ),
      hours_since_submission: prop
        .number('Hours from the latest submission to this rejection', { min: 0, unit: 'hours' })
        .optional(),
    },
  }),
};
