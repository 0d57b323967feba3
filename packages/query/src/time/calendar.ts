import { type Wall, wallFromMs, wallMs } from './zone.js';

// Calendar arithmetic on wall times (no zone involved): truncation to a unit and shifting by
// whole units, months clamped to their last day like dateutil's relativedelta.

export type CalendarUnit = 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

/** 0 = Sunday, 1 = Monday (ISO 8601, Tally's default). */
export type WeekStartDay = 0 | 1;

const DAY_MS = 86_400_000;

export function startOf(wall: Wall, unit: CalendarUnit, weekStartDay: WeekStartDay): Wall {
  const base = { ...wall, minute: 0, second: 0, ms: 0 };
  switch (unit) {
    case 'hour':
      return base;
    case 'day':
      return { ...base, hour: 0 };
    case 'week': {
      const midnight = wallMs({ ...base, hour: 0 });
      const weekday = new Date(midnight).getUTCDay();
      return wallFromMs(midnight - ((weekday - weekStartDay + 7) % 7) * DAY_MS);
    }
    case 'month':
      return { ...base, hour: 0, day: 1 };
    case 'quarter':
      return { ...base, hour: 0, day: 1, month: wall.month - ((wall.month - 1) % 3) };
    case 'year':
      return { ...base, hour: 0, day: 1, month: 1 };
  }
}

/** Moves a wall time by `amount` units (negative = back); hours are wall hours here. */
export function shift(wall: Wall, unit: CalendarUnit, amount: number): Wall {
  switch (unit) {
    case 'hour':
      return wallFromMs(wallMs(wall) + amount * 3_600_000);
    case 'day':
      return wallFromMs(wallMs(wall) + amount * DAY_MS);
    case 'week':
      return wallFromMs(wallMs(wall) + amount * 7 * DAY_MS);
    case 'month':
      return addMonths(wall, amount);
    case 'quarter':
      return addMonths(wall, amount * 3);
    case 'year':
      return addMonths(wall, amount * 12);
  }
}

function addMonths(wall: Wall, months: number): Wall {
  const index = wall.year * 12 + (wall.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { ...wall, year, month, day: Math.min(wall.day, lastDay) };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `2026-03-29` */
export function formatDate(wall: Wall): string {
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
}

/** `2026-03-29 02:00:00` (also DuckDB's TIMESTAMP literal form; `.mmm` added when non-zero). */
export function formatDateTime(wall: Wall): string {
  const ms = wall.ms === 0 ? '' : `.${pad(wall.ms, 3)}`;
  return `${formatDate(wall)} ${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}${ms}`;
}

/** `+02:00` */
export function formatOffset(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  return `${offsetMs < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}
