import type { SdkCounters } from '../counters.js';
import type { SdkError } from '../errors.js';

export type Report = (error: SdkError) => void;

/**
 * Every background failure: counted, then handed to the host's onError. A throwing onError is
 * swallowed; the SDK must never throw into the host from a timer or a flush.
 */
export function createReport(counters: SdkCounters, onError: (error: SdkError) => void): Report {
  return (error) => {
    counters.errors += 1;
    try {
      onError(error);
    } catch {
      // The host's handler failed; there is nowhere left to report that.
    }
  };
}
