// Ticket reads and the status workflow, shared by the ticket and comment routes.
import type { Session } from './context.js';
import type { Queryable } from './db/database.js';
import { fieldError, PsaError } from './errors.js';
import type { IdSource } from './ids.js';
import { CLOSED_STATUSES, type TicketRow, type TicketStatus } from './records.js';

// The status history rides along as JSON, oldest first: resolution analytics count reopens from it.
export const TICKET_SELECT = `SELECT t.*, p.level AS priority_level,
  (SELECT json_agg(json_build_object('status', h.status, 'is_closed', h.is_closed, 'at', h.at)
     ORDER BY h.at, h.seq) FROM ticket_status_changes h WHERE h.ticket_id = t.id) AS status_history
  FROM tickets t JOIN priorities p ON p.id = t.priority_id`;

/** Appends a row to the ticket's status history. */
export async function recordStatus(
  tx: Queryable,
  ids: IdSource,
  ticketId: string,
  status: TicketStatus,
  at: Date,
): Promise<void> {
  await tx.query(
    'INSERT INTO ticket_status_changes (id, ticket_id, status, is_closed, at) VALUES ($1, $2, $3, $4, $5)',
    [ids.id(), ticketId, status, isClosed(status), at],
  );
}

/** Which status may follow which. Leaving resolved/closed for an open status is a reopen. */
const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['in_progress', 'waiting', 'resolved', 'closed'],
  in_progress: ['waiting', 'resolved', 'closed'],
  waiting: ['in_progress', 'resolved', 'closed'],
  resolved: ['closed', 'in_progress'],
  closed: ['in_progress'],
};

export function isClosed(status: TicketStatus): boolean {
  return CLOSED_STATUSES.includes(status);
}

export function assertTransition(from: TicketStatus, to: TicketStatus): void {
  if (from !== to && !TRANSITIONS[from].includes(to)) throw new PsaError('invalid_transition');
}

/** Loads a ticket the caller may see (same tenant; a portal contact sees its client's only). */
export async function loadTicket(
  db: Queryable,
  session: Session,
  id: string | null,
): Promise<TicketRow> {
  if (id === null) throw new PsaError('not_found');
  const { rows } = await db.query<TicketRow>(
    `${TICKET_SELECT} WHERE t.id = $1 AND t.tenant_id = $2`,
    [id, session.tenantId],
  );
  const ticket = rows[0];
  if (ticket === undefined) throw new PsaError('not_found');
  if (session.role === 'client_contact' && ticket.client_id !== session.clientId) {
    throw new PsaError('not_found');
  }
  return ticket;
}

/** Checks that a referenced row (board, priority, category, client) is in the tenant. */
export async function assertInTenant(
  db: Queryable,
  table: 'boards' | 'priorities' | 'categories' | 'clients',
  id: string,
  tenantId: string,
  field: string,
): Promise<void> {
  const { rows } = await db.query(`SELECT 1 FROM ${table} WHERE id = $1 AND tenant_id = $2`, [
    id,
    tenantId,
  ]);
  if (rows.length === 0) throw fieldError(field);
}

/** An assignee must be an active staff user of the tenant. */
export async function assertAssignable(
  db: Queryable,
  userId: string,
  tenantId: string,
): Promise<void> {
  const { rows } = await db.query(
    `SELECT 1 FROM users WHERE id = $1 AND tenant_id = $2 AND is_active
       AND role IN ('admin', 'dispatcher', 'technician')`,
    [userId, tenantId],
  );
  if (rows.length === 0) throw fieldError('assigned_to');
}

export interface TicketChanges {
  title?: string;
  description?: string;
  status?: TicketStatus;
  priority_id?: string;
  category_id?: string | null;
  board_id?: string;
  assigned_to?: string | null;
}

/** Applies validated changes in `tx` and returns the ticket as it now is. */
export async function writeTicketChanges(
  tx: Queryable,
  before: TicketRow,
  changes: TicketChanges,
  now: Date,
  ids: IdSource,
): Promise<TicketRow> {
  const status = changes.status ?? before.status;
  assertTransition(before.status, status);
  const reopened = isClosed(before.status) && !isClosed(status);
  const resolvedAt = isClosed(status) ? (isClosed(before.status) ? before.resolved_at : now) : null;
  const assignedTo = changes.assigned_to === undefined ? before.assigned_to : changes.assigned_to;
  const firstAssignedAt = before.first_assigned_at ?? (assignedTo !== null ? now : null);
  await tx.query(
    `UPDATE tickets SET title = $2, description = $3, status = $4, priority_id = $5,
       category_id = $6, board_id = $7, assigned_to = $8, reopen_count = reopen_count + $9,
       updated_at = $10, first_assigned_at = $11, resolved_at = $12
     WHERE id = $1`,
    [
      before.id,
      changes.title ?? before.title,
      changes.description ?? before.description,
      status,
      changes.priority_id ?? before.priority_id,
      changes.category_id === undefined ? before.category_id : changes.category_id,
      changes.board_id ?? before.board_id,
      assignedTo,
      reopened ? 1 : 0,
      now,
      firstAssignedAt,
      resolvedAt,
    ],
  );
  if (status !== before.status) await recordStatus(tx, ids, before.id, status, now);
  const { rows } = await tx.query<TicketRow>(`${TICKET_SELECT} WHERE t.id = $1`, [before.id]);
  return rows[0] as TicketRow;
}
