// The one file that knows Tally: maps the PSA's rows onto @tally/instrument's record types and
// its hooks onto the domain trackers, and builds the HTTP middleware. Routes call the hooks after
// their transaction commits (see hooks.ts); nothing here reads a title, comment, name or email
// into an event: the trackers measure free text, and ids leave the process keyed-hashed on-premise.
import {
  type Actor,
  type BillingRuleRecord,
  type CaptureClient,
  createHttpInstrumentation,
  createPerformanceTracking,
  createTrackers,
  type HttpInstrumentationOptions,
  type InvoiceRecord,
  type PerformanceTrackingOptions,
  type TicketRecord,
  type TimeEntryRecord,
  type TimesheetRecord,
  type TrackersOptions,
  type UserRecord,
} from '@tally/instrument';
import type { Context, MiddlewareHandler } from 'hono';
import type { PsaEnv, Role, Session } from './context.js';
import type { PsaHooks } from './hooks.js';
import type {
  BillingRuleRow,
  InvoiceLineRow,
  InvoiceRow,
  TicketRow,
  TimeEntryRow,
  TimesheetRow,
  UserRow,
} from './records.js';
import { isClosed } from './ticket-store.js';

export interface PsaInstrumentationOptions {
  /** HTTP middleware options (sample rate, thresholds); `identify` is the app's own. */
  http?: Omit<HttpInstrumentationOptions<never>, 'identify'>;
  trackers?: TrackersOptions;
  /** Slow-operation threshold and clock of `measure` (the billing run). */
  performance?: PerformanceTrackingOptions;
}

export interface PsaInstrumentation {
  readonly hooks: PsaHooks;
  readonly middleware: MiddlewareHandler;
}

// ### Rows to records

function actorOf(s: Session): Actor {
  return { userId: s.userId, tenantId: s.tenantId, role: s.role };
}

function userTypeOf(role: Role): UserRecord['userType'] {
  return role === 'client_contact' ? 'client' : role === 'admin' ? 'admin' : 'msp';
}

export function userRecord(u: UserRow): UserRecord {
  return {
    id: u.id,
    tenantId: u.tenant_id,
    userType: userTypeOf(u.role),
    isAdmin: u.role === 'admin',
    twoFactorEnabled: false,
    lastLoginAt: u.last_login_at,
  };
}

export function ticketRecord(t: TicketRow): TicketRecord {
  return {
    id: t.id,
    tenantId: t.tenant_id,
    status: t.status,
    isClosed: isClosed(t.status),
    priority: t.priority_level,
    priorityId: t.priority_id,
    boardId: t.board_id,
    categoryId: t.category_id,
    assigneeId: t.assigned_to,
    clientId: t.client_id,
    title: t.title,
    description: t.description,
    createdAt: t.created_at,
    updatedAt: t.updated_at,
    resolvedAt: t.resolved_at,
    reopenCount: t.reopen_count,
    firstAssignedAt: t.first_assigned_at,
    statusHistory: (t.status_history ?? []).map((h) => ({ at: h.at, isClosed: h.is_closed })),
    commentCount: t.comment_count,
  };
}

export function timeEntryRecord(e: TimeEntryRow): TimeEntryRecord {
  return {
    id: e.id,
    workItemType: e.ticket_id === null ? 'ad_hoc' : 'ticket',
    workItemId: e.ticket_id,
    durationMinutes: e.duration_minutes,
    isBillable: e.is_billable,
    notes: e.notes,
    approvalStatus: e.approval_status,
    entryMethod: e.entry_method,
    createdAt: e.created_at,
  };
}

export function timesheetRecord(s: TimesheetRow, entries: TimeEntryRow[]): TimesheetRecord {
  return {
    id: s.id,
    periodStart: s.period_start,
    periodEnd: s.period_end,
    entries: entries.map((e) => ({
      durationMinutes: e.duration_minutes,
      isBillable: e.is_billable,
    })),
    submittedAt: s.submitted_at,
    rejectionCount: s.rejection_count,
  };
}

export function invoiceRecord(
  i: InvoiceRow,
  lines: InvoiceLineRow[],
  balanceCents = i.total_cents - i.paid_cents - i.credited_cents,
): InvoiceRecord {
  return {
    id: i.id,
    totalCents: i.total_cents,
    currency: i.currency,
    isManual: i.generation === 'manual',
    isPrepayment: false,
    lines: lines.map((l) => ({
      isDiscount: l.amount_cents < 0,
      taxCents: i.tax_cents > 0 ? 1 : 0,
    })),
    invoiceDate: i.created_at,
    createdAt: i.created_at,
    finalizedAt: i.finalized_at,
    sentAt: i.sent_at,
    balanceCents,
  };
}

export function billingRuleRecord(r: BillingRuleRow): BillingRuleRecord {
  return {
    id: r.id,
    type: r.type,
    isPreset: false,
    contractId: r.client_id,
    name: r.name,
    rateCents: r.amount_cents,
  };
}

// ### Hooks to trackers

/**
 * Instruments the PSA with Tally: domain trackers behind the app's hooks, and the HTTP
 * middleware that identifies the caller from the session the auth middleware set.
 *
 * @example
 * const { hooks, middleware } = createPsaInstrumentation(analytics);
 * const app = createPsaApp({ db, hooks, middleware: [middleware] });
 */
export function createPsaInstrumentation(
  analytics: CaptureClient,
  options: PsaInstrumentationOptions = {},
): PsaInstrumentation {
  const track = createTrackers(analytics, options.trackers ?? {});
  const http = createHttpInstrumentation(analytics, options.http ?? {});
  const perf = createPerformanceTracking(analytics, options.performance ?? {});
  const middleware = http.hono({
    identify: (c: Context) => {
      const s = (c as Context<PsaEnv>).get('session');
      return s === undefined ? undefined : { distinctId: s.userId, tenantId: s.tenantId };
    },
  });
  const hooks: PsaHooks = {
    signedUp: (user, companyCreated) =>
      track.auth.signedUp(userRecord(user), {
        method: companyCreated ? 'direct' : 'invitation',
        companyCreated,
        emailVerificationRequired: false,
      }),
    credentialsValidated: (user) =>
      track.auth.validated(userRecord(user), { provider: 'credentials' }),
    loggedIn: (user, provider) => track.auth.loggedIn(userRecord(user), { provider }),
    loginFailed: (reason, provider) => track.auth.loginFailed({ reason, provider }),
    loggedOut: (s, trigger) =>
      track.auth.loggedOut(
        { id: s.userId, tenantId: s.tenantId, userType: userTypeOf(s.role) },
        trigger,
        { startedAt: s.startedAt },
      ),
    measure: (operation, work) => perf.measure(operation, work),
    featureUsed: (feature, isFirstUse, s) =>
      track.features.used(feature, actorOf(s), { isFirstUse }),
    ticketCreated: (t, s) => track.tickets.created(ticketRecord(t), actorOf(s), { via: t.channel }),
    ticketUpdated: (before, after, s) =>
      track.tickets.updated(ticketRecord(before), ticketRecord(after), actorOf(s), {
        via: s.role === 'client_contact' ? 'portal' : 'manual',
      }),
    ticketDeleted: (t, s) => track.tickets.deleted(ticketRecord(t), actorOf(s)),
    commentAdded: (_t, c, s) =>
      track.tickets.commented(
        {
          id: c.id,
          ticketId: c.ticket_id,
          body: c.body,
          bodyFormat: 'text',
          isInternal: c.is_internal,
          isResolution: c.is_resolution,
          authorType: s.role === 'client_contact' ? 'client' : 'msp',
        },
        actorOf(s),
      ),
    ticketsSearched: (q, s) =>
      track.tickets.searched(
        {
          query: q.query,
          fields: ['title', 'ticket_number'],
          filters: {
            statusIds: q.filters.status ? 'set' : null,
            priorityIds: q.filters.priority ? 'set' : null,
            assigneeId: q.filters.assigned_to ? 'set' : null,
            includeClosed: q.filters.include_closed,
            boardId: q.filters.board ? 'set' : null,
            categoryId: q.filters.category ? 'set' : null,
          },
          resultCount: q.resultCount,
          durationMs: q.durationMs,
          limit: q.limit,
        },
        actorOf(s),
      ),
    timeEntryCreated: (e, s) => track.time.entryCreated(timeEntryRecord(e), actorOf(s)),
    timeEntryUpdated: (b, a, s) =>
      track.time.entryUpdated(timeEntryRecord(b), timeEntryRecord(a), actorOf(s)),
    timeEntryDeleted: (e, s) => track.time.entryDeleted(timeEntryRecord(e), actorOf(s)),
    timesheetSubmitted: (sheet, entries, s) =>
      track.time.timesheetSubmitted(timesheetRecord(sheet, entries), actorOf(s)),
    timesheetApproved: (sheet, entries, s) =>
      track.time.timesheetApproved(timesheetRecord(sheet, entries), actorOf(s)),
    timesheetRejected: (sheet, hasComment, s) =>
      track.time.timesheetRejected(timesheetRecord(sheet, []), actorOf(s), {
        comment: hasComment ? 'set' : null,
      }),
    billingRuleCreated: (r, s) => track.billing.ruleCreated(billingRuleRecord(r), actorOf(s)),
    billingRuleUpdated: (b, a, s) =>
      track.billing.ruleUpdated(billingRuleRecord(b), billingRuleRecord(a), actorOf(s)),
    invoiceSent: (before, method, s) =>
      track.billing.invoiceSent(invoiceRecord(before, []), actorOf(s), { method }),
    invoiceGenerated: (i, lines, s) =>
      track.billing.invoiceGenerated(invoiceRecord(i, lines), actorOf(s)),
    invoiceFinalized: (i, lines, s) =>
      track.billing.invoiceFinalized(invoiceRecord(i, lines), actorOf(s)),
    paymentRecorded: (p, after, s) =>
      track.billing.paymentRecorded(
        {
          invoiceId: p.invoice_id,
          amountCents: p.amount_cents,
          currency: after.currency,
          method: p.method,
          source: 'manual',
          paidAt: p.received_at,
        },
        // The tracker wants the invoice as it was before this payment: add the payment back.
        invoiceRecord(
          after,
          [],
          after.total_cents - after.paid_cents - after.credited_cents + p.amount_cents,
        ),
        actorOf(s),
      ),
    creditApplied: (credit, invoice, amountCents, s) =>
      track.billing.creditApplied(
        {
          invoiceId: invoice.id,
          amountCents,
          currency: invoice.currency,
          source: credit.source,
          isAutomatic: false,
        },
        actorOf(s),
      ),
  };
  return { hooks, middleware };
}
