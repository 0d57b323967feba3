// Dates of the trends reference: the query's period and its buckets, the previous period,
// rolling-active windows in local wall time, and PostHog's `days` strings.

import { bucketStarts, type WeekStart, zonedParts, zonedToUtc, zoneOffsetMs } from './time.js';
import type { RefTrendsQuery } from './trends.js';

export interface Period {
  starts: number[];
  fromMs: number;
  toMs: number;
}

/** Local wall bounds [start - (days-1) days, start + 1 day) of the bucket starting at `startMs`. */
export function windowOf(startMs: number, days: number, timezone: string): [string, string] {
  const p = zonedParts(startMs, timezone);
  const wall = (dayOffset: number): string => {
    const d = new Date(
      Date.UTC(p.year, p.month - 1, p.day + dayOffset, p.hour, p.minute, p.second),
    );
    return d.toISOString().replace('T', ' ').replace('Z', '');
  };
  return [wall(-(days - 1)), wall(1)];
}

export function wallString(ms: number, timezone: string): string {
  const p = zonedParts(ms, timezone);
  return new Date(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.millisecond))
    .toISOString()
    .replace('T', ' ')
    .replace('Z', '');
}

export function periodOf(
  query: RefTrendsQuery,
  interval: string,
  ctx: { timezone: string; weekStart: WeekStart },
): Period {
  const [fy, fm, fd] = query.dateRange.date_from.split('-').map(Number);
  const [ty, tm, td] = query.dateRange.date_to.split('-').map(Number);
  const fromMs = zonedToUtc({ year: fy ?? 0, month: fm ?? 1, day: fd ?? 1 }, ctx.timezone);
  const toMs = zonedToUtc({ year: ty ?? 0, month: tm ?? 1, day: (td ?? 1) + 1 }, ctx.timezone);
  return {
    starts: bucketStarts(fromMs, toMs, interval as 'day', ctx.timezone, ctx.weekStart),
    fromMs,
    toMs,
  };
}

/** The same number of buckets right before: shifted by N intervals (hours: N real hours). */
export function previousOf(
  current: Period,
  interval: string,
  ctx: { timezone: string; weekStart: WeekStart },
): Period {
  const n = current.starts.length;
  const back = (ms: number): number => {
    if (interval === 'hour') return ms - n * 3_600_000;
    const p = zonedParts(ms, ctx.timezone);
    if (interval === 'month') {
      const monthIndex = p.year * 12 + p.month - 1 - n;
      const year = Math.floor(monthIndex / 12);
      const month = (monthIndex % 12) + 1;
      const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
      return zonedToUtc({ year, month, day: Math.min(p.day, lastDay), hour: p.hour }, ctx.timezone);
    }
    return zonedToUtc(
      {
        year: p.year,
        month: p.month,
        day: p.day - n * (interval === 'week' ? 7 : 1),
        hour: p.hour,
      },
      ctx.timezone,
    );
  };
  const fromMs = back(current.starts[0] ?? current.fromMs);
  const toMs = back(current.toMs);
  return {
    starts: bucketStarts(fromMs, toMs, interval as 'day', ctx.timezone, ctx.weekStart),
    fromMs,
    toMs,
  };
}

export function dayString(startMs: number, interval: string, timezone: string): string {
  const p = zonedParts(startMs, timezone);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const date = `${p.year}-${pad(p.month)}-${pad(p.day)}`;
  if (interval !== 'hour') return date;
  const offset = Math.round(zoneOffsetMs(startMs, timezone) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  return `${date}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}
