// The points where the PSA reports what happened. Routes call these after their transaction
// commits; `instrumentation.ts` maps them onto @tally/instrument's trackers. Without analytics
// every hook is a no-op, so the app emits nothing.

import type { Feature } from '@tally/catalog';
import type { Session } from './context.js';
import type {
  BillingRuleRow,
  CommentRow,
  CreditRow,
  InvoiceLineRow,
  InvoiceRow,
  PaymentRow,
  TicketRow,
  TimeEntryRow,
  TimesheetRow,
  UserRow,
} from './records.js';

export type AuthProvider = 'credentials' | 'google' | 'microsoft' | 'keycloak';
export type LoginFailure = 'invalid_password' | 'inactive_account' | 'unknown_user' | 'oauth_error';

export interface TicketSearch {
  query: string;
  filters: Record<
    'status' | 'priority' | 'assigned_to' | 'include_closed' | 'board' | 'category',
    boolean
  >;
  resultCount: number;
  durationMs: number;
  limit: number;
}

export interface PsaHooks {
  signedUp(user: UserRow, companyCreated: boolean): void;
  /** The password matched (before the account's state is checked). */
  credentialsValidated(user: UserRow): void;
  loggedIn(user: UserRow, provider: AuthProvider, isFirstLogin: boolean): void;
  loginFailed(reason: LoginFailure, provider: AuthProvider): void;
  loggedOut(actor: Session, trigger: 'user' | 'session_expired'): void;
  /**
   * Times a named piece of work (the billing run, an accounting export); reports it when slow or
   * when it throws (the error's class only), then returns or rethrows what `work` did.
   */
  measure<T>(operation: string, work: () => Promise<T>): Promise<T>;
  featureUsed(feature: Feature, isFirstUse: boolean, actor: Session): void;
  ticketCreated(ticket: TicketRow, actor: Session): void;
  ticketUpdated(before: TicketRow, after: TicketRow, actor: Session): void;
  ticketDeleted(ticket: TicketRow, actor: Session): void;
  commentAdded(ticket: TicketRow, comment: CommentRow, actor: Session): void;
  ticketsSearched(search: TicketSearch, actor: Session): void;
  timeEntryCreated(entry: TimeEntryRow, actor: Session): void;
  timeEntryUpdated(before: TimeEntryRow, after: TimeEntryRow, actor: Session): void;
  timeEntryDeleted(entry: TimeEntryRow, actor: Session): void;
  timesheetSubmitted(sheet: TimesheetRow, entries: TimeEntryRow[], actor: Session): void;
  timesheetApproved(sheet: TimesheetRow, entries: TimeEntryRow[], actor: Session): void;
  timesheetRejected(sheet: TimesheetRow, hasComment: boolean, actor: Session): void;
  billingRuleCreated(rule: BillingRuleRow, actor: Session): void;
  invoiceGenerated(invoice: InvoiceRow, lines: InvoiceLineRow[], actor: Session): void;
  /** `before` is the invoice as it was before this delivery (its previous `sent_at`). */
  invoiceSent(
    before: InvoiceRow,
    method: 'email' | 'client_portal' | 'pdf_download',
    actor: Session,
  ): void;
  billingRuleUpdated(before: BillingRuleRow, after: BillingRuleRow, actor: Session): void;
  invoiceFinalized(invoice: InvoiceRow, lines: InvoiceLineRow[], actor: Session): void;
  paymentRecorded(payment: PaymentRow, invoice: InvoiceRow, actor: Session): void;
  creditApplied(credit: CreditRow, invoice: InvoiceRow, amountCents: number, actor: Session): void;
}

const noop = (): void => {};

export const NO_HOOKS: PsaHooks = Object.freeze({
  signedUp: noop,
  credentialsValidated: noop,
  loggedIn: noop,
  loginFailed: noop,
  loggedOut: noop,
  measure: <T>(_operation: string, work: () => Promise<T>): Promise<T> => work(),
  featureUsed: noop,
  ticketCreated: noop,
  ticketUpdated: noop,
  ticketDeleted: noop,
  commentAdded: noop,
  ticketsSearched: noop,
  timeEntryCreated: noop,
  timeEntryUpdated: noop,
  timeEntryDeleted: noop,
  timesheetSubmitted: noop,
  timesheetApproved: noop,
  timesheetRejected: noop,
  billingRuleCreated: noop,
  invoiceGenerated: noop,
  invoiceSent: noop,
  billingRuleUpdated: noop,
  invoiceFinalized: noop,
  paymentRecorded: noop,
  creditApplied: noop,
});
