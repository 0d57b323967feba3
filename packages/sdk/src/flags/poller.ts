import { SdkError } from '../errors.js';
import { type LoadedDefinitions, parseDefinitions } from './definitions.js';

// Polls local-evaluation definitions as posthog-node does (wire protocol §3.7):
// `GET {host}/flags/definitions?token=...` with the personal key and `If-None-Match`. 200
// replaces the definitions, 304 keeps them, 402 clears them; 401/403/429/5xx and network errors
// keep them and back off (interval x 2^n, at most 60 s or the interval if longer).

export const MAX_POLL_BACKOFF_MS = 60_000;

export interface PollerConfig {
  readonly host: string;
  readonly token: string;
  readonly personalApiKey: string;
  readonly intervalMs: number;
  readonly requestTimeoutMs: number;
  readonly userAgent: string;
}

export interface PollerHooks {
  readonly fetch: typeof globalThis.fetch;
  readonly now: () => number;
  /** Waits between polls; the default timer is unref'd, so polling never holds a host open. */
  readonly sleep: (ms: number) => Promise<void>;
}

export interface PollerEvents {
  /** Current definitions (undefined: cleared). */
  current(): LoadedDefinitions | undefined;
  replace(definitions: LoadedDefinitions | undefined): void;
  report(error: SdkError): void;
}

export interface Poller {
  /** One poll now; resolves when it is done. Never rejects. */
  pollNow(): Promise<void>;
  /** Polls now, then every interval until `stop()`. */
  start(): void;
  stop(): void;
}

const BACKOFF_STATUSES = new Set([401, 403, 429]);

export function createPoller(
  config: PollerConfig,
  hooks: PollerHooks,
  events: PollerEvents,
): Poller {
  let failures = 0;
  let isStopped = false;
  let isStarted = false;
  const url = `${config.host}/flags/definitions?token=${encodeURIComponent(config.token)}&send_cohorts`;

  async function poll(): Promise<void> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${config.personalApiKey}`,
      'Content-Type': 'application/json',
      'User-Agent': config.userAgent,
    };
    const etag = events.current()?.etag;
    if (etag !== undefined) headers['If-None-Match'] = etag;
    let response: Response;
    try {
      response = await hooks.fetch(url, {
        headers,
        signal: AbortSignal.timeout(config.requestTimeoutMs),
      });
    } catch (cause) {
      return fail(new SdkError('flags_definitions_failed', 'fetch failed', { cause }));
    }
    if (response.status === 304) {
      await response.body?.cancel().catch(() => undefined);
      failures = 0;
      return;
    }
    if (response.status === 200) {
      try {
        const raw: unknown = await response.json();
        const etagHeader = response.headers.get('etag') ?? undefined;
        events.replace(parseDefinitions(raw, etagHeader, hooks.now(), hooks.now));
        failures = 0;
      } catch (cause) {
        fail(new SdkError('flags_definitions_failed', 'invalid payload', { cause }));
      }
      return;
    }
    await response.body?.cancel().catch(() => undefined);
    // 402: the project's flags are over quota: PostHog clears them, and so do we.
    if (response.status === 402) events.replace(undefined);
    const isBackoff = BACKOFF_STATUSES.has(response.status) || response.status >= 500;
    const error = new SdkError('flags_definitions_failed', `status ${response.status}`);
    if (isBackoff) return fail(error);
    events.report(error);
  }

  function fail(error: SdkError): void {
    failures += 1;
    events.report(error);
  }

  function delayMs(): number {
    if (failures === 0) return config.intervalMs;
    const cap = Math.max(MAX_POLL_BACKOFF_MS, config.intervalMs);
    return Math.min(config.intervalMs * 2 ** Math.min(failures, 20), cap);
  }

  async function safePoll(): Promise<void> {
    try {
      await poll();
    } catch (cause) {
      fail(new SdkError('flags_definitions_failed', undefined, { cause }));
    }
  }

  async function loop(): Promise<void> {
    while (!isStopped) {
      await safePoll();
      if (isStopped) return;
      await hooks.sleep(delayMs());
    }
  }

  return {
    pollNow: safePoll,
    start() {
      if (isStarted || isStopped) return;
      isStarted = true;
      void loop();
    },
    stop() {
      isStopped = true;
    },
  };
}
