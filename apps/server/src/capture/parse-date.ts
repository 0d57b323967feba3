/**
 * Lenient date parsing for event timestamps, the formats `parse_date` in
 * `rust/common/types/src/timestamp.rs` accepts in practice: RFC 3339 / ISO 8601 (`T` or space,
 * any fraction, `Z`, `±HH:MM`, `±HHMM` or `±HH`), date only, naive date-time (read as UTC),
 * RFC 2822 and numeric epochs (10 digits = seconds, 13 = milliseconds). Arithmetic is done by
 * hand, not with `Date.parse`, whose accepted formats are engine-defined and whose naive
 * date-times are local time.
 */

const MS_PER_DAY = 86_400_000;

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const RFC_2822 =
  /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s*(?:(GMT|UTC?|Z)|([+-])(\d{2})(\d{2}))?$/;
const EPOCH_SECONDS = /^(\d{10})(?:\.(\d+))?$/;
const EPOCH_MILLISECONDS = /^\d{13}$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Parses a client timestamp to epoch milliseconds (sub-millisecond digits truncated), or
 * `undefined` when no supported format matches.
 *
 * @example
 * ```ts
 * parseTimestamp('2026-03-01T12:00:00.123+03'); // Date.UTC(2026, 2, 1, 9, 0, 0, 123)
 * ```
 */
export function parseTimestamp(text: string): number | undefined {
  const trimmed = text.trim();
  return parseIso(trimmed, false) ?? parseRfc2822(trimmed) ?? parseEpoch(trimmed);
}

/** An ISO 8601 date-time (date-only is refused), the format of a batch's `sent_at`. */
export function parseIsoDateTime(text: string): number | undefined {
  return parseIso(text.trim(), true);
}

function parseIso(text: string, requireTime: boolean): number | undefined {
  const match = ISO.exec(text);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, offsetH, offsetM] = match;
  if (requireTime && h === undefined) return undefined;
  const local = civilMs(num(y), num(mo), num(d), num(h), num(mi), num(s), fractionMs(fraction));
  if (local === undefined) return undefined;
  if (zulu !== undefined || sign === undefined) return local;
  const offset = offsetMinutes(sign, num(offsetH), num(offsetM));
  return offset === undefined ? undefined : local - offset * 60_000;
}

function parseRfc2822(text: string): number | undefined {
  const match = RFC_2822.exec(text);
  if (match === null) return undefined;
  const [, d, monthName, y, h, mi, s, , sign, offsetH, offsetM] = match;
  const month = MONTHS.indexOf((monthName ?? '').toLowerCase()) + 1;
  if (month === 0) return undefined;
  const local = civilMs(num(y), month, num(d), num(h), num(mi), num(s), 0);
  if (local === undefined || sign === undefined) return local;
  const offset = offsetMinutes(sign, num(offsetH), num(offsetM));
  return offset === undefined ? undefined : local - offset * 60_000;
}

function parseEpoch(text: string): number | undefined {
  if (EPOCH_MILLISECONDS.test(text)) return Number(text);
  const seconds = EPOCH_SECONDS.exec(text);
  if (seconds === null) return undefined;
  return num(seconds[1]) * 1000 + fractionMs(seconds[2]);
}

/** Epoch ms of a UTC civil date-time, or `undefined` when a field is out of range. */
function civilMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  // Second 60 is a leap second (RFC 3339 allows it); it rolls over into the next minute.
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  return (
    daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + ms
  );
}

/** Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function offsetMinutes(sign: string, hours: number, minutes: number): number | undefined {
  if (hours > 23 || minutes > 59) return undefined;
  return (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** The first three fraction digits as milliseconds: `'5'` is 500, `'123456'` is 123. */
function fractionMs(fraction: string | undefined): number {
  if (fraction === undefined) return 0;
  return Number(fraction.slice(0, 3).padEnd(3, '0'));
}

function num(digits: string | undefined): number {
  return digits === undefined ? 0 : Number(digits);
}
