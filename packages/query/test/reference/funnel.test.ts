import { describe, expect, it } from 'vitest';
import type { RefEvent } from '../dataset.js';
import type { EventMatcher } from './actors.js';
import { DAY_MS, ev, HOUR_MS, MINUTE_MS, MONDAY, makeDataset } from './fixtures.js';
import { evaluateFunnel, type FunnelSpec } from './funnel.js';

const A: EventMatcher = { event: 'ticket_created' };
const B: EventMatcher = { event: 'ticket_assigned' };
const C: EventMatcher = { event: 'ticket_resolved' };
const RANGE = { fromMs: MONDAY - 7 * DAY_MS, toMs: MONDAY + 60 * DAY_MS };
const T = MONDAY + 9 * HOUR_MS;

function counts(events: RefEvent[], spec: Partial<FunnelSpec> = {}): number[] {
  const [series] = evaluateFunnel(makeDataset(events), {
    steps: [A, B, C],
    dateRange: RANGE,
    ...spec,
  });
  return series?.steps.map((s) => s.count) ?? [];
}

describe('funnel window (measured from step 1)', () => {
  it('counts a last step exactly at the window boundary and not one ms after', () => {
    // p1: created T, assigned T+1d, resolved T+14d exactly -> window 14 d from T -> converts.
    // p2: same but resolved T+14d+1ms -> stops at step 2.
    const events = [
      ev('p1', 'ticket_created', T),
      ev('p1', 'ticket_assigned', T + DAY_MS),
      ev('p1', 'ticket_resolved', T + 14 * DAY_MS),
      ev('p2', 'ticket_created', T),
      ev('p2', 'ticket_assigned', T + DAY_MS),
      ev('p2', 'ticket_resolved', T + 14 * DAY_MS + 1),
    ];
    expect(counts(events)).toEqual([2, 2, 1]);
  });

  it('measures from step 1, not from the previous step', () => {
    // assigned at +13 d, resolved at +14 d + 1 ms: one day apart, but 14 d + 1 ms after entry.
    const events = [
      ev('p1', 'ticket_created', T),
      ev('p1', 'ticket_assigned', T + 13 * DAY_MS),
      ev('p1', 'ticket_resolved', T + 14 * DAY_MS + 1),
    ];
    expect(counts(events)).toEqual([1, 1, 0]);
  });

  it('converts units: 30 minutes is 1 800 000 ms, a month is 30 days', () => {
    const events = [ev('p1', 'ticket_created', T), ev('p1', 'ticket_assigned', T + 30 * MINUTE_MS)];
    expect(counts(events, { steps: [A, B], window: { count: 30, unit: 'minute' } })).toEqual([
      1, 1,
    ]);
    expect(counts(events, { steps: [A, B], window: { count: 1799, unit: 'second' } })).toEqual([
      1, 0,
    ]);
    const late = [ev('p1', 'ticket_created', T), ev('p1', 'ticket_assigned', T + 30 * DAY_MS + 1)];
    expect(counts(late, { steps: [A, B], window: { count: 1, unit: 'month' } })).toEqual([1, 0]);
  });

  it('needs every step inside the date range', () => {
    const events = [ev('p1', 'ticket_created', T), ev('p1', 'ticket_assigned', T + DAY_MS)];
    const dateRange = { fromMs: MONDAY, toMs: T + DAY_MS }; // toMs is exclusive
    expect(counts(events, { steps: [A, B], dateRange })).toEqual([1, 0]);
  });

  it('a later entry restarts the window: the attempt entered last can still convert', () => {
    // created T (too early for the window), created T+10d, resolved... with 1-day window:
    // attempt T+10d: assigned T+10d+1h is inside its window.
    const events = [
      ev('p1', 'ticket_created', T),
      ev('p1', 'ticket_created', T + 10 * DAY_MS),
      ev('p1', 'ticket_assigned', T + 10 * DAY_MS + HOUR_MS),
    ];
    expect(counts(events, { steps: [A, B], window: { count: 1, unit: 'day' } })).toEqual([1, 1]);
  });
});

describe('funnel step matching', () => {
  it('one event cannot fill two steps', () => {
    // Funnel created -> created: a single event is step 1 only; a second one makes step 2.
    const once = [ev('p1', 'ticket_created', T)];
    const twice = [ev('p1', 'ticket_created', T), ev('p1', 'ticket_created', T + 1)];
    expect(counts(once, { steps: [A, A] })).toEqual([1, 0]);
    expect(counts(twice, { steps: [A, A] })).toEqual([1, 1]);
  });

  it('orders events at the same instant by step index', () => {
    // assigned is stored (uuid) before created, same ms: still created -> assigned -> resolved.
    const events = [
      ev('p1', 'ticket_assigned', T),
      ev('p1', 'ticket_created', T),
      ev('p1', 'ticket_resolved', T),
    ];
    expect(counts(events)).toEqual([1, 1, 1]);
  });

  it('counts an actor once, at the furthest step of any attempt', () => {
    // attempt 1 reaches step 2, attempt 2 (later) reaches step 1 only, attempt 3 step 2 again.
    const events = [
      ev('p1', 'ticket_created', T),
      ev('p1', 'ticket_assigned', T + HOUR_MS),
      ev('p1', 'ticket_created', T + 2 * HOUR_MS),
      ev('p1', 'ticket_created', T + 20 * DAY_MS),
      ev('p1', 'ticket_assigned', T + 20 * DAY_MS + 1),
    ];
    expect(counts(events)).toEqual([1, 1, 0]);
  });

  it('applies per-step property filters', () => {
    const urgent: EventMatcher = {
      event: 'ticket_created',
      properties: [{ type: 'event', key: 'priority', operator: 'exact', value: 'urgent' }],
    };
    const events = [
      ev('p1', 'ticket_created', T, { priority: 'low' }),
      ev('p1', 'ticket_assigned', T + 1),
      ev('p2', 'ticket_created', T, { priority: 'urgent' }),
      ev('p2', 'ticket_assigned', T + 1),
    ];
    expect(counts(events, { steps: [urgent, B] })).toEqual([1, 1]);
  });

  it('ignores personless events when aggregating by person', () => {
    expect(
      counts([ev(null, 'ticket_created', T), ev(null, 'ticket_assigned', T + 1)], {
        steps: [A, B],
      }),
    ).toEqual([0, 0]);
  });
});

describe('funnel order types', () => {
  const withNoise = [
    ev('p1', 'ticket_created', T),
    ev('p1', 'feature_used', T + 1),
    ev('p1', 'ticket_assigned', T + 2),
    ev('p1', 'ticket_resolved', T + 3),
  ];

  it('strict: any other event between two steps resets the attempt', () => {
    // created, feature_used, assigned: the attempt stops at step 1 (ordered ignores the noise).
    expect(counts(withNoise, { order: 'strict' })).toEqual([1, 0, 0]);
    expect(counts(withNoise, { order: 'ordered' })).toEqual([1, 1, 1]);
  });

  it('strict: an unrelated event at the same instant as the next step does not reset', () => {
    const events = [
      ev('p1', 'ticket_created', T),
      ev('p1', 'feature_used', T + 5),
      ev('p1', 'ticket_assigned', T + 5),
      ev('p1', 'ticket_resolved', T + 6),
    ];
    expect(counts(events, { order: 'strict' })).toEqual([1, 1, 1]);
  });

  it('strict: a reset keeps the step reached, and a later clean run counts', () => {
    const events = [
      ...withNoise,
      ev('p2', 'ticket_created', T),
      ev('p2', 'ticket_assigned', T + 1),
      ev('p2', 'feature_used', T + 2),
      ev('p2', 'ticket_resolved', T + 3),
      ev('p2', 'ticket_created', T + DAY_MS),
      ev('p2', 'ticket_assigned', T + DAY_MS + 1),
      ev('p2', 'ticket_resolved', T + DAY_MS + 2),
    ];
    // p1: step 1. p2: first run stops at 2, the second run converts.
    expect(counts(events, { order: 'strict' })).toEqual([2, 1, 1]);
  });

  it('unordered: steps in any order within the window count', () => {
    // resolved, assigned, created within 2 h: unordered 3 steps, ordered only step 1.
    const events = [
      ev('p1', 'ticket_resolved', T),
      ev('p1', 'ticket_assigned', T + HOUR_MS),
      ev('p1', 'ticket_created', T + 2 * HOUR_MS),
    ];
    expect(counts(events, { order: 'unordered' })).toEqual([1, 1, 1]);
    expect(counts(events, { order: 'ordered' })).toEqual([1, 0, 0]);
  });

  it('unordered: the window runs from the first step event of the attempt', () => {
    // 1-day window. resolved T, assigned T+12h, created T+1d: all within 1 d of T -> 3 steps.
    const inside = [
      ev('p1', 'ticket_resolved', T),
      ev('p1', 'ticket_assigned', T + 12 * HOUR_MS),
      ev('p1', 'ticket_created', T + DAY_MS),
    ];
    const window = { count: 1, unit: 'day' } as const;
    expect(counts(inside, { order: 'unordered', window })).toEqual([1, 1, 1]);
    // created at T+1d+1ms: attempt T has 2 steps; attempt T+12h has assigned + created: 2 steps.
    const outside = inside.map((e) =>
      e.event === 'ticket_created' ? { ...e, timestampMs: T + DAY_MS + 1 } : e,
    );
    expect(counts(outside, { order: 'unordered', window })).toEqual([1, 1, 0]);
  });
});
