import { psaCatalog } from '@tally/catalog';
import { createTestAnalytics, type TestAnalytics } from '@tally/sdk/testing';
import { createHttpInstrumentation, type HttpInstrumentationOptions } from '../src/index.js';

/** A clock the handlers move forward: durations are exact, no test depends on real time. */
export function createClock(start = 1_000) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

/** PII that fixtures put in paths, queries and error messages; none may reach an event. */
export const SECRETS = {
  email: 'dana.whitfield@example.com',
  uuid: '550e8400-e29b-41d4-a716-446655440000',
  message: 'duplicate key for customer Dana Whitfield',
  token: 'sk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0',
} as const;

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
}

export function setup<R = never>(options: HttpInstrumentationOptions<R> = {}) {
  const analytics: TestAnalytics = createTestAnalytics({ catalog: psaCatalog });
  const clock = createClock();
  const http = createHttpInstrumentation(analytics, {
    sampleRate: 0.1,
    random: () => 0,
    now: clock.now,
    ...options,
  });
  return { analytics, clock, http };
}

/** The properties of every captured event with this name, in order, without the envelope. */
export function propsOf(analytics: TestAnalytics, event: string, keys: readonly string[]) {
  return analytics.events
    .filter((e) => e.event === event)
    .map((e) => Object.fromEntries(keys.map((k) => [k, e.properties[k]])));
}

export const REQUEST_KEYS = [
  'route',
  'method',
  'status',
  'status_class',
  'duration_ms',
  'has_auth',
  'is_slow',
  'sample_rate',
] as const;
export const ERROR_KEYS = [
  'route',
  'method',
  'status',
  'error_type',
  'duration_ms',
  'has_auth',
] as const;
