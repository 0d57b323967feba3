import type { Interval } from '../spec/nodes.js';
import {
  type CalendarUnit,
  formatDate,
  formatDateTime,
  formatOffset,
  shift,
  startOf,
  type WeekStartDay,
} from './calendar.js';
import { fromWall, offsetMs, toWall, type Wall, wallMs } from './zone.js';

// The time axis of an insight: one bucket per interval, every one present even when empty.
// Day, week and month buckets are local calendar spans (a DST day is 23 or 25 hours long);
// hour buckets are real hours, so an autumn DST night has 25 of them.

export interface Bucket {
  /**
   * What the SQL's bucket expression yields for events in it: the local start date for
   * day/week/month (`2026-03-29`), the UTC start instant for hours (`2026-03-29 01:00:00`).
   */
  readonly key: string;
  readonly startMs: number;
  /** Local wall time the bucket starts at. */
  readonly start: Wall;
  /** PostHog's `days` entry: `2026-03-29`, or `2026-03-29T03:00:00+02:00` for hours. */
  readonly day: string;
  /** PostHog's `labels` entry: `29-Mar-2026`, `29-Mar-2026 03:00`, `Mar 2026`. */
  readonly label: string;
}

export interface Timeline {
  readonly interval: Interval;
  readonly buckets: readonly Bucket[];
  /** Start of the first bucket: events are counted from here (PostHog's adjusted start). */
  readonly fromMs: number;
  /** Exclusive end of the range. */
  readonly toMs: number;
}

const HOUR_MS = 3_600_000;
const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

export function intervalUnit(interval: Interval): CalendarUnit {
  return interval;
}

/** The instant a local hour starts: the event instant minus the minutes past the wall hour. */
function hourStartMs(epochMs: number, timeZone: string): number {
  const wall = toWall(epochMs, timeZone);
  return epochMs - (wall.minute * 60_000 + wall.second * 1000 + wall.ms);
}

export function buildTimeline(
  range: { fromMs: number; toMs: number },
  interval: Interval,
  timeZone: string,
  weekStartDay: WeekStartDay,
): Timeline {
  const buckets: Bucket[] = [];
  if (interval === 'hour') {
    const last = hourStartMs(range.toMs - 1, timeZone);
    for (let at = hourStartMs(range.fromMs, timeZone); at <= last; at += HOUR_MS)
      buckets.push(hourBucket(at, timeZone));
  } else {
    const last = wallMs(startOf(toWall(range.toMs - 1, timeZone), interval, weekStartDay));
    let wall = startOf(toWall(range.fromMs, timeZone), interval, weekStartDay);
    while (wallMs(wall) <= last) {
      buckets.push(calendarBucket(wall, interval, timeZone));
      wall = shift(wall, interval, 1);
    }
  }
  const first = buckets[0];
  return {
    interval,
    buckets,
    fromMs: first === undefined ? range.fromMs : first.startMs,
    toMs: range.toMs,
  };
}

function hourBucket(startMs: number, timeZone: string): Bucket {
  const start = toWall(startMs, timeZone);
  const iso = formatDateTime(start).replace(' ', 'T');
  return {
    key: formatDateTime(toWall(startMs, 'UTC')),
    startMs,
    start,
    day: `${iso}${formatOffset(offsetMs(startMs, timeZone))}`,
    label: `${start.day}-${MONTHS[start.month - 1]}-${start.year} ${iso.slice(11, 16)}`,
  };
}

function calendarBucket(start: Wall, interval: Interval, timeZone: string): Bucket {
  const month = MONTHS[start.month - 1];
  return {
    key: formatDate(start),
    startMs: fromWall(start, timeZone),
    start,
    day: formatDate(start),
    label: interval === 'month' ? `${month} ${start.year}` : `${start.day}-${month}-${start.year}`,
  };
}

/**
 * The range to compare with: by default the same number of intervals right before the current
 * ones (so the series line up bucket for bucket); with `compare_to` (`-1w`) the current range
 * moved back by that amount.
 */
export function previousRange(
  current: Timeline,
  timeZone: string,
  compareTo: { unit: CalendarUnit; amount: number } | null,
): { fromMs: number; toMs: number } {
  const move =
    compareTo ??
    ({ unit: intervalUnit(current.interval), amount: current.buckets.length } as const);
  if (move.unit === 'hour')
    return {
      fromMs: current.fromMs - move.amount * HOUR_MS,
      toMs: current.toMs - move.amount * HOUR_MS,
    };
  const back = (ms: number): number =>
    fromWall(shift(toWall(ms, timeZone), move.unit, -move.amount), timeZone);
  return { fromMs: back(current.fromMs), toMs: back(current.toMs) };
}
