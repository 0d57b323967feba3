/**
 * Why a domain tracker emitted nothing. Trackers never throw into the host's request: the error
 * goes to `onError` and the `failed` counter (conventions: background failures are reported,
 * never thrown). Only `invalid_option` is thrown, by `createTrackers`. Messages never contain
 * record values, only field and option names.
 */
export type TrackerErrorCode =
  | 'invalid_option'
  | 'invalid_record'
  | 'capture_failed'
  | 'deferred_failed';

const MESSAGES: Record<TrackerErrorCode, string> = {
  invalid_option: 'invalid option',
  invalid_record: 'a record field the tracker needs is missing or malformed',
  capture_failed: 'the analytics client refused the event',
  deferred_failed: 'a call deferred until after commit threw',
};

export class TrackerError extends Error {
  override readonly name = 'TrackerError';
  constructor(
    readonly code: TrackerErrorCode,
    /** What the error is about: a field name or an event name, never a value. */
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    super(detail === undefined ? MESSAGES[code] : `${MESSAGES[code]}: ${detail}`, options);
  }
}
