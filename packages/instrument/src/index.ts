// @tally/instrument: wiring Tally into a host app. HTTP middleware (one core, thin adapters),
// performance decorators, and domain trackers that take the app's records.
/// Domain trackers (tickets, auth, time, billing) and afterCommit
export type { AfterCommitOptions, Defer } from './domain/after-commit.js';
export { afterCommit } from './domain/after-commit.js';
export type {
  AuthProvider,
  AuthTracker,
  LoginAttempt,
  LoginFailure,
  LoginFailureReason,
  LogoutTrigger,
  RegistrationMethod,
  SessionRecord,
  SignupDetails,
  UserRecord,
} from './domain/auth.js';
export type {
  BillingRuleField,
  BillingRuleRecord,
  BillingRuleType,
  BillingTracker,
  CreditApplicationRecord,
  CreditSource,
  DeliveryMethod,
  InvoiceLineRecord,
  InvoiceRecord,
  PaymentMethod,
  PaymentRecord,
  PaymentSource,
} from './domain/billing.js';
export type { Actor, CaptureClient, TrackerCounters, TrackersOptions } from './domain/emit.js';
export type { FeatureSurface, FeatureTracker, FeatureUse } from './domain/features.js';
export type {
  CommentAuthorType,
  TicketChannel,
  TicketCommentRecord,
  TicketField,
  TicketPriorityLevel,
  TicketRecord,
  TicketSearchField,
  TicketSearchRecord,
  TicketStatusChange,
  TicketType,
  TicketUpdateChannel,
} from './domain/ticket-records.js';
export type {
  TicketCreatedOptions,
  TicketTracker,
  TicketUpdatedOptions,
} from './domain/tickets.js';
export type {
  ApprovalStatus,
  EntryMethod,
  TimeEntryRecord,
  TimesheetEntry,
  TimesheetRecord,
  TimeTracker,
  WorkItemType,
} from './domain/time-tracking.js';
export type { Timestamp } from './domain/timestamps.js';
export type { Trackers } from './domain/trackers.js';
export { createTrackers } from './domain/trackers.js';
/// Errors (HTTP and performance)
export { errorTypeOf, NON_ERROR_TYPE } from './error-type.js';
export type { InstrumentErrorCode } from './errors.js';
export { InstrumentError } from './errors.js';

/// HTTP middleware
export type { ExpressAdapterOptions } from './http/adapters/express.js';
export type { FastifyAdapterOptions } from './http/adapters/fastify.js';
export type { HonoAdapterOptions } from './http/adapters/hono.js';
export type {
  NextAdapterOptions,
  RouteHandler,
  WrappedRouteHandler,
} from './http/adapters/next.js';
export type { NodeAdapterOptions } from './http/adapters/node.js';
export type { HttpCore, RequestOutcome } from './http/core.js';
export { createHttpCore } from './http/core.js';
export type { HttpInstrumentation } from './http/instrumentation.js';
export { createHttpInstrumentation } from './http/instrumentation.js';
export type { HttpInstrumentationOptions, Identify, RequestIdentity } from './http/options.js';
export {
  DEFAULT_SAMPLE_RATE,
  DEFAULT_SLOW_QUERY_MS,
  DEFAULT_SLOW_REQUEST_MS,
  MIN_SAMPLE_RATE,
} from './http/options.js';
export { normalizeTemplate, templateRawPath } from './http/route.js';

/// Performance
export type { PerformanceTrackingOptions } from './performance/options.js';
export { DEFAULT_SLOW_OPERATION_MS } from './performance/options.js';
export type { MeasureOptions, PerformanceTracking } from './performance/tracking.js';
export {
  ANONYMOUS_NAME,
  createPerformanceTracking,
  FUNCTION_CLASS_NAME,
} from './performance/tracking.js';
