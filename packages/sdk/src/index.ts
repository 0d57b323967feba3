// @tally/sdk: capture events from a host app without leaking PII, blocking a request, crashing
// the app, or ignoring the customer's opt-out.

/// Client
export type { Analytics, AnalyticsStatus } from './client.js';
export { createAnalytics } from './client.js';
/// Consent
export type { ConsentDecision, ConsentReason } from './consent.js';
export { parseSwitch } from './consent.js';
export type { CaptureContext } from './context.js';
/// Errors and counters
export type { SdkCounters } from './counters.js';
export type { SdkErrorCode } from './errors.js';
export { SdkError } from './errors.js';
/// Feature flags
export type { FlagValue } from './flags/flags-client.js';
export type { FlagContext } from './flags/request.js';
/// Building blocks the server shares (keyed id hashing, event ids, the install secret)
export { createIdHasher, uuidv7 } from './ids.js';
/// Options
export type { AnalyticsHooks, AnalyticsOptions, FlagsOptions, UsageStatsMode } from './options.js';
export {
  DEFAULT_FLAG_POLL_INTERVAL_MS,
  DEFAULT_FLAG_REQUEST_TIMEOUT_MS,
  DEFAULT_FLUSH_AT,
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_MAX_BATCH_BYTES,
  DEFAULT_MAX_BATCH_SIZE,
  DEFAULT_MAX_QUEUE_SIZE,
  DEFAULT_MAX_RETRIES,
  DEFAULT_MAX_SPOOL_BYTES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_RETRY_BASE_MS,
  DEFAULT_RETRY_MAX_MS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  DEFAULT_TENANT_GROUP_TYPE,
  DEFAULT_USAGE_STATS_SWITCH,
  FLAG_DEFINITIONS_FILE,
} from './options.js';
export { resolveSecret, SECRET_FILE } from './secret.js';
/// Wire
export type { WireEvent } from './transport/types.js';
export { SDK_NAME, SDK_VERSION } from './version.js';
