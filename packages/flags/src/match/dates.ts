import { Inconclusive } from './inconclusive.js';

// `-7d`, `3h`, `-2w`, `-1m`, `-1y` (sign optional, always in the past; fewer than 10,000 units).
const RELATIVE_DATE = /^-?(?<amount>[0-9]+)(?<unit>[a-z])$/;
const MAX_RELATIVE_AMOUNT = 10_000;

// Months are subtracted one at a time with the day clamped at each step, so Mar 31 - 1m is
// Feb 28 (29) and Mar 31 - 2m is Jan 28 (posthog-node's rule, from PostHog's SDK spec).
function subtractMonths(date: Date, months: number): void {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  let day = date.getUTCDate();
  for (let step = 1; step <= months && day > 28; step++) {
    day = Math.min(day, new Date(Date.UTC(year, month - step + 1, 0)).getUTCDate());
  }
  date.setUTCFullYear(year, month - months, day);
}

function subtractYears(date: Date, years: number): void {
  const month = date.getUTCMonth();
  const day = years > 0 && month === 1 && date.getUTCDate() === 29 ? 28 : date.getUTCDate();
  date.setUTCFullYear(date.getUTCFullYear() - years, month, day);
}

/** A relative date before `now`, or null when `value` is not one. */
export function parseRelativeDate(value: string, now: Date): Date | null {
  const match = RELATIVE_DATE.exec(value);
  if (match?.groups === undefined) return null;
  const amount = Number.parseInt(match.groups.amount ?? '', 10);
  if (amount >= MAX_RELATIVE_AMOUNT) return null;
  const date = new Date(now.getTime());
  switch (match.groups.unit) {
    case 'h':
      date.setUTCHours(date.getUTCHours() - amount);
      break;
    case 'd':
      date.setUTCDate(date.getUTCDate() - amount);
      break;
    case 'w':
      date.setUTCDate(date.getUTCDate() - amount * 7);
      break;
    case 'm':
      subtractMonths(date, amount);
      break;
    case 'y':
      subtractYears(date, amount);
      break;
    default:
      return null;
  }
  return date;
}

/** Strings and numbers through `new Date(...)` (so epoch milliseconds for numbers). */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') {
    const date = new Date(value);
    if (!Number.isNaN(date.valueOf())) return date;
    throw new Inconclusive('Invalid date');
  }
  throw new Inconclusive('Dates must be strings or numbers');
}

/** A filter's date: relative to `now` when it looks relative, else absolute. */
export function parseDateFilter(value: unknown, now: Date): Date {
  if (typeof value === 'boolean') throw new Inconclusive('Booleans are not dates');
  return parseRelativeDate(String(value), now) ?? toDate(value);
}
