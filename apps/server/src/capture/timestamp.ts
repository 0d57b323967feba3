import { daysFromCivil, parseTimestamp } from './parse-date.js';

/** Events more than this far in the future are stored at the server's `now`. */
export const FUTURE_EVENT_CUTOFF_MS = 23 * 60 * 60 * 1000;

const MS_PER_DAY = 86_400_000;
/** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z: the range a stored timestamp must fall in. */
const MIN_STORABLE_MS = daysFromCivil(0, 1, 1) * MS_PER_DAY;
const END_STORABLE_MS = daysFromCivil(10_000, 1, 1) * MS_PER_DAY;

export interface TimestampInput {
  /** The event's `timestamp`, as sent. */
  timestamp: string | undefined;
  /** The event's `offset`: it happened this many ms before the request arrived. */
  offsetMs: number | undefined;
  /** When the client sent the request, by its own clock (body `sent_at`, else query `_`). */
  sentAtMs: number | undefined;
  /** `properties.$ignore_sent_at === true`: trust the client clock as it is. */
  ignoreSentAt: boolean;
  /** The server's clock when the request arrived. */
  nowMs: number;
}

/**
 * The stored time of an event, in epoch ms (posthog-wire-protocol.md §1.5,
 * `parse_event_timestamp` in `rust/common/types/src/timestamp.rs`):
 *
 * 1. Start from `now`.
 * 2. A parseable `timestamp` with a known `sent_at` is re-anchored to the server clock:
 *    `now + (timestamp - sent_at)` keeps the event's age and drops the client's clock skew.
 *    Without `sent_at` (or with `$ignore_sent_at`) the timestamp is taken as given. An
 *    unparseable timestamp leaves `now`.
 * 3. `offset` wins over both: `now - offset`.
 * 4. More than 23 h in the future: clamped to `now`.
 * 5. A year outside 0..9999: the Unix epoch (0).
 *
 * @example
 * ```ts
 * // The client clock runs 10 s fast; the event happened an hour before it was sent.
 * resolveTimestamp({
 *   timestamp: '2026-01-01T11:00:10Z',
 *   offsetMs: undefined,
 *   sentAtMs: Date.parse('2026-01-01T12:00:10Z'),
 *   ignoreSentAt: false,
 *   nowMs: Date.parse('2026-01-01T12:00:00Z'),
 * }); // Date.parse('2026-01-01T11:00:00Z')
 * ```
 */
export function resolveTimestamp(input: TimestampInput): number {
  const { nowMs } = input;
  const sentAtMs = input.ignoreSentAt ? undefined : input.sentAtMs;
  let result = nowMs;
  const parsed = input.timestamp === undefined ? undefined : parseTimestamp(input.timestamp);
  if (parsed !== undefined) result = sentAtMs === undefined ? parsed : nowMs + (parsed - sentAtMs);
  if (input.offsetMs !== undefined) result = nowMs - input.offsetMs;
  if (result - nowMs > FUTURE_EVENT_CUTOFF_MS) result = nowMs;
  if (!(result >= MIN_STORABLE_MS && result < END_STORABLE_MS)) result = 0;
  return result;
}
