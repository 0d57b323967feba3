import { describe, expect, it } from 'vitest';
import { parseIsoDateTime, parseTimestamp } from './parse-date.js';

describe('parseTimestamp', () => {
  it.each([
    ['RFC 3339 with Z', '2026-03-01T12:00:00Z', Date.UTC(2026, 2, 1, 12)],
    ['milliseconds', '2026-03-01T12:00:00.123Z', Date.UTC(2026, 2, 1, 12, 0, 0, 123)],
    ['microseconds, truncated', '2026-03-01T12:00:00.123999Z', Date.UTC(2026, 2, 1, 12, 0, 0, 123)],
    ['one fraction digit', '2026-03-01T12:00:00.5Z', Date.UTC(2026, 2, 1, 12, 0, 0, 500)],
    ['+HH:MM offset', '2026-03-01T12:00:00+02:30', Date.UTC(2026, 2, 1, 9, 30)],
    ['+HHMM offset', '2026-03-01T12:00:00-0500', Date.UTC(2026, 2, 1, 17)],
    ['+HH offset', '2025-09-17T14:05:04.805+03', Date.UTC(2025, 8, 17, 11, 5, 4, 805)],
    ['space separator', '2026-03-01 12:00:00', Date.UTC(2026, 2, 1, 12)],
    ['naive date-time as UTC', '2026-03-01T12:00:00', Date.UTC(2026, 2, 1, 12)],
    ['date only', '2026-03-01', Date.UTC(2026, 2, 1)],
    ['RFC 2822', 'Tue, 1 Jul 2003 10:52:37 +0200', Date.UTC(2003, 6, 1, 8, 52, 37)],
    ['RFC 2822 GMT', 'Sun, 01 Mar 2026 12:00:00 GMT', Date.UTC(2026, 2, 1, 12)],
    ['epoch milliseconds', '1672574400000', 1_672_574_400_000],
    ['epoch seconds', '1672574400', 1_672_574_400_000],
    ['epoch seconds with fraction', '1672574400.25', 1_672_574_400_250],
    ['a leap day', '2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['two-digit years are not 1900s', '0042-01-01T00:00:00Z', -60_841_756_800_000],
  ])('parses %s', (_name, text, expected) => {
    expect(parseTimestamp(text)).toBe(expected);
  });

  it.each([
    'not a date',
    '',
    '2026-13-01T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '2026-03-01T24:00:00Z',
    '2026-03-01T12:00:00+25:00',
    '12345',
    '2026/03/01',
  ])('refuses %j', (text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });
});

describe('parseIsoDateTime', () => {
  it('parses the sent_at posthog clients send', () => {
    expect(parseIsoDateTime('2026-03-01T12:00:00.000Z')).toBe(Date.UTC(2026, 2, 1, 12));
  });

  it('refuses a date without a time and non-ISO formats', () => {
    expect(parseIsoDateTime('2026-03-01')).toBeUndefined();
    expect(parseIsoDateTime('1672574400000')).toBeUndefined();
  });
});
