import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  isRetryableStatus,
  isSuccessStatus,
  MAX_RETRY_AFTER_MS,
  parseRetryAfterMs,
  retryDelayMs,
} from './retry-policy.js';

const NOW = Date.parse('2026-01-02T03:04:05.000Z');

describe('retry policy', () => {
  it('treats only 2xx as success and 408, 429, 5xx as retryable', () => {
    expect([200, 204, 299].every(isSuccessStatus)).toBe(true);
    expect([199, 300, 304, 400].some(isSuccessStatus)).toBe(false);
    expect([408, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 413, 422].some(isRetryableStatus)).toBe(false);
  });

  it('grows the backoff window exponentially up to retryMaxMs, jittered by random', () => {
    expect([0, 1, 2, 3, 4].map((a) => backoffMs(a, 100, 1000, 1))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
    expect(backoffMs(3, 100, 1000, 0.5)).toBe(400);
    expect(backoffMs(3, 100, 1000, 0)).toBe(0);
  });

  it('parses Retry-After as seconds or an HTTP-date', () => {
    expect(parseRetryAfterMs('7', NOW)).toBe(7000);
    expect(parseRetryAfterMs(' 0 ', NOW)).toBe(0);
    expect(parseRetryAfterMs(new Date(NOW + 12_000).toUTCString(), NOW)).toBe(12_000);
    expect(parseRetryAfterMs(new Date(NOW - 60_000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfterMs('soon', NOW)).toBeUndefined();
    expect(parseRetryAfterMs('-5', NOW)).toBeUndefined();
    expect(parseRetryAfterMs(null, NOW)).toBeUndefined();
  });

  it('waits max(backoff, Retry-After), Retry-After capped at min(4 x retryMaxMs, 5 min)', () => {
    const timing = { retryBaseMs: 100, retryMaxMs: 10_000 };
    expect(retryDelayMs(0, timing, 0.5, undefined)).toBe(50);
    expect(retryDelayMs(0, timing, 0.5, 7000)).toBe(7000);
    expect(retryDelayMs(5, timing, 1, 10)).toBe(3200);
    expect(retryDelayMs(0, timing, 0.5, 3_600_000)).toBe(40_000);
    const slow = { retryBaseMs: 1000, retryMaxMs: 600_000 };
    expect(retryDelayMs(0, slow, 0, 3_600_000)).toBe(MAX_RETRY_AFTER_MS);
  });
});
