/** posthog-node's `maxCacheSize`: distinct callers remembered before the cache starts over. */
export const MAX_EXPOSURE_CALLERS = 50_000;

/**
 * Which exposures were already sent: one `$feature_flag_called` per caller, flag and response
 * (wire protocol §3.6). Bounded as posthog-node bounds it: past `maxCallers` callers the whole
 * cache is dropped, so memory stays flat and an exposure is at worst sent again.
 */
export interface ExposureCache {
  /** Whether this exposure is new; records it. */
  isNew(caller: string, key: string, response: string | boolean): boolean;
  /** Un-records an exposure that was not sent after all (usage stats off). */
  forget(caller: string, key: string, response: string | boolean): void;
  readonly size: number;
}

export function createExposureCache(maxCallers = MAX_EXPOSURE_CALLERS): ExposureCache {
  let seen = new Map<string, Set<string>>();
  return {
    isNew(caller, key, response) {
      const entry = `${key}_${String(response)}`;
      let keys = seen.get(caller);
      if (keys === undefined) {
        if (seen.size >= maxCallers) seen = new Map();
        keys = new Set();
        seen.set(caller, keys);
      }
      if (keys.has(entry)) return false;
      keys.add(entry);
      return true;
    },
    forget(caller, key, response) {
      seen.get(caller)?.delete(`${key}_${String(response)}`);
    },
    get size() {
      return seen.size;
    },
  };
}
