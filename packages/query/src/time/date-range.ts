import { QueryError } from '../errors.js';
import type { Interval } from '../spec/nodes.js';
import { type CalendarUnit, shift, startOf, type WeekStartDay } from './calendar.js';
import { fromWall, toWall, type Wall, wallFromMs, wallMs } from './zone.js';

// PostHog's date range rules, made half-open: a range is [fromMs, toMs) in UTC ms.
// - date_from (default `-7d`) truncates to the start of its day (to its hour when the interval
//   is hour and the relative unit is hours); the first bucket then starts at the start of the
//   interval containing it, and so do the events counted (PostHog's adjusted start).
// - date_to (default now) extends to the end of its day; for hour intervals a relative or
//   missing date_to ends with the current hour, and an absolute date-time is inclusive.

export const DEFAULT_DATE_FROM = '-7d';

export type ParsedDate =
  | { kind: 'relative'; amount: number; unit: RelativeUnit; position: 'Start' | 'End' | null }
  | { kind: 'wall'; wall: Wall; hasTime: boolean }
  | { kind: 'instant'; ms: number };

type RelativeUnit = 'h' | 'd' | 'w' | 'm' | 'q' | 'y';

const UNITS: Readonly<Record<RelativeUnit, CalendarUnit>> = {
  h: 'hour',
  d: 'day',
  w: 'week',
  m: 'month',
  q: 'quarter',
  y: 'year',
};

const RELATIVE = /^(?:-(\d{1,5}))?([hdwmqy])(Start|End)?$/;
const ABSOLUTE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parses one date string; undefined when it is neither form. `all` is handled by the caller. */
export function parseDate(text: string): ParsedDate | undefined {
  const relative = RELATIVE.exec(text);
  if (relative !== null) {
    const [, amount, unit, position] = relative;
    if (amount === undefined && position === undefined) return undefined;
    return {
      kind: 'relative',
      amount: amount === undefined ? 0 : Number(amount),
      unit: unit as RelativeUnit,
      position: (position as 'Start' | 'End' | undefined) ?? null,
    };
  }
  const absolute = ABSOLUTE.exec(text);
  if (absolute === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = absolute;
  const wall: Wall = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h ?? 0),
    minute: Number(mi ?? 0),
    second: Number(s ?? 0),
    ms: frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000),
  };
  // Reject 2026-02-30 and 25:00 rather than rolling them over.
  const check = wallFromMs(wallMs(wall));
  if (
    check.year !== wall.year ||
    check.month !== wall.month ||
    check.day !== wall.day ||
    check.hour !== wall.hour ||
    check.minute !== wall.minute
  )
    return undefined;
  if (zone === undefined) return { kind: 'wall', wall, hasTime: h !== undefined };
  const sign = zone === 'Z' ? 0 : zone.startsWith('-') ? -1 : 1;
  const digits = zone.replace(/[^0-9]/g, '');
  const offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
  return { kind: 'instant', ms: wallMs(wall) - offset };
}

export interface DateContext {
  readonly timezone: string;
  readonly nowMs: number;
  readonly weekStartDay: WeekStartDay;
}

/**
 * The inclusive wall time a parsed date stands for: `-7d` is now minus 7 days, `mStart` the
 * first instant of this month, `-1mEnd` the last millisecond of last month.
 */
function resolveWall(date: ParsedDate, ctx: DateContext): Wall {
  if (date.kind === 'wall') return date.wall;
  if (date.kind === 'instant') return toWall(date.ms, ctx.timezone);
  const unit = UNITS[date.unit];
  const moved =
    unit === 'hour'
      ? toWall(ctx.nowMs - date.amount * 3_600_000, ctx.timezone)
      : shift(toWall(ctx.nowMs, ctx.timezone), unit, -date.amount);
  if (date.position === 'Start') return startOf(moved, unit, ctx.weekStartDay);
  if (date.position === 'End')
    return wallFromMs(wallMs(shift(startOf(moved, unit, ctx.weekStartDay), unit, 1)) - 1);
  return moved;
}

export interface ResolvedRange {
  /** First instant of the requested range (before aligning to the interval). */
  readonly fromMs: number;
  /** Exclusive end. */
  readonly toMs: number;
}

/** Resolves date_from / date_to for an interval; toMs <= fromMs when date_to is before date_from. */
export function resolveRange(
  from: ParsedDate,
  to: ParsedDate | null,
  interval: Interval,
  ctx: DateContext,
): ResolvedRange {
  const fromWallTime = resolveWall(from, ctx);
  const truncateTo: CalendarUnit =
    interval === 'hour' && (from.kind !== 'relative' || from.unit === 'h') ? 'hour' : 'day';
  const fromMs = fromWall(startOf(fromWallTime, truncateTo, ctx.weekStartDay), ctx.timezone);

  const toWallTime = to === null ? toWall(ctx.nowMs, ctx.timezone) : resolveWall(to, ctx);
  let toMs: number;
  if (interval !== 'hour' || (to?.kind === 'wall' && !to.hasTime)) {
    toMs = fromWall(shift(startOf(toWallTime, 'day', 1), 'day', 1), ctx.timezone);
  } else if (to === null || to.kind === 'relative') {
    const hourStart = fromWall(startOf(toWallTime, 'hour', 1), ctx.timezone);
    toMs = hourStart + 3_600_000;
  } else {
    toMs = (to.kind === 'instant' ? to.ms : fromWall(toWallTime, ctx.timezone)) + 1;
  }
  return { fromMs, toMs };
}

/**
 * A query's `dateRange` as [fromMs, toMs) for an interval: `date_from` defaults to `-7d`, `all`
 * starts at the project's first event, and every error names the field.
 */
export function resolveDateRange(
  dateRange:
    | {
        readonly date_from?: string | null | undefined;
        readonly date_to?: string | null | undefined;
      }
    | null
    | undefined,
  interval: Interval,
  ctx: DateContext & { readonly earliestEventMs?: number | null | undefined },
): ResolvedRange {
  const fromText = dateRange?.date_from ?? DEFAULT_DATE_FROM;
  const from: ParsedDate | undefined =
    fromText === 'all'
      ? { kind: 'instant', ms: ctx.earliestEventMs ?? ctx.nowMs }
      : parseDate(fromText);
  if (from === undefined)
    throw new QueryError('invalid_query', 'dateRange.date_from', 'not a date');
  const toText = dateRange?.date_to ?? null;
  const to = toText === null ? null : parseDate(toText);
  if (to === undefined) throw new QueryError('invalid_query', 'dateRange.date_to', 'not a date');
  const range = resolveRange(from, to, interval, ctx);
  if (range.toMs <= range.fromMs) {
    throw new QueryError('invalid_query', 'dateRange', 'date_to is before date_from');
  }
  return range;
}
