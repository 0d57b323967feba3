import type { SdkCounters } from '../counters.js';
import type { SdkError } from '../errors.js';

/** One event as it goes on the wire in a PostHog `/batch/` body. */
export interface WireEvent {
  readonly event: string;
  readonly distinct_id: string;
  /** UUIDv7, minted at capture; identical on every retry. */
  readonly uuid: string;
  /** ISO-8601 UTC capture time; identical on every retry. */
  readonly timestamp: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** Side effects, injectable so retry and spool tests run on a fake clock. */
export interface TransportHooks {
  readonly fetch: typeof globalThis.fetch;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1): backoff jitter. */
  readonly random: () => number;
}

export interface TransportConfig {
  /** Collector base URL without a trailing slash; batches go to `${host}/batch/`. */
  readonly host: string;
  /** Project write token, sent as `api_key` in the body. */
  readonly token: string;
  readonly maxBatchSize: number;
  readonly maxBatchBytes: number;
  readonly gzip: boolean;
  /** Retries after the first attempt, per batch, per send. */
  readonly maxRetries: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly requestTimeoutMs: number;
  /** Folder for the disk spool; undefined means no spool (failed batches are dropped and counted). */
  readonly spoolDir: string | undefined;
  readonly maxSpoolBytes: number;
  readonly userAgent: string;
}

export interface TransportContext {
  readonly config: TransportConfig;
  readonly hooks: TransportHooks;
  readonly counters: SdkCounters;
  /**
   * Called once per background failure, after the transport has incremented `counters.errors`
   * (so pass the host's hook, not a wrapper that counts again). A throwing hook is swallowed.
   */
  readonly onError: (error: SdkError) => void;
}
