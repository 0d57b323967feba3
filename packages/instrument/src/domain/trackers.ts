import { type AuthTracker, createAuthTracker } from './auth.js';
import { type BillingTracker, createBillingTracker } from './billing.js';
import {
  type CaptureClient,
  createEmitter,
  type TrackerCounters,
  type TrackersOptions,
} from './emit.js';
import { createFeatureTracker, type FeatureTracker } from './features.js';
import { createTicketTracker, type TicketTracker } from './tickets.js';
import { createTimeTracker, type TimeTracker } from './time-tracking.js';

/** Every domain tracker, sharing one clock, one error hook and one set of counters. */
export interface Trackers {
  readonly tickets: TicketTracker;
  readonly auth: AuthTracker;
  readonly time: TimeTracker;
  readonly billing: BillingTracker;
  readonly features: FeatureTracker;
  /** Events emitted and tracker calls that failed (each failure also went to `onError`). */
  counters(): Readonly<TrackerCounters>;
}

/**
 * Domain trackers that take the app's records and emit the catalog's events. No call ever throws
 * into the host's request: a malformed record or a refused event goes to `onError` and the
 * `failed` counter. Call them after the work commits (see `afterCommit`).
 * @example
 * const track = createTrackers(analytics, { onError: (e) => log.warn(e.message) });
 * track.tickets.updated(before, after, { userId: user.id, tenantId: user.tenantId });
 */
export function createTrackers(analytics: CaptureClient, options: TrackersOptions = {}): Trackers {
  const out = createEmitter(analytics, options);
  return {
    tickets: createTicketTracker(out),
    auth: createAuthTracker(out),
    time: createTimeTracker(out),
    billing: createBillingTracker(out),
    features: createFeatureTracker(out),
    counters: () => ({ ...out.counters }),
  };
}
