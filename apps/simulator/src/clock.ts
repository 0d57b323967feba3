// The simulated clock. The PSA's rows, its sessions, the SDK's event timestamps and the HTTP
// middleware's durations all read it, so a simulated day costs only the work done in it.

export interface SimClock {
  /** Wall time, for the PSA (`now: () => Date`). */
  now(): Date;
  nowMs(): number;
  /** Moves forward; never back. */
  advanceMs(ms: number): void;
  /** Jumps to `ms` if it is later than now. */
  advanceTo(ms: number): void;
}

export function createSimClock(startMs: number): SimClock {
  let t = startMs;
  return {
    now: () => new Date(t),
    nowMs: () => t,
    advanceMs: (ms) => {
      if (ms > 0) t += ms;
    },
    advanceTo: (ms) => {
      if (ms > t) t = ms;
    },
  };
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
