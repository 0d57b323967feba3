// Calendar arithmetic in an IANA time zone for the reference evaluators, from Intl alone (no date
// library, so the references share no code with whatever the engine uses).
//
// Contract: a bucket is identified by the epoch ms of its first instant. Day, week and month
// buckets start at local midnight, so a Europe/Berlin day is 23 hours long on the last Sunday of
// March and 25 hours on the last Sunday of October. Hour buckets are real hours: the repeated
// autumn hour (02:00-03:00 local, twice) is two buckets, as ClickHouse's toStartOfHour gives.

export type Interval = 'hour' | 'day' | 'week' | 'month';

/** 0 = Sunday (PostHog's default `week_start_day`), 1 = Monday (ISO, DuckDB's date_trunc). */
export type WeekStart = 0 | 1;

/**
 * Tally projects have a time zone but no week-start setting yet; weeks start on Monday (ISO 8601,
 * and what DuckDB's `date_trunc('week', ...)` does). PostHog defaults to Sunday; pass 0 for that.
 */
export const DEFAULT_WEEK_START: WeekStart = 1;

export const DEFAULT_TIMEZONE = 'Europe/Berlin';

export const SECOND_MS = 1_000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

export interface ZonedParts {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** 0 = Sunday ... 6 = Saturday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** The wall-clock reading of instant `ms` in `timezone`. */
export function zonedParts(ms: number, timezone: string): ZonedParts {
  const local = new Date(ms + zoneOffsetMs(ms, timezone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    millisecond: local.getUTCMilliseconds(),
    weekday: local.getUTCDay(),
  };
}

const offsets = new Map<string, number | null>();

/**
 * Offset of `timezone` from UTC at instant `ms`, in ms (Berlin in summer: +2 h). Intl is slow,
 * so the offset is cached per UTC hour when it is the same at both ends of that hour (at most
 * one switch per hour is assumed); an hour with a switch inside is asked of Intl every time.
 */
export function zoneOffsetMs(ms: number, timezone: string): number {
  const slot = Math.floor(ms / HOUR_MS);
  const key = `${timezone}|${slot}`;
  let cached = offsets.get(key);
  if (cached === undefined) {
    const first = intlOffsetMs(slot * HOUR_MS, timezone);
    cached = first === intlOffsetMs((slot + 1) * HOUR_MS - 1, timezone) ? first : null;
    offsets.set(key, cached);
  }
  return cached ?? intlOffsetMs(ms, timezone);
}

function intlOffsetMs(ms: number, timezone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timezone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const wholeSecond = Math.floor(ms / SECOND_MS) * SECOND_MS;
  const asUtc = Date.UTC(
    fields.year ?? 0,
    (fields.month ?? 1) - 1,
    fields.day ?? 1,
    fields.hour ?? 0,
    fields.minute ?? 0,
    fields.second ?? 0,
  );
  return asUtc - wholeSecond;
}

export interface LocalDateTime {
  year: number;
  /** 1-12; out-of-range values roll over as in Date.UTC */
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  millisecond?: number;
}

/**
 * The instant whose wall-clock reading in `timezone` is `local`. A local time skipped by a DST
 * switch maps one hour later (02:30 on Berlin's spring-forward day -> 03:30 CEST); a repeated
 * one maps to its second occurrence. Midnight exists on every day in Europe/Berlin.
 */
export function zonedToUtc(local: LocalDateTime, timezone: string): number {
  const guess = Date.UTC(
    local.year,
    local.month - 1,
    local.day,
    local.hour ?? 0,
    local.minute ?? 0,
    local.second ?? 0,
    local.millisecond ?? 0,
  );
  const first = guess - zoneOffsetMs(guess, timezone);
  const second = guess - zoneOffsetMs(first, timezone);
  return second;
}

/** Start of the bucket of `interval` that contains `ms`, in `timezone`. */
export function bucketStart(
  ms: number,
  interval: Interval,
  timezone: string,
  weekStart: WeekStart = DEFAULT_WEEK_START,
): number {
  const p = zonedParts(ms, timezone);
  switch (interval) {
    case 'hour':
      // Subtract the local minutes and seconds instead of rebuilding the local hour: that keeps
      // the two repeated autumn hours apart.
      return ms - p.minute * MINUTE_MS - p.second * SECOND_MS - p.millisecond;
    case 'day':
      return zonedToUtc({ year: p.year, month: p.month, day: p.day }, timezone);
    case 'week': {
      const back = (p.weekday - weekStart + 7) % 7;
      return zonedToUtc({ year: p.year, month: p.month, day: p.day - back }, timezone);
    }
    case 'month':
      return zonedToUtc({ year: p.year, month: p.month, day: 1 }, timezone);
  }
}

/** The bucket start `n` intervals after the bucket start `startMs` (n may be negative). */
export function addIntervals(
  startMs: number,
  n: number,
  interval: Interval,
  timezone: string,
): number {
  if (interval === 'hour') return startMs + n * HOUR_MS;
  const p = zonedParts(startMs, timezone);
  if (interval === 'month')
    return zonedToUtc({ year: p.year, month: p.month + n, day: 1 }, timezone);
  const days = interval === 'week' ? 7 * n : n;
  return zonedToUtc({ year: p.year, month: p.month, day: p.day + days }, timezone);
}

/** Bucket starts covering the half-open range [fromMs, toMs), the first one at or before fromMs. */
export function bucketStarts(
  fromMs: number,
  toMs: number,
  interval: Interval,
  timezone: string,
  weekStart: WeekStart = DEFAULT_WEEK_START,
): number[] {
  const starts: number[] = [];
  for (
    let start = bucketStart(fromMs, interval, timezone, weekStart);
    start < toMs;
    start = addIntervals(start, 1, interval, timezone)
  ) {
    starts.push(start);
  }
  return starts;
}

/** Whole intervals from the bucket of `fromMs` to the bucket of `ms` (negative if earlier). */
export function intervalsBetween(
  fromMs: number,
  ms: number,
  interval: Interval,
  timezone: string,
  weekStart: WeekStart = DEFAULT_WEEK_START,
): number {
  const a = bucketStart(fromMs, interval, timezone, weekStart);
  const b = bucketStart(ms, interval, timezone, weekStart);
  if (interval === 'hour') return Math.round((b - a) / HOUR_MS);
  const pa = zonedParts(a, timezone);
  const pb = zonedParts(b, timezone);
  if (interval === 'month') return (pb.year - pa.year) * 12 + (pb.month - pa.month);
  const days = Math.round(
    (Date.UTC(pb.year, pb.month - 1, pb.day) - Date.UTC(pa.year, pa.month - 1, pa.day)) / DAY_MS,
  );
  return interval === 'week' ? Math.round(days / 7) : days;
}
