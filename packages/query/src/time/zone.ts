// Wall-clock time in an IANA zone, from Node's own ICU data (the SQL never converts zones: it
// adds the offsets computed here, so engine, reference and every dialect agree on the tz data).

/** A local date-time in some zone; month 1-12. Arithmetic on it is calendar arithmetic. */
export interface Wall {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly ms: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `timeZone` at an instant. */
export function toWall(epochMs: number, timeZone: string): Wall {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(epochMs)))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
    ms: ((epochMs % 1000) + 1000) % 1000,
  };
}

/** The wall clock read as if it were UTC: a number to do calendar arithmetic and compare on. */
export function wallMs(wall: Wall): number {
  const ms = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return ms + wall.ms;
}

export function wallFromMs(ms: number): Wall {
  const date = new Date(ms);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    ms: date.getUTCMilliseconds(),
  };
}

/** Zone offset (wall minus UTC) in ms at an instant. */
export function offsetMs(epochMs: number, timeZone: string): number {
  const floored = epochMs - (((epochMs % 1000) + 1000) % 1000);
  return wallMs(toWall(floored, timeZone)) - floored;
}

/**
 * The instant a wall time happens in `timeZone`. Like Temporal's `compatible`: a time that
 * happens twice (autumn) is its earlier instant; one that never happens (spring gap) is moved
 * forward by the gap, so `02:30` on a spring-forward night in Berlin is `03:30` CEST.
 */
export function fromWall(wall: Wall, timeZone: string): number {
  const local = wallMs(wall);
  const before = offsetMs(local - 86_400_000, timeZone);
  const after = offsetMs(local + 86_400_000, timeZone);
  const early = local - before;
  const late = local - after;
  const fits = (instant: number): boolean => instant + offsetMs(instant, timeZone) === local;
  if (fits(Math.min(early, late))) return Math.min(early, late);
  if (fits(Math.max(early, late))) return Math.max(early, late);
  return early;
}

/** A span with one offset: from the previous segment's end (or -inf) to `untilMs` (or +inf). */
export interface OffsetSegment {
  readonly untilMs: number | null;
  readonly offsetMs: number;
}

/**
 * The zone's offsets between two instants, as segments, for SQL to turn UTC timestamps into
 * wall time with a CASE (zones change offset a few times a year at most).
 */
export function offsetSegments(timeZone: string, fromMs: number, toMs: number): OffsetSegment[] {
  const segments: OffsetSegment[] = [];
  const day = 86_400_000;
  // Whole seconds, so the bisection below always makes progress.
  let at = Math.floor(fromMs / 1000) * 1000;
  toMs = Math.ceil(toMs / 1000) * 1000;
  let current = offsetMs(at, timeZone);
  while (at < toMs) {
    const next = Math.min(at + day, toMs);
    const nextOffset = offsetMs(next, timeZone);
    if (nextOffset !== current) {
      // The change is in (at, next]: narrow it to the exact second.
      let low = at;
      let high = next;
      while (high - low > 1000) {
        const mid = low + Math.floor((high - low) / 2000) * 1000;
        if (offsetMs(mid, timeZone) === current) low = mid;
        else high = mid;
      }
      segments.push({ untilMs: high, offsetMs: current });
      current = offsetMs(high, timeZone);
      at = high;
      continue;
    }
    at = next;
  }
  segments.push({ untilMs: null, offsetMs: current });
  return segments;
}
