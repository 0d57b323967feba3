// @tally/psa-demo: a small but real PSA web API (Hono + PGlite), instrumented with Tally.

// ### Accounting
export type { AccountingInvoice, AccountingService } from './accounting.js';
export { AccountingSyncError, AccountingTimeoutError } from './accounting.js';
// ### App
export type { PsaAppOptions } from './app.js';
export { createPsaApp, DEFAULT_SESSION_TTL_MS } from './app.js';
export type { Role, Session } from './context.js';
export { ROLES } from './context.js';
// ### Database
export { migrate, openPsaDatabase } from './db/database.js';
export { MIGRATIONS } from './db/migrations.js';
// ### Errors
export type { PsaErrorCode } from './errors.js';
export { PSA_ERRORS, PsaError } from './errors.js';
export type { FakeAccounting, FakeAccountingOptions } from './fake-accounting.js';
export {
  createFakeAccounting,
  DEFAULT_ACCOUNTING_CURRENCIES,
  DEFAULT_ACCOUNTING_TIMEOUT_MS,
  DEFAULT_SLOW_SHARE,
  DEFAULT_TIMEOUT_SHARE,
  DEFAULT_UNAVAILABLE_SHARE,
} from './fake-accounting.js';
// ### Hooks and ids
export type { AuthProvider, LoginFailure, PsaHooks, TicketSearch } from './hooks.js';
export { NO_HOOKS } from './hooks.js';
export type { IdSource } from './ids.js';
export { createSequentialIds, randomIds } from './ids.js';
// ### Instrumentation
export type { PsaInstrumentation, PsaInstrumentationOptions } from './instrumentation.js';
export {
  billingRuleRecord,
  createPsaInstrumentation,
  invoiceRecord,
  ticketRecord,
  timeEntryRecord,
  timesheetRecord,
  userRecord,
} from './instrumentation.js';
export { EXPORT_OPERATION } from './routes/accounting.js';
export { OAUTH_PROVIDERS } from './routes/oauth.js';
// ### Server
export type { ServeOptions } from './serve.js';
export { DEFAULT_PSA_PORT, servePsaDemo } from './serve.js';
// ### Ticket form experiment
export type { FlagReader, TicketForm } from './ticket-form.js';
export { NEW_TICKET_FORM_VARIANT, NO_FLAGS, TICKET_FORM_FLAG } from './ticket-form.js';
