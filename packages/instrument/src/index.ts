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
export type { Actor, CaptureClient, TrackerCounters, TrackersOptions } from './domain/emit.js';
export type { TrackerErrorCode } from './domain/errors.js';
export { TrackerError } from './domain/errors.js';
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
export type { Timestamp } from './domain/timestamps.js';
export type { Trackers } from './domain/trackers.js';
export { createTrackers } from './domain/trackers.js';
