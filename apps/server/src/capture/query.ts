/** The capture query parameters (posthog-wire-protocol.md §1.2); others (`ip`, `retry_count`) are ignored. */
export interface CaptureQuery {
  /** Legacy GET payload; `undefined` when absent or empty. */
  data: string | undefined;
  compression: string | undefined;
  /** `ver`, alias `lib_version`. */
  libVersion: string | undefined;
  /** `sent_at`, alias `_`: epoch milliseconds, only when it decodes to 2021 or later. */
  sentAtMs: number | undefined;
  /** `beacon=1`: the client used `navigator.sendBeacon` and wants 204 with no body. */
  isBeacon: boolean;
}

/**
 * `_`/`sent_at` values before this are ignored: old posthog-js sent seconds, which read as
 * milliseconds land in January 1970 (`EventQuery::sent_at` in `rust/capture/src/payload/types.rs`
 * keeps only years after 2020).
 */
export const MIN_QUERY_SENT_AT_MS = Date.UTC(2021, 0, 1);
/** The largest epoch milliseconds a JavaScript Date can hold. */
const MAX_DATE_MS = 8.64e15;

/**
 * Reads the capture query parameters. Malformed values are ignored rather than refused (the Rust
 * service rejects a non-integer `_` with a 400; no client sends one on purpose).
 *
 * @example
 * ```ts
 * parseCaptureQuery(new URLSearchParams('ver=1.2.3&_=1767225600000&beacon=1')).isBeacon; // true
 * ```
 */
export function parseCaptureQuery(query: URLSearchParams): CaptureQuery {
  return {
    data: nonEmpty(query.get('data')),
    compression: nonEmpty(query.get('compression')),
    libVersion: nonEmpty(query.get('ver')) ?? nonEmpty(query.get('lib_version')),
    sentAtMs: parseSentAtMs(query.get('sent_at') ?? query.get('_')),
    isBeacon: parseInteger(query.get('beacon')) === 1,
  };
}

function parseSentAtMs(value: string | null): number | undefined {
  const ms = parseInteger(value);
  if (ms === undefined || ms < MIN_QUERY_SENT_AT_MS || ms > MAX_DATE_MS) return undefined;
  return ms;
}

function parseInteger(value: string | null): number | undefined {
  if (value === null || !/^[+-]?\d{1,16}$/.test(value.trim())) return undefined;
  return Number.parseInt(value.trim(), 10);
}

function nonEmpty(value: string | null): string | undefined {
  return value === null || value === '' ? undefined : value;
}
