import { describe, expect, it } from 'vitest';
import { buildTimeline, previousRange } from './buckets.js';
import { parseDate, resolveRange } from './date-range.js';

// Wednesday 2024-03-13 15:20 in Berlin (CET, +01:00).
const ctx = {
  timezone: 'Europe/Berlin',
  nowMs: Date.parse('2024-03-13T14:20:00Z'),
  weekStartDay: 1 as const,
};
const iso = (ms: number): string => new Date(ms).toISOString();

function range(
  from: string,
  to: string | null,
  interval: 'hour' | 'day' | 'week' | 'month' = 'day',
) {
  const parsedFrom = parseDate(from);
  const parsedTo = to === null ? null : parseDate(to);
  if (parsedFrom === undefined || parsedTo === undefined) throw new Error('unparsed');
  const r = resolveRange(parsedFrom, parsedTo, interval, ctx);
  return [iso(r.fromMs), iso(r.toMs)];
}

describe('date ranges', () => {
  it('parses relative and absolute forms, and refuses impossible dates', () => {
    expect(parseDate('-7d')).toEqual({ kind: 'relative', amount: 7, unit: 'd', position: null });
    expect(parseDate('mStart')).toEqual({
      kind: 'relative',
      amount: 0,
      unit: 'm',
      position: 'Start',
    });
    expect(parseDate('-1yEnd')).toEqual({
      kind: 'relative',
      amount: 1,
      unit: 'y',
      position: 'End',
    });
    expect(parseDate('2024-03-01T10:00:00Z')).toEqual({
      kind: 'instant',
      ms: Date.parse('2024-03-01T10:00:00Z'),
    });
    expect(parseDate('2024-02-30')).toBeUndefined();
    expect(parseDate('d')).toBeUndefined();
    expect(parseDate('yesterday')).toBeUndefined();
  });

  it('makes -7d the last 8 local days, today included', () => {
    expect(range('-7d', null)).toEqual(['2024-03-05T23:00:00.000Z', '2024-03-13T23:00:00.000Z']);
  });

  it('resolves month and year starts and ends', () => {
    expect(range('mStart', null)).toEqual(['2024-02-29T23:00:00.000Z', '2024-03-13T23:00:00.000Z']);
    expect(range('-1mStart', '-1mEnd')).toEqual([
      '2024-01-31T23:00:00.000Z',
      '2024-02-29T23:00:00.000Z',
    ]);
    expect(range('yStart', 'dStart')).toEqual([
      '2023-12-31T23:00:00.000Z',
      '2024-03-13T23:00:00.000Z',
    ]);
    expect(range('-3m', null)[0]).toBe('2023-12-12T23:00:00.000Z');
  });

  it('ends an hourly range with the current hour and keeps absolute times', () => {
    expect(range('-24h', null, 'hour')).toEqual([
      '2024-03-12T14:00:00.000Z',
      '2024-03-13T15:00:00.000Z',
    ]);
    expect(range('2024-03-01T10:00:00', '2024-03-01T12:30:00', 'hour')).toEqual([
      '2024-03-01T09:00:00.000Z',
      '2024-03-01T11:30:00.001Z',
    ]);
    expect(range('2024-03-01', '2024-03-01', 'hour')).toEqual([
      '2024-02-29T23:00:00.000Z',
      '2024-03-01T23:00:00.000Z',
    ]);
  });

  it('compares with as many intervals right before', () => {
    const current = buildTimeline(
      { fromMs: Date.parse('2024-02-29T23:00:00Z'), toMs: Date.parse('2024-04-30T22:00:00Z') },
      'month',
      'Europe/Berlin',
      1,
    );
    expect(current.buckets.map((b) => b.key)).toEqual(['2024-03-01', '2024-04-01']);
    const previous = previousRange(current, 'Europe/Berlin', null);
    expect([iso(previous.fromMs), iso(previous.toMs)]).toEqual([
      '2023-12-31T23:00:00.000Z',
      '2024-02-29T23:00:00.000Z',
    ]);
  });
});
