// Time sheets: one per user per ISO week (Monday to Sunday), created on the first entry.
import type { Session } from './context.js';
import type { Queryable } from './db/database.js';
import { PsaError } from './errors.js';
import type { IdSource } from './ids.js';
import type { TimeEntryRow, TimesheetRow } from './records.js';

export const APPROVER_ROLES = ['admin', 'dispatcher'] as const;

/** The Monday and Sunday of the ISO week holding a day ('YYYY-MM-DD', UTC). */
export function weekOf(day: string): { start: string; end: string } {
  const d = new Date(`${day}T00:00:00.000Z`);
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  const start = new Date(d.getTime() - sinceMonday * 86_400_000);
  const end = new Date(start.getTime() + 6 * 86_400_000);
  return { start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) };
}

export const SHEET_SELECT = `SELECT id, tenant_id, user_id, to_char(period_start, 'YYYY-MM-DD') AS period_start,
  to_char(period_end, 'YYYY-MM-DD') AS period_end, status, rejection_count, submitted_at,
  decided_at, decided_by FROM timesheets`;

export const ENTRY_SELECT = `SELECT id, tenant_id, user_id, ticket_id, timesheet_id,
  to_char(work_date, 'YYYY-MM-DD') AS work_date, duration_minutes, is_billable, notes,
  entry_method, invoice_id, created_at,
  (SELECT s.status FROM timesheets s WHERE s.id = timesheet_id) AS approval_status FROM time_entries`;

/** The user's sheet for the week of `day`, created as a draft when missing. */
export async function sheetFor(
  tx: Queryable,
  ids: IdSource,
  session: Session,
  day: string,
): Promise<TimesheetRow> {
  const week = weekOf(day);
  await tx.query(
    `INSERT INTO timesheets (id, tenant_id, user_id, period_start, period_end, status)
     VALUES ($1, $2, $3, $4, $5, 'draft') ON CONFLICT (user_id, period_start) DO NOTHING`,
    [ids.id(), session.tenantId, session.userId, week.start, week.end],
  );
  const { rows } = await tx.query<TimesheetRow>(
    `${SHEET_SELECT} WHERE user_id = $1 AND period_start = $2`,
    [session.userId, week.start],
  );
  return rows[0] as TimesheetRow;
}

/** Entries can change only while their sheet is a draft or sent back for changes. */
export function assertEditable(sheet: TimesheetRow): void {
  if (sheet.status !== 'draft' && sheet.status !== 'changes_requested') {
    throw new PsaError('timesheet_locked');
  }
}

/** Loads a sheet the caller may see: their own, or any in the tenant for an approver. */
export async function loadSheet(
  db: Queryable,
  session: Session,
  id: string | null,
): Promise<TimesheetRow> {
  if (id === null) throw new PsaError('not_found');
  const { rows } = await db.query<TimesheetRow>(
    `${SHEET_SELECT} WHERE id = $1 AND tenant_id = $2`,
    [id, session.tenantId],
  );
  const sheet = rows[0];
  const isApprover = (APPROVER_ROLES as readonly string[]).includes(session.role);
  if (sheet === undefined || (sheet.user_id !== session.userId && !isApprover)) {
    throw new PsaError('not_found');
  }
  return sheet;
}

export async function sheetEntries(db: Queryable, sheetId: string): Promise<TimeEntryRow[]> {
  const { rows } = await db.query<TimeEntryRow>(
    `${ENTRY_SELECT} WHERE timesheet_id = $1 ORDER BY work_date, created_at, id`,
    [sheetId],
  );
  return rows;
}
