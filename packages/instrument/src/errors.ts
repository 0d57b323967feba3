/**
 * Every failure the instrumentation reports. Options and operation names are checked at
 * construction or decoration and thrown there. A tracker never throws into the host's request:
 * its failures (`invalid_record`, `capture_failed`, `deferred_failed`) go to `onError` and the
 * `failed` counter. Messages never contain record values, only field, option and event names.
 */
export type InstrumentErrorCode =
  | 'invalid_option'
  | 'invalid_operation_name'
  | 'invalid_record'
  | 'capture_failed'
  | 'deferred_failed';

const MESSAGES: Record<InstrumentErrorCode, string> = {
  invalid_option: 'invalid option',
  invalid_operation_name: 'operation name must be snake_case words joined by dots',
  invalid_record: 'a record field the tracker needs is missing or malformed',
  capture_failed: 'the analytics client refused the event',
  deferred_failed: 'a call deferred until after commit threw',
};

export class InstrumentError extends Error {
  override readonly name = 'InstrumentError';
  constructor(
    readonly code: InstrumentErrorCode,
    /** What the error is about: an option key and why, a field, event or operation name. */
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    super(detail === undefined ? MESSAGES[code] : `${MESSAGES[code]}: ${detail}`, options);
  }
}
