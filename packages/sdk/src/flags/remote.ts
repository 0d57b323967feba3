import { SdkError } from '../errors.js';
import type { FlagRequestBody } from './request.js';

// Remote evaluation (wire protocol §3.5): `POST {host}/flags?v=2`, no Authorization. One retry,
// only after a network error or a 502/504, as posthog-node; every attempt has its timeout.

export const FLAG_RETRY_DELAY_MS = 300;

/** One flag as `/flags?v=2` answers it. */
export interface RemoteFlag {
  readonly key: string;
  readonly enabled: boolean;
  readonly variant: string | null;
  readonly reason?: { readonly code?: string } | null;
  readonly metadata?: {
    readonly id?: number;
    readonly version?: number;
    readonly payload?: string | null;
  } | null;
}

export interface RemoteConfig {
  readonly host: string;
  readonly requestTimeoutMs: number;
  readonly userAgent: string;
}

export interface RemoteHooks {
  readonly fetch: typeof globalThis.fetch;
  readonly sleep: (ms: number) => Promise<void>;
}

/** The server's answers by key. Rejects with an SdkError (`flags_request_failed`). */
export async function fetchRemoteFlags(
  config: RemoteConfig,
  hooks: RemoteHooks,
  body: FlagRequestBody,
): Promise<Record<string, RemoteFlag>> {
  const text = JSON.stringify(body);
  for (let attempt = 0; ; attempt += 1) {
    let response: Response;
    try {
      response = await hooks.fetch(`${config.host}/flags/?v=2`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'User-Agent': config.userAgent },
        body: text,
        signal: AbortSignal.timeout(config.requestTimeoutMs),
      });
    } catch (cause) {
      if (attempt === 0) {
        await hooks.sleep(FLAG_RETRY_DELAY_MS);
        continue;
      }
      const isTimeout = cause instanceof Error && cause.name === 'TimeoutError';
      throw new SdkError('flags_request_failed', isTimeout ? 'timeout' : 'connection_error', {
        cause,
      });
    }
    if (response.ok) return parseResponse(await response.json().catch(() => undefined));
    await response.body?.cancel().catch(() => undefined);
    if (attempt === 0 && (response.status === 502 || response.status === 504)) {
      await hooks.sleep(FLAG_RETRY_DELAY_MS);
      continue;
    }
    throw new SdkError('flags_request_failed', `api_error_${response.status}`);
  }
}

function parseResponse(json: unknown): Record<string, RemoteFlag> {
  const body = json as { flags?: unknown; quotaLimited?: unknown } | undefined;
  if (body === undefined || body === null || typeof body !== 'object')
    throw new SdkError('flags_request_failed', 'invalid response');
  // A quota-limited project answers with no flags (wire protocol §3.5).
  if (Array.isArray(body.quotaLimited) && body.quotaLimited.includes('feature_flags')) return {};
  const flags = body.flags;
  if (flags === null || typeof flags !== 'object')
    throw new SdkError('flags_request_failed', 'invalid response');
  return flags as Record<string, RemoteFlag>;
}

/** A remote flag's value: `variant ?? enabled`, as every PostHog SDK reads it. */
export function remoteValue(flag: RemoteFlag): string | boolean {
  return flag.enabled ? (flag.variant ?? true) : false;
}

/** `metadata.payload` is JSON text; parsed, or the raw string when it is not JSON. */
export function remotePayload(flag: RemoteFlag): unknown {
  const payload = flag.metadata?.payload;
  if (payload === undefined || payload === null) return undefined;
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return payload;
  }
}
