/**
 * Every failure the SDK reports. Construction errors are thrown; everything after construction
 * goes to `onError` and a counter (strict mode, used by tests, also throws capture-time errors).
 */
export type SdkErrorCode =
  | 'invalid_option'
  | 'unknown_event'
  | 'unknown_property'
  | 'invalid_property'
  | 'http_error'
  | 'network_error'
  | 'batch_rejected'
  | 'queue_full'
  | 'spool_full'
  | 'spool_io'
  | 'local_file_io'
  | 'shutdown_timeout'
  | 'flags_context_missing'
  | 'flags_request_failed'
  | 'flags_definitions_failed'
  | 'flags_cache_io';

const MESSAGES: Record<SdkErrorCode, string> = {
  invalid_option: 'invalid option',
  unknown_event: 'event is not in the catalog',
  unknown_property: 'property is not in the catalog for this event',
  invalid_property: 'property value does not match its catalog schema',
  http_error: 'collector answered with a retryable error',
  network_error: 'collector could not be reached',
  batch_rejected: 'collector rejected a batch; it is not retried',
  queue_full: 'memory queue is full; events were dropped',
  spool_full: 'disk spool is full; the oldest spooled events were dropped',
  spool_io: 'disk spool could not be read or written',
  local_file_io: 'local usage file could not be written',
  shutdown_timeout: 'shutdown timed out; unsent events were spooled or dropped',
  flags_context_missing: 'a flag needs a userId or a tenantId to evaluate',
  flags_request_failed: 'flags could not be evaluated by the server; the flag is undefined',
  flags_definitions_failed: 'flag definitions could not be fetched; the last ones are kept',
  flags_cache_io: 'flag definitions cache could not be read or written',
};

export class SdkError extends Error {
  override readonly name = 'SdkError';
  constructor(
    readonly code: SdkErrorCode,
    /** What the error is about: an option key, an event or property name, a status. */
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    super(detail === undefined ? MESSAGES[code] : `${MESSAGES[code]}: ${detail}`, options);
  }
}
