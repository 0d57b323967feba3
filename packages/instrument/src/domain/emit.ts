import type { EventInput, EventName, PsaCatalog } from '@tally/catalog';
import type { Analytics, CaptureContext } from '@tally/sdk';
import { TrackerError } from './errors.js';

/**
 * Who did it: the signed-in user and their tenant (the MSP). `userId` becomes the event's
 * `distinct_id` and `tenantId` its `$groups.tenant`, exactly as `analytics.capture` does with a
 * `CaptureContext`; on-premise both leave the process keyed-hashed.
 */
export interface Actor {
  readonly userId: string;
  readonly tenantId: string;
  /** The session, when the app has one; sent as `$session_id`. */
  readonly sessionId?: string | undefined;
  /** The actor's role in the app; trackers do not send it (roles are person properties). */
  readonly role?: string | undefined;
}

/** The part of the SDK client trackers use, so a vendor's own wrapper can stand in. */
export type CaptureClient = Pick<Analytics<PsaCatalog>, 'capture'>;

export interface TrackersOptions {
  /** The clock for "now" (deletion age, approval delay). Default `Date.now`. */
  readonly now?: () => number;
  /** Called with every failure; the failure is also counted. Default: nothing. */
  readonly onError?: (error: TrackerError) => void;
}

export interface TrackerCounters {
  /** Events handed to `analytics.capture`. */
  emitted: number;
  /** Tracker calls that emitted nothing because of an error (reported to `onError`). */
  failed: number;
}

/** Shared plumbing of every domain tracker: the clock, safe capture and the error counters. */
export interface Emitter {
  readonly now: () => number;
  /** Captures one event for `who`; a client that throws (strict mode) is reported, not rethrown. */
  emit<N extends EventName<PsaCatalog>>(
    event: N,
    properties: EventInput<PsaCatalog, N>,
    who: CaptureContext | undefined,
  ): void;
  /** Runs one tracker call: any error (a malformed record) is reported and swallowed. */
  guard(what: string, run: () => void): void;
  report(error: TrackerError): void;
  readonly counters: TrackerCounters;
}

export function contextOf(actor: Actor): CaptureContext {
  return actor.sessionId === undefined
    ? { userId: actor.userId, tenantId: actor.tenantId }
    : { userId: actor.userId, tenantId: actor.tenantId, sessionId: actor.sessionId };
}

export function createEmitter(analytics: CaptureClient, options: TrackersOptions = {}): Emitter {
  const now = options.now ?? Date.now;
  const onError = options.onError ?? (() => {});
  const counters: TrackerCounters = { emitted: 0, failed: 0 };

  function report(error: TrackerError): void {
    counters.failed++;
    try {
      onError(error);
    } catch {
      // The host's error hook must not break the host's request either.
    }
  }

  return {
    now,
    counters,
    report,
    emit(event, properties, who) {
      try {
        analytics.capture(event, properties, who);
        counters.emitted++;
      } catch (cause) {
        report(new TrackerError('capture_failed', event, { cause }));
      }
    },
    guard(what, run) {
      try {
        run();
      } catch (cause) {
        report(
          cause instanceof TrackerError
            ? cause
            : new TrackerError('invalid_record', what, { cause }),
        );
      }
    },
  };
}
