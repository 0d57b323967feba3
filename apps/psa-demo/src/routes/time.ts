// Time entries (against tickets or ad hoc) and weekly time sheets with submit, approve, reject.
import { Hono } from 'hono';
import { z } from 'zod';
import type { PsaDeps, PsaEnv } from '../context.js';
import { inTransaction } from '../db/transaction.js';
import { PsaError } from '../errors.js';
import { useFeature } from '../features.js';
import type { TimeEntryRow, TimesheetRow } from '../records.js';
import { requireRole } from '../session.js';
import { loadTicket } from '../ticket-store.js';
import {
  APPROVER_ROLES,
  assertEditable,
  ENTRY_SELECT,
  loadSheet,
  SHEET_SELECT,
  sheetEntries,
  sheetFor,
} from '../timesheet-store.js';
import { parseWith, readBody, uuidParam } from '../validation.js';

const day = z.iso.date();
const entrySchema = z.object({
  ticket_id: z.uuid().optional(),
  work_date: day,
  duration_minutes: z
    .int()
    .min(1)
    .max(24 * 60),
  is_billable: z.boolean().optional(),
  notes: z.string().max(5_000).optional(),
  entry_method: z.enum(['manual', 'timer', 'api']).optional(),
});
const entryUpdateSchema = z
  .object({
    duration_minutes: z
      .int()
      .min(1)
      .max(24 * 60),
    is_billable: z.boolean(),
    notes: z.string().max(5_000),
  })
  .partial();
const rejectSchema = z.object({ comment: z.string().max(5_000).optional() });
const listSchema = z.object({
  status: z.enum(['draft', 'submitted', 'approved', 'changes_requested']).optional(),
});

const LOGGERS = ['admin', 'dispatcher', 'technician'] as const;

export function timeRoutes(deps: PsaDeps): Hono<PsaEnv> {
  const app = new Hono<PsaEnv>();

  const loadOwnEntry = async (s: PsaEnv['Variables']['session'], id: string | null) => {
    const { rows } = await deps.db.query<TimeEntryRow>(
      `${ENTRY_SELECT} WHERE id = $1 AND tenant_id = $2 AND user_id = $3`,
      [id, s.tenantId, s.userId],
    );
    if (id === null || rows[0] === undefined) throw new PsaError('not_found');
    return rows[0];
  };

  app.post('/time-entries', async (c) => {
    const s = c.get('session');
    requireRole(s, ...LOGGERS);
    const body = await readBody(c, entrySchema);
    if (body.ticket_id !== undefined) {
      await loadTicket(deps.db, s, body.ticket_id).catch(() => {
        throw new PsaError('validation_failed', 'ticket_id');
      });
    }
    const id = deps.ids.id();
    const entry = await inTransaction(deps.db, async (tx, defer) => {
      const sheet = await sheetFor(tx, deps.ids, s, body.work_date);
      assertEditable(sheet);
      await tx.query(
        `INSERT INTO time_entries (id, tenant_id, user_id, ticket_id, timesheet_id, work_date,
           duration_minutes, is_billable, notes, entry_method, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          id,
          s.tenantId,
          s.userId,
          body.ticket_id ?? null,
          sheet.id,
          body.work_date,
          body.duration_minutes,
          body.is_billable ?? body.ticket_id !== undefined,
          body.notes ?? '',
          body.entry_method ?? 'manual',
          deps.now(),
        ],
      );
      const saved = (await tx.query<TimeEntryRow>(`${ENTRY_SELECT} WHERE id = $1`, [id]))
        .rows[0] as TimeEntryRow;
      defer(() => deps.hooks.timeEntryCreated(saved, s));
      return saved;
    });
    await useFeature(
      deps,
      s,
      entry.entry_method === 'timer' ? 'time_entry_timer' : 'time_entry_manual',
    );
    return c.json({ time_entry: entry }, 201);
  });

  app.patch('/time-entries/:id', async (c) => {
    const s = c.get('session');
    const before = await loadOwnEntry(s, uuidParam(c.req.param('id')));
    const body = await readBody(c, entryUpdateSchema);
    assertEditable(await loadSheet(deps.db, s, before.timesheet_id));
    await deps.db.query(
      'UPDATE time_entries SET duration_minutes = $2, is_billable = $3, notes = $4 WHERE id = $1',
      [
        before.id,
        body.duration_minutes ?? before.duration_minutes,
        body.is_billable ?? before.is_billable,
        body.notes ?? before.notes,
      ],
    );
    const after = await loadOwnEntry(s, before.id);
    deps.hooks.timeEntryUpdated(before, after, s);
    return c.json({ time_entry: after });
  });

  app.delete('/time-entries/:id', async (c) => {
    const s = c.get('session');
    const entry = await loadOwnEntry(s, uuidParam(c.req.param('id')));
    assertEditable(await loadSheet(deps.db, s, entry.timesheet_id));
    await deps.db.query('DELETE FROM time_entries WHERE id = $1', [entry.id]);
    deps.hooks.timeEntryDeleted(entry, s);
    return c.body(null, 204);
  });

  app.get('/timesheets', async (c) => {
    const s = c.get('session');
    const q = parseWith(listSchema, c.req.query());
    const isApprover = (APPROVER_ROLES as readonly string[]).includes(s.role);
    const { rows } = await deps.db.query<TimesheetRow>(
      `${SHEET_SELECT} WHERE tenant_id = $1 AND ($2 OR user_id = $3) AND ($4::text IS NULL OR status = $4)
       ORDER BY period_start DESC, id`,
      [s.tenantId, isApprover, s.userId, q.status ?? null],
    );
    return c.json({ timesheets: rows });
  });

  app.get('/timesheets/:id', async (c) => {
    const sheet = await loadSheet(deps.db, c.get('session'), uuidParam(c.req.param('id')));
    return c.json({ timesheet: sheet, time_entries: await sheetEntries(deps.db, sheet.id) });
  });

  // Moves a sheet from one status to the next; returns the sheet after the move.
  const move = async (sheet: TimesheetRow, from: string[], sql: string, params: unknown[]) => {
    if (!from.includes(sheet.status)) throw new PsaError('invalid_transition');
    const { rows } = await deps.db.query<{ id: string }>(
      `UPDATE timesheets SET ${sql} WHERE id = $1 AND status = ANY($2) RETURNING id`,
      [sheet.id, from, ...params],
    );
    if (rows.length === 0) throw new PsaError('invalid_transition');
    return (await deps.db.query<TimesheetRow>(`${SHEET_SELECT} WHERE id = $1`, [sheet.id]))
      .rows[0] as TimesheetRow;
  };

  app.post('/timesheets/:id/submit', async (c) => {
    const s = c.get('session');
    const sheet = await loadSheet(deps.db, s, uuidParam(c.req.param('id')));
    if (sheet.user_id !== s.userId) throw new PsaError('forbidden');
    const entries = await sheetEntries(deps.db, sheet.id);
    if (entries.length === 0) throw new PsaError('invalid_transition');
    const after = await move(
      sheet,
      ['draft', 'changes_requested'],
      `status = 'submitted', submitted_at = $3`,
      [deps.now()],
    );
    deps.hooks.timesheetSubmitted(after, entries, s);
    await useFeature(deps, s, 'time_sheet_submission');
    return c.json({ timesheet: after });
  });

  app.post('/timesheets/:id/approve', async (c) => {
    const s = c.get('session');
    requireRole(s, ...APPROVER_ROLES);
    const sheet = await loadSheet(deps.db, s, uuidParam(c.req.param('id')));
    const after = await move(
      sheet,
      ['submitted'],
      `status = 'approved', decided_at = $3, decided_by = $4`,
      [deps.now(), s.userId],
    );
    deps.hooks.timesheetApproved(after, await sheetEntries(deps.db, sheet.id), s);
    await useFeature(deps, s, 'time_approval_workflow');
    return c.json({ timesheet: after });
  });

  app.post('/timesheets/:id/reject', async (c) => {
    const s = c.get('session');
    requireRole(s, ...APPROVER_ROLES);
    const sheet = await loadSheet(deps.db, s, uuidParam(c.req.param('id')));
    const body = await readBody(c, rejectSchema);
    const after = await move(
      sheet,
      ['submitted'],
      `status = 'changes_requested', decided_at = $3, decided_by = $4,
       rejection_count = rejection_count + 1`,
      [deps.now(), s.userId],
    );
    deps.hooks.timesheetRejected(after, (body.comment ?? '').trim() !== '', s);
    return c.json({ timesheet: after });
  });

  return app;
}
