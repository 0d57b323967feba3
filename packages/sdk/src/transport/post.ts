import { SdkError } from '../errors.js';
import {
  isRetryableStatus,
  isSuccessStatus,
  parseRetryAfterMs,
  retryDelayMs,
} from './retry-policy.js';
import type { TransportContext } from './types.js';

/** How one batch ended after all its attempts. */
export type PostOutcome =
  | { readonly kind: 'sent' }
  | { readonly kind: 'too_large' }
  | { readonly kind: 'rejected'; readonly status: number }
  | { readonly kind: 'failed'; readonly error: SdkError };

type Attempt =
  | { readonly kind: 'status'; readonly status: number; readonly retryAfterMs: number | undefined }
  | { readonly kind: 'network'; readonly isTimeout: boolean; readonly cause: unknown };

/**
 * POSTs one encoded body to `${host}/batch/`, retrying network errors, timeouts, 408, 429 and
 * 5xx up to `maxRetries` times. The caller builds `body` once: every attempt sends the identical
 * bytes (same uuids, timestamps and `sent_at`), which is what lets the collector dedupe a batch
 * whose first attempt was stored but not acknowledged (wire protocol §1.7).
 */
export async function postBatch(
  context: TransportContext,
  body: Uint8Array,
  maxRetries: number,
): Promise<PostOutcome> {
  const { config, hooks, counters } = context;
  for (let attempt = 0; ; attempt += 1) {
    const result = await attemptOnce(context, body);
    if (result.kind === 'status') {
      if (isSuccessStatus(result.status)) return { kind: 'sent' };
      // Not retried: the same bytes would be too large again; the caller splits the batch.
      if (result.status === 413) return { kind: 'too_large' };
      if (!isRetryableStatus(result.status)) return { kind: 'rejected', status: result.status };
    }
    if (attempt >= maxRetries) return { kind: 'failed', error: toError(result, config) };
    counters.retries += 1;
    const retryAfterMs = result.kind === 'status' ? result.retryAfterMs : undefined;
    await hooks.sleep(retryDelayMs(attempt, config, hooks.random(), retryAfterMs));
  }
}

async function attemptOnce(context: TransportContext, body: Uint8Array): Promise<Attempt> {
  const { config, hooks } = context;
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': config.userAgent,
  };
  if (config.gzip) headers['Content-Encoding'] = 'gzip';
  try {
    const response = await hooks.fetch(`${config.host}/batch/`, {
      method: 'POST',
      headers,
      body,
      // AbortSignal.timeout's timer is unref'd: a pending request never keeps the host alive.
      signal: AbortSignal.timeout(config.requestTimeoutMs),
    });
    const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'), hooks.now());
    // The body is never read (an error body is plain text we must not log); cancelling it
    // releases the connection to the pool instead of waiting for garbage collection.
    await response.body?.cancel().catch(() => undefined);
    return { kind: 'status', status: response.status, retryAfterMs };
  } catch (cause) {
    const isTimeout = cause instanceof Error && cause.name === 'TimeoutError';
    return { kind: 'network', isTimeout, cause };
  }
}

function toError(result: Attempt, config: TransportContext['config']): SdkError {
  if (result.kind === 'status') return new SdkError('http_error', `status ${result.status}`);
  const detail = result.isTimeout ? `timeout after ${config.requestTimeoutMs} ms` : 'fetch failed';
  return new SdkError('network_error', detail, { cause: result.cause });
}
