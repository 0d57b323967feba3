/** Running totals of what the SDK did; `analytics.counters()` returns a copy. */
export interface SdkCounters {
  /** Events accepted by capture() (and identify/group/alias). */
  captured: number;
  /** Events dropped because usage stats were off (at capture, or by the time they were sent). */
  droppedConsent: number;
  droppedUnknownEvent: number;
  /** Properties (not events) dropped as unknown or invalid. */
  droppedUnknownProperty: number;
  droppedInvalidProperty: number;
  /** String values in which a PII scanner replaced something. */
  piiRedacted: number;
  droppedQueueFull: number;
  /** Events the collector acknowledged. */
  sent: number;
  /** Events written to the local NDJSON file (`local` mode). */
  writtenLocal: number;
  /** HTTP attempts that were retried. */
  retries: number;
  /** Events the collector rejected with a non-retryable 4xx; they are not retried. */
  rejected: number;
  spooled: number;
  /** Spooled events later delivered. */
  unspooled: number;
  droppedSpoolFull: number;
  /**
   * Events given up after a retryable failure: retries exhausted with no spool configured, or
   * the spool could not be written.
   */
  droppedUndelivered: number;
  errors: number;
}

export function createCounters(): SdkCounters {
  return {
    captured: 0,
    droppedConsent: 0,
    droppedUnknownEvent: 0,
    droppedUnknownProperty: 0,
    droppedInvalidProperty: 0,
    piiRedacted: 0,
    droppedQueueFull: 0,
    sent: 0,
    writtenLocal: 0,
    retries: 0,
    rejected: 0,
    spooled: 0,
    unspooled: 0,
    droppedSpoolFull: 0,
    droppedUndelivered: 0,
    errors: 0,
  };
}
