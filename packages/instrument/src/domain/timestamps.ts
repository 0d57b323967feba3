import { InstrumentError } from '../errors.js';

/**
 * A moment as a PSA's rows hold it: a `Date` (pg, PGlite, Prisma), an ISO string (JSON APIs,
 * SQLite) or epoch milliseconds.
 */
export type Timestamp = Date | string | number;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Epoch ms of a timestamp; throws `invalid_record` naming `field` when it is not a moment. */
export function toMs(value: Timestamp, field: string): number {
  const ms =
    value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new InstrumentError('invalid_record', field);
  return ms;
}

/** Like `toMs`, but a missing timestamp (null or undefined) stays undefined. */
export function toMsOrUndefined(
  value: Timestamp | null | undefined,
  field: string,
): number | undefined {
  return value === null || value === undefined ? undefined : toMs(value, field);
}

/**
 * Whole minutes from `fromMs` to `toMs`, rounded down. A negative span (clock skew between the
 * app servers that wrote the two rows) counts as 0, since the catalog's minute fields have min 0.
 */
export function minutesBetween(fromMs: number, toMs: number): number {
  return Math.max(0, Math.floor((toMs - fromMs) / MINUTE_MS));
}

/** Whole days from `fromMs` to `toMs`, rounded down, never negative. */
export function daysBetween(fromMs: number, toMs: number): number {
  return Math.max(0, Math.floor((toMs - fromMs) / DAY_MS));
}

/** Whole days from `fromMs` to `toMs`, negative when `toMs` is earlier (rounded toward zero). */
export function signedDaysBetween(fromMs: number, toMs: number): number {
  return Math.trunc((toMs - fromMs) / DAY_MS);
}

/** Hours from `fromMs` to `toMs` with two decimals, never negative. */
export function hoursBetween(fromMs: number, toMs: number): number {
  return Math.max(0, Math.round(((toMs - fromMs) / HOUR_MS) * 100) / 100);
}
