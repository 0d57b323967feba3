import { describe, expect, it } from 'vitest';
import { FUTURE_EVENT_CUTOFF_MS, resolveTimestamp, type TimestampInput } from './timestamp.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');

function resolve(overrides: Partial<TimestampInput>): number {
  return resolveTimestamp({
    timestamp: undefined,
    offsetMs: undefined,
    sentAtMs: undefined,
    ignoreSentAt: false,
    nowMs: NOW,
    ...overrides,
  });
}

describe('resolveTimestamp', () => {
  it('uses now when there is no timestamp', () => {
    expect(resolve({})).toBe(NOW);
    expect(resolve({ sentAtMs: NOW + 5000 })).toBe(NOW);
  });

  it('takes the timestamp as given without sent_at', () => {
    expect(resolve({ timestamp: '2026-01-01T11:00:00Z' })).toBe(Date.parse('2026-01-01T11:00:00Z'));
  });

  it('corrects a client clock that runs fast: now + (timestamp - sent_at)', () => {
    expect(
      resolve({ timestamp: '2026-01-01T11:00:00Z', sentAtMs: Date.parse('2026-01-01T12:00:10Z') }),
    ).toBe(Date.parse('2026-01-01T10:59:50Z'));
  });

  it('corrects a client clock that runs slow', () => {
    expect(
      resolve({ timestamp: '2026-01-01T11:00:00Z', sentAtMs: Date.parse('2026-01-01T11:59:50Z') }),
    ).toBe(Date.parse('2026-01-01T11:00:10Z'));
  });

  it('changes nothing when the clocks agree', () => {
    expect(resolve({ timestamp: '2026-01-01T11:00:00Z', sentAtMs: NOW })).toBe(
      Date.parse('2026-01-01T11:00:00Z'),
    );
  });

  it('skips the correction with $ignore_sent_at', () => {
    expect(
      resolve({
        timestamp: '2026-01-01T11:00:00Z',
        sentAtMs: Date.parse('2026-01-01T12:00:10Z'),
        ignoreSentAt: true,
      }),
    ).toBe(Date.parse('2026-01-01T11:00:00Z'));
  });

  it('lets offset win over timestamp and sent_at', () => {
    expect(
      resolve({
        timestamp: '2020-01-01T00:00:00Z',
        sentAtMs: Date.parse('2026-01-01T12:00:10Z'),
        offsetMs: 5000,
      }),
    ).toBe(NOW - 5000);
  });

  it('falls back to now for an unparseable timestamp', () => {
    expect(resolve({ timestamp: 'not a date' })).toBe(NOW);
    expect(resolve({ timestamp: '2026-02-30T00:00:00Z' })).toBe(NOW);
  });

  it('clamps events more than 23 hours in the future to now', () => {
    expect(resolve({ timestamp: '2026-01-02T12:00:00Z' })).toBe(NOW);
    expect(resolve({ offsetMs: -FUTURE_EVENT_CUTOFF_MS - 1 })).toBe(NOW);
  });

  it('keeps events up to 23 hours in the future', () => {
    expect(resolve({ timestamp: '2026-01-02T11:00:00Z' })).toBe(NOW + FUTURE_EVENT_CUTOFF_MS);
    expect(resolve({ offsetMs: -FUTURE_EVENT_CUTOFF_MS })).toBe(NOW + FUTURE_EVENT_CUTOFF_MS);
  });

  it('maps a year before 0 to the Unix epoch', () => {
    // 2026 minus ~300 000 years.
    expect(resolve({ offsetMs: 1e16 })).toBe(0);
    expect(resolve({ offsetMs: NOW + 63_000_000_000_000 })).toBe(0);
  });

  it('keeps year 0 and year 9999, and the epoch itself', () => {
    expect(resolve({ timestamp: '0000-01-01T00:00:00Z' })).toBe(-62_167_219_200_000);
    expect(
      resolve({ timestamp: '9999-12-31T23:59:59Z', nowMs: Date.parse('9999-12-31T23:59:59Z') }),
    ).toBe(253_402_300_799_000);
    expect(resolve({ timestamp: '1970-01-01T00:00:00Z' })).toBe(0);
    expect(resolve({ timestamp: '1969-12-31T23:59:59.999Z' })).toBe(-1);
  });

  it('maps skew-corrected results outside 0..9999 to the epoch (the future side clamps first)', () => {
    expect(
      resolve({ timestamp: '9999-12-31T00:00:00Z', sentAtMs: Date.parse('0001-01-01T00:00:00Z') }),
    ).toBe(NOW);
    expect(
      resolve({ timestamp: '0001-01-01T00:00:00Z', sentAtMs: Date.parse('9999-01-01T00:00:00Z') }),
    ).toBe(0);
  });
});
