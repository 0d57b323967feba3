// Event timestamps: `new Date(ms).toISOString()` costs ~1 us, and every event pays it. Events
// come in bursts within the same second, so the `YYYY-MM-DDTHH:mm:ss.` prefix is formatted once
// per second and only the milliseconds are appended.

let cachedSecond = Number.NaN;
let cachedPrefix = '';

/**
 * Exactly `new Date(ms).toISOString()` for every `ms` (fractions truncate toward zero, as the
 * Date constructor's TimeClip does; an invalid time throws the same RangeError), cheaper when
 * consecutive calls fall in the same second.
 */
export function isoTimestamp(ms: number): string {
  const t = Math.trunc(ms);
  const second = Math.floor(t / 1000);
  if (second !== cachedSecond) {
    // NaN, +-Infinity and |t| > 8.64e15 are not valid times: let Date throw its RangeError.
    if (!(Math.abs(t) <= 8.64e15)) return new Date(ms).toISOString();
    // A whole second always ends in `.000Z`: keep everything before the milliseconds.
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, -4);
    cachedSecond = second;
  }
  const milli = t - second * 1000;
  return `${cachedPrefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}
