// Row types as the routes read them from PostgreSQL (timestamps as Date, dates as 'YYYY-MM-DD').

import type { Role } from './context.js';

export interface UserRow {
  id: string;
  tenant_id: string;
  client_id: string | null;
  email: string;
  name: string;
  role: Role;
  password_hash: string | null;
  is_active: boolean;
  last_login_at: Date | null;
  created_at: Date;
}

export const TICKET_STATUSES = ['new', 'in_progress', 'waiting', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const CLOSED_STATUSES: readonly TicketStatus[] = ['resolved', 'closed'];

export interface TicketRow {
  id: string;
  tenant_id: string;
  number: number;
  title: string;
  description: string;
  status: TicketStatus;
  channel: 'manual' | 'portal' | 'api' | 'email';
  board_id: string;
  priority_id: string;
  priority_level: 'low' | 'medium' | 'high' | 'urgent' | 'other';
  category_id: string | null;
  client_id: string | null;
  reported_by: string;
  assigned_to: string | null;
  reopen_count: number;
  comment_count: number;
  created_at: Date;
  updated_at: Date;
  first_assigned_at: Date | null;
  resolved_at: Date | null;
  /** Oldest first; null only for a ticket with no history rows. */
  status_history: Array<{ status: TicketStatus; is_closed: boolean; at: string }> | null;
}

export interface CommentRow {
  id: string;
  tenant_id: string;
  ticket_id: string;
  author_id: string;
  body: string;
  is_internal: boolean;
  is_resolution: boolean;
  created_at: Date;
}

export type TimesheetStatus = 'draft' | 'submitted' | 'approved' | 'changes_requested';

export interface TimesheetRow {
  id: string;
  tenant_id: string;
  user_id: string;
  period_start: string;
  period_end: string;
  status: TimesheetStatus;
  rejection_count: number;
  submitted_at: Date | null;
  decided_at: Date | null;
  decided_by: string | null;
}

export interface TimeEntryRow {
  id: string;
  tenant_id: string;
  user_id: string;
  ticket_id: string | null;
  timesheet_id: string;
  work_date: string;
  duration_minutes: number;
  is_billable: boolean;
  notes: string;
  entry_method: 'manual' | 'timer' | 'api';
  invoice_id: string | null;
  created_at: Date;
  /** The status of the entry's time sheet. */
  approval_status: TimesheetStatus;
}

export interface BillingRuleRow {
  id: string;
  tenant_id: string;
  client_id: string;
  type: 'hourly' | 'fixed';
  name: string;
  amount_cents: number;
  is_active: boolean;
  created_at: Date;
}

export interface InvoiceRow {
  id: string;
  tenant_id: string;
  client_id: string;
  number: number;
  status: 'draft' | 'finalized' | 'paid' | 'void';
  generation: 'manual' | 'automatic';
  currency: string;
  subtotal_cents: number;
  tax_cents: number;
  total_cents: number;
  paid_cents: number;
  credited_cents: number;
  period_start: string | null;
  period_end: string | null;
  created_at: Date;
  finalized_at: Date | null;
  sent_at: Date | null;
  /** The last export to the accounting system (see routes/accounting.ts). */
  sync_status: 'never' | 'synced' | 'failed';
  /** The PSA error code of the last failed export; null once it synced. */
  sync_error: string | null;
  sync_attempts: number;
  synced_at: Date | null;
  /** The accounting system's id of the invoice, from its first successful export. */
  accounting_ref: string | null;
}

export interface InvoiceLineRow {
  id: string;
  invoice_id: string;
  description: string;
  quantity: string;
  unit_price_cents: number;
  amount_cents: number;
  billing_rule_id: string | null;
}

export interface PaymentRow {
  id: string;
  tenant_id: string;
  invoice_id: string;
  amount_cents: number;
  method: 'card' | 'ach' | 'bank_transfer' | 'check' | 'cash' | 'other';
  received_at: Date;
}

export interface CreditRow {
  id: string;
  tenant_id: string;
  client_id: string;
  amount_cents: number;
  remaining_cents: number;
  source: 'prepayment' | 'overpayment' | 'manual_adjustment' | 'refund';
  created_at: Date;
}
