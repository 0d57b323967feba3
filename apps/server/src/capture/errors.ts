/**
 * Every way a capture request can be refused, with its HTTP status. PostHog clients treat any 4xx
 * as terminal (no retry), so the split between 400, 401 and 413 is for humans and metrics.
 * Wire protocol reference: posthog-wire-protocol.md §1.6.
 */
export type CaptureErrorCode =
  | 'missing_payload'
  | 'bad_encoding'
  | 'bad_json'
  | 'empty_batch'
  | 'missing_event'
  | 'missing_distinct_id'
  | 'invalid_uuid'
  | 'invalid_timestamp'
  | 'invalid_cookieless_mode'
  | 'missing_token'
  | 'invalid_token'
  | 'inconsistent_tokens'
  | 'payload_too_large'
  | 'engage_only'
  | 'flags_missing_distinct_id'
  | 'invalid_field';

export type CaptureErrorStatus = 400 | 401 | 413;

const TABLE: Record<CaptureErrorCode, { message: string; status: CaptureErrorStatus }> = {
  missing_payload: { message: 'request has no data payload', status: 400 },
  bad_encoding: { message: 'request payload could not be decoded', status: 400 },
  bad_json: { message: 'payload is not a valid capture JSON document', status: 400 },
  empty_batch: { message: 'request holds no events', status: 400 },
  missing_event: { message: 'event name is missing or empty', status: 400 },
  missing_distinct_id: { message: 'event submitted without a distinct_id', status: 400 },
  invalid_uuid: { message: 'uuid is not a valid UUID', status: 400 },
  invalid_timestamp: { message: 'timestamp, offset or sent_at has the wrong type', status: 400 },
  invalid_cookieless_mode: { message: '$cookieless_mode must be a boolean', status: 400 },
  missing_token: { message: 'event submitted without an api_key', status: 401 },
  invalid_token: { message: 'API key is not valid', status: 401 },
  inconsistent_tokens: { message: 'batch submitted with inconsistent api_key values', status: 401 },
  payload_too_large: { message: 'payload exceeds the size limit of this endpoint', status: 413 },
  engage_only: {
    message: 'non-engage request missing event name attribute',
    status: 400,
  },
  flags_missing_distinct_id: { message: 'flag request without a distinct_id', status: 400 },
  invalid_field: { message: 'a request field has the wrong type', status: 400 },
};

/** Why a payload failed: fixed wording, appended to the message in parentheses. */
export type CaptureErrorReason =
  | 'invalid_gzip'
  | 'invalid_lz64'
  | 'invalid_base64'
  | 'invalid_utf8'
  | 'expected_form'
  | 'not_json'
  | 'unknown_shape'
  | 'not_an_object'
  | 'wrong_type'
  | 'empty'
  | 'too_long'
  | 'not_ascii'
  | 'personal_api_key'
  | 'null_byte'
  | 'compressed_size'
  | 'decompressed_size';

const REASONS: Record<CaptureErrorReason, string> = {
  invalid_gzip: 'invalid gzip data',
  invalid_lz64: 'invalid lz64 data',
  invalid_base64: 'invalid base64 data',
  invalid_utf8: 'invalid UTF-8',
  expected_form: 'expected urlencoded form data',
  not_json: 'JSON syntax error',
  unknown_shape: 'expected an array of events, a batch object or an event object',
  not_an_object: 'expected a JSON object',
  wrong_type: 'wrong JSON type',
  empty: 'empty',
  too_long: 'longer than 64 characters',
  not_ascii: 'not ASCII',
  personal_api_key: 'a personal API key (phx_) cannot send events',
  null_byte: 'contains a NUL byte',
  compressed_size: 'request body too large',
  decompressed_size: 'decompressed payload too large',
};

export interface CaptureErrorOptions {
  /** Where in the payload, e.g. `batch[3].uuid`; built from indexes and fixed keys only. */
  field?: string | undefined;
  reason?: CaptureErrorReason | undefined;
  cause?: unknown;
}

/**
 * A refused capture request. `message` is plain text safe to send as the response body: it names
 * the problem and the field but never echoes user input.
 *
 * @example
 * ```ts
 * try {
 *   await decodeCapture(request, limits);
 * } catch (error) {
 *   if (error instanceof CaptureError) return c.text(error.message, error.status);
 *   throw error;
 * }
 * ```
 */
export class CaptureError extends Error {
  override readonly name = 'CaptureError';
  readonly code: CaptureErrorCode;
  readonly status: CaptureErrorStatus;
  // `declare`: no own property at all when absent (a class field would hold `undefined`).
  declare readonly field?: string;
  declare readonly reason?: CaptureErrorReason;

  constructor(code: CaptureErrorCode, options: CaptureErrorOptions = {}) {
    const { message, status } = TABLE[code];
    const reason = options.reason === undefined ? '' : ` (${REASONS[options.reason]})`;
    const field = options.field === undefined ? '' : `: ${options.field}`;
    super(
      `${message}${reason}${field}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.status = status;
    if (options.field !== undefined) this.field = options.field;
    if (options.reason !== undefined) this.reason = options.reason;
  }
}

/** Joins a field path: `fieldPath('batch[2]', 'uuid')` is `batch[2].uuid`; no prefix, no dot. */
export function fieldPath(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}
