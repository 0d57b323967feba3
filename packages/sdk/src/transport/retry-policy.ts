// Which answers are retried, and how long to wait before the next attempt.

/**
 * Upper bound on a `Retry-After` we obey: the smaller of 4 x retryMaxMs and 5 minutes. A
 * collector asking for an hour must not hold `flush()` (and the host's shutdown) for an hour;
 * after the last retry the batch goes to the disk spool, which is the long wait.
 */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;
export const RETRY_AFTER_CAP_FACTOR = 4;

/**
 * Success is 2xx only. posthog-node counts 3xx as success too, but fetch already follows
 * redirects, so a 3xx that reaches us (300, 304, a redirect loop's end) means the events were not
 * stored; calling that success would lose them silently.
 */
export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300;
}

/** 408, 429 and 5xx are worth another try (wire protocol §1.6: 429 rate limit, 503 sink error). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Exponential backoff with full jitter: uniform in [0, min(maxMs, baseMs * 2^attempt)). */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: number): number {
  return random * Math.min(maxMs, baseMs * 2 ** attempt);
}

/**
 * `Retry-After` as milliseconds from now: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * Unparseable values are ignored; a date in the past means "now".
 */
export function parseRetryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // All three HTTP-date forms start with a day name; Date.parse alone would take '-5' as a year.
  if (!/^[A-Za-z]{3,9},? /.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

export interface RetryTiming {
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
}

/**
 * Delay before retry number `attempt + 1`: the jittered backoff, raised to the server's
 * `Retry-After` (capped, see MAX_RETRY_AFTER_MS) when it asks for longer.
 */
export function retryDelayMs(
  attempt: number,
  timing: RetryTiming,
  random: number,
  retryAfterMs: number | undefined,
): number {
  const backoff = backoffMs(attempt, timing.retryBaseMs, timing.retryMaxMs, random);
  if (retryAfterMs === undefined) return backoff;
  const cap = Math.min(timing.retryMaxMs * RETRY_AFTER_CAP_FACTOR, MAX_RETRY_AFTER_MS);
  return Math.max(backoff, Math.min(retryAfterMs, cap));
}
