import type { EventInput, EventName, PsaCatalog } from '@tally/catalog';
import type { Analytics, CaptureContext } from '@tally/sdk';
import { InstrumentError } from '../errors.js';

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
  readonly onError?: (error: InstrumentError) => void;
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
  report(error: InstrumentError): void;
  readonly counters: TrackerCounters;
}

/** Throws `invalid_record` unless two snapshots are of the same record. */
export function assertSameRecord(before: { id: string }, after: { id: string }): void {
  if (before.id !== after.id)
    throw new InstrumentError('invalid_record', 'id (before and after differ)');
}

export function contextOf(actor: Actor): CaptureContext {
  return actor.sessionId === undefined
    ? { userId: actor.userId, tenantId: actor.tenantId }
    : { userId: actor.userId, tenantId: actor.tenantId, sessionId: actor.sessionId };
}

/** Checks the options once, at construction; a bad one throws naming its key. */
function parseTrackersOptions(options: TrackersOptions): Required<TrackersOptions> {
  for (const key of ['now', 'onError'] as const) {
    const value: unknown = options[key];
    if (value !== undefined && typeof value !== 'function') {
      throw new InstrumentError('invalid_option', `${key}: expected a function`);
    }
  }
  return Object.freeze({ now: options.now ?? Date.now, onError: options.onError ?? (() => {}) });
}

export function createEmitter(analytics: CaptureClient, options: TrackersOptions = {}): Emitter {
  if (typeof analytics?.capture !== 'function') {
    throw new InstrumentError('invalid_option', 'analytics: expected a client with capture()');
  }
  const { now, onError } = parseTrackersOptions(options);
  const counters: TrackerCounters = { emitted: 0, failed: 0 };

  function report(error: InstrumentError): void {
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
        report(new InstrumentError('capture_failed', event, { cause }));
      }
    },
    guard(what, run) {
      try {
        run();
      } catch (cause) {
        report(
          cause instanceof InstrumentError
            ? cause
            : new InstrumentError('invalid_record', what, { cause }),
        );
      }
    },
  };
}
