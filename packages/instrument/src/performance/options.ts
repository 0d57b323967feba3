import { z } from 'zod';
import { hook, parseOptions, thresholdMs } from '../options.js';

/** Above this a measured operation emits `slow_operation`; prior art's 500 ms. */
export const DEFAULT_SLOW_OPERATION_MS = 500;

export interface PerformanceTrackingOptions {
  /** Default {@link DEFAULT_SLOW_OPERATION_MS}. */
  slowOperationMs?: number;
  /** Milliseconds on a monotonic clock; default `performance.now`. */
  now?: () => number;
}

const schema = z.strictObject({
  slowOperationMs: thresholdMs().default(DEFAULT_SLOW_OPERATION_MS),
  now: hook<() => number>('now').default(() => () => performance.now()),
});

export type ResolvedPerformanceOptions = Readonly<z.output<typeof schema>>;

export function resolvePerformanceOptions(
  options: PerformanceTrackingOptions,
): ResolvedPerformanceOptions {
  return parseOptions(schema, options);
}
