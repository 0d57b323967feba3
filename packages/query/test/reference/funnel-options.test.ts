import { describe, expect, it } from 'vitest';
import type { RefEvent } from '../dataset.js';
import type { EventMatcher } from './actors.js';
import { BREAKDOWN_NULL, BREAKDOWN_OTHER } from './breakdown.js';
import { BERLIN, DAY_MS, ev, HOUR_MS, MONDAY, makeDataset, makePerson } from './fixtures.js';
import { type BreakdownAttribution, evaluateFunnel, type FunnelSpec } from './funnel.js';
import { evaluateFunnelTrends, evaluateTimeToConvert } from './funnel-time.js';

const A: EventMatcher = { event: 'ticket_created' };
const B: EventMatcher = { event: 'ticket_assigned' };
const C: EventMatcher = { event: 'ticket_resolved' };
const X: EventMatcher = { event: 'ticket_deleted' };
const RANGE = { fromMs: MONDAY - 7 * DAY_MS, toMs: MONDAY + 60 * DAY_MS };
const T = MONDAY + 9 * HOUR_MS;

function run(events: RefEvent[], spec: Partial<FunnelSpec>, persons = makeDataset(events).persons) {
  const dataset = { ...makeDataset(events), persons };
  return evaluateFunnel(dataset, { steps: [A, B, C], dateRange: RANGE, ...spec });
}
const counts = (events: RefEvent[], spec: Partial<FunnelSpec> = {}): number[] =>
  run(events, spec)[0]?.steps.map((s) => s.count) ?? [];
/** breakdown value -> step counts */
function byValue(events: RefEvent[], spec: Partial<FunnelSpec>): Record<string, number[]> {
  return Object.fromEntries(
    run(events, spec).map((s) => [s.breakdownValue ?? '', s.steps.map((x) => x.count)]),
  );
}

describe('funnel exclusions', () => {
  const between01 = { exclusions: [{ ...X, fromStep: 0, toStep: 1 }] };

  it('removes the actor when its best attempt is voided, not even counting step 1', () => {
    const events = [
      ev('p1', 'ticket_created', T),
      ev('p1', 'ticket_deleted', T + HOUR_MS),
      ev('p1', 'ticket_assigned', T + 2 * HOUR_MS),
    ];
    expect(counts(events, between01)).toEqual([0, 0, 0]);
  });

  it('does not void an attempt that already reached the end of the exclusion range', () => {
    // X after assigned (step 2), or at the same instant as assigned (ties ignore exclusions).
    const after = [
      ev('p1', 'ticket_created', T),
      ev('p1', 'ticket_assigned', T + HOUR_MS),
      ev('p1', 'ticket_deleted', T + 2 * HOUR_MS),
    ];
    const tie = [
      ev('p1', 'ticket_created', T),
      ev('p1', 'ticket_deleted', T + HOUR_MS),
      ev('p1', 'ticket_assigned', T + HOUR_MS),
    ];
    expect(counts(after, between01)).toEqual([1, 1, 0]);
    expect(counts(tie, between01)).toEqual([1, 1, 0]);
  });

  it('ignores an exclusion at the same instant as the step that opens the range', () => {
    const events = [
      ev('p1', 'ticket_deleted', T),
      ev('p1', 'ticket_created', T),
      ev('p1', 'ticket_assigned', T + 1),
    ];
    expect(counts(events, between01)).toEqual([1, 1, 0]);
  });

  it('ignores an exclusion outside the attempt window', () => {
    // 1-day window; X 1 d + 1 ms after entry, between steps 1 and 3.
    const events = [
      ev('p1', 'ticket_created', T),
      ev('p1', 'ticket_assigned', T + HOUR_MS),
      ev('p1', 'ticket_deleted', T + DAY_MS + 1),
    ];
    const spec = {
      window: { count: 1, unit: 'day' as const },
      exclusions: [{ ...X, fromStep: 0, toStep: 2 }],
    };
    expect(counts(events, spec)).toEqual([1, 1, 0]);
  });

  it('keeps the actor when a clean attempt goes further than the void one', () => {
    // attempt T voided at step 1; attempt T+20d reaches step 2 cleanly.
    const events = [
      ev('p1', 'ticket_created', T),
      ev('p1', 'ticket_deleted', T + HOUR_MS),
      ev('p1', 'ticket_created', T + 20 * DAY_MS),
      ev('p1', 'ticket_assigned', T + 20 * DAY_MS + 1),
    ];
    expect(counts(events, between01)).toEqual([1, 1, 0]);
  });

  it('removes the actor when the void attempt is the furthest one', () => {
    // attempt T reaches step 2 then X (between 2 and 3) voids it; attempt T+20d only step 1.
    const events = [
      ev('p1', 'ticket_created', T),
      ev('p1', 'ticket_assigned', T + HOUR_MS),
      ev('p1', 'ticket_deleted', T + 2 * HOUR_MS),
      ev('p1', 'ticket_created', T + 20 * DAY_MS),
    ];
    expect(counts(events, { exclusions: [{ ...X, fromStep: 1, toStep: 2 }] })).toEqual([0, 0, 0]);
  });
});

describe('unordered funnel exclusions and attribution', () => {
  it('an exclusion spans the whole funnel: after entry and before completion voids', () => {
    const spec = { order: 'unordered' as const, exclusions: [{ ...X, fromStep: 0, toStep: 2 }] };
    const voided = [
      ev('p1', 'ticket_resolved', T),
      ev('p1', 'ticket_deleted', T + 1),
      ev('p1', 'ticket_created', T + 2),
    ];
    const done = [
      ev('p2', 'ticket_resolved', T),
      ev('p2', 'ticket_created', T + 1),
      ev('p2', 'ticket_assigned', T + 2),
      ev('p2', 'ticket_deleted', T + 3),
    ];
    expect(counts(voided, spec)).toEqual([0, 0, 0]);
    expect(counts(done, spec)).toEqual([1, 1, 1]);
    expect(() =>
      counts(done, { order: 'unordered', exclusions: [{ ...X, fromStep: 0, toStep: 1 }] }),
    ).toThrow();
  });

  it('attributes to the entry event, whichever step it fills', () => {
    // p1 enters with resolved (priority high), then created (low): bucket high.
    const events = [
      ev('p1', 'ticket_resolved', T, { priority: 'high' }),
      ev('p1', 'ticket_created', T + 1, { priority: 'low' }),
    ];
    const breakdown = {
      source: 'event' as const,
      key: 'priority',
      attribution: { kind: 'step' as const, step: 0 },
    };
    // Trying bucket low: entry must be the created event, which reaches only 1 step.
    expect(byValue(events, { order: 'unordered', breakdown })).toEqual({ high: [1, 1, 0] });
  });
});

describe('funnel breakdown attribution', () => {
  const events = [
    ev('p1', 'ticket_created', T, { priority: 'low' }),
    ev('p1', 'ticket_assigned', T + HOUR_MS, { priority: 'high' }),
    ev('p2', 'ticket_created', T),
    ev('p2', 'ticket_assigned', T + 1, { priority: 'urgent' }),
    ev('p3', 'ticket_created', T, { priority: 'low' }),
  ];
  const by = (attribution: BreakdownAttribution) =>
    byValue(events, {
      steps: [A, B],
      breakdown: { source: 'event', key: 'priority', attribution },
    });

  it('first touch: the earliest non-null value', () => {
    // p1 low (2 steps), p2 urgent (its created has no priority), p3 low (1 step).
    expect(by({ kind: 'first_touch' })).toEqual({ low: [2, 1], urgent: [1, 1] });
  });

  it('last touch: the latest non-null value', () => {
    expect(by({ kind: 'last_touch' })).toEqual({ high: [1, 1], urgent: [1, 1], low: [1, 0] });
  });

  it('step N: the value on the event that fills step N', () => {
    // step 2 (index 1): p1 high, p2 urgent, p3 never assigned -> None.
    expect(by({ kind: 'step', step: 1 })).toEqual({
      high: [1, 1],
      urgent: [1, 1],
      [BREAKDOWN_NULL]: [1, 0],
    });
    // step 1 (index 0): p1 low, p2 none on its created, p3 low.
    expect(by({ kind: 'step', step: 0 })).toEqual({ low: [2, 1], [BREAKDOWN_NULL]: [1, 1] });
  });

  it('all events: the funnel per value over the events carrying it', () => {
    // p1: low events = created only -> [1,0]; high events = assigned only -> no entry.
    // p2: None events = created -> [1,0]; p3: low -> [1,0].
    expect(by({ kind: 'all_events' })).toEqual({ low: [2, 0], [BREAKDOWN_NULL]: [1, 0] });
  });

  it('folds values beyond the limit into Other, keeps None apart, orders kept/None/Other', () => {
    const many = ['a', 'a', 'b', 'c'].map((v, i) =>
      ev(`q${i}`, 'ticket_created', T, { priority: v }),
    );
    many.push(ev('q9', 'ticket_created', T));
    const series = run(many, {
      steps: [A],
      breakdown: {
        source: 'event',
        key: 'priority',
        limit: 1,
        attribution: { kind: 'first_touch' },
      },
    });
    expect(series.map((s) => [s.breakdownValue, s.steps[0]?.count])).toEqual([
      ['a', 2],
      [BREAKDOWN_NULL, 1],
      [BREAKDOWN_OTHER, 2],
    ]);
  });

  it('breaks down by a person property', () => {
    const ds = makeDataset(events);
    const persons = ds.persons.map((p) =>
      p.id === 'p1' ? makePerson('p1', { properties: { plan: 'pro' } }) : p,
    );
    const series = run(
      events,
      {
        steps: [A, B],
        breakdown: { source: 'person', key: 'plan', attribution: { kind: 'first_touch' } },
      },
      persons,
    );
    expect(series.map((s) => [s.breakdownValue, s.steps.map((x) => x.count)])).toEqual([
      ['pro', [1, 1]],
      [BREAKDOWN_NULL, [2, 1]],
    ]);
  });
});

describe('funnel hold property constant', () => {
  it('needs every step of an attempt to share the step-1 value', () => {
    const events = [
      // p1: ticket 1 created, ticket 2 created, ticket 1 resolved -> converts via ticket 1.
      ev('p1', 'ticket_created', T, { ticket_id: 't1' }),
      ev('p1', 'ticket_created', T + 1, { ticket_id: 't2' }),
      ev('p1', 'ticket_resolved', T + 2, { ticket_id: 't1' }),
      // p2: resolves another ticket than it created -> no.
      ev('p2', 'ticket_created', T, { ticket_id: 't3' }),
      ev('p2', 'ticket_resolved', T + 1, { ticket_id: 't4' }),
      // p3: no ticket_id on step 1 -> a missing value equals nothing.
      ev('p3', 'ticket_created', T),
      ev('p3', 'ticket_resolved', T + 1),
    ];
    expect(counts(events, { steps: [A, C], holdConstant: ['ticket_id'] })).toEqual([3, 1]);
    expect(counts(events, { steps: [A, C] })).toEqual([3, 3]);
  });
});

describe('funnel aggregation by tenant', () => {
  it('lets two persons of one tenant complete the steps together', () => {
    const events = [
      ev('p1', 'ticket_created', T, {}, 'tenant-a'),
      ev('p2', 'ticket_assigned', T + 1, {}, 'tenant-a'),
      ev('p3', 'ticket_assigned', T + 2),
    ];
    expect(
      counts(events, { steps: [A, B], aggregation: { kind: 'group', groupTypeIndex: 0 } }),
    ).toEqual([1, 1]);
    expect(counts(events, { steps: [A, B] })).toEqual([1, 0]);
  });
});

describe('funnel time to convert and trends', () => {
  const events = [
    ev('p1', 'ticket_created', T),
    ev('p1', 'ticket_assigned', T + HOUR_MS),
    ev('p2', 'ticket_created', T),
    ev('p2', 'ticket_assigned', T + 3 * HOUR_MS),
    // p3: the best attempt is the latest entry before the conversion: 1 h, not 2 h.
    ev('p3', 'ticket_created', T + DAY_MS),
    ev('p3', 'ticket_created', T + DAY_MS + HOUR_MS),
    ev('p3', 'ticket_assigned', T + DAY_MS + 2 * HOUR_MS),
    ev('p4', 'ticket_created', T),
  ];
  const spec: FunnelSpec = { steps: [A, B], dateRange: RANGE };

  it('takes mean and median of step times from each best attempt', () => {
    // times: 1 h, 3 h, 1 h -> mean 5/3 h, median 1 h.
    const [series] = evaluateFunnel(makeDataset(events), spec);
    expect(series?.steps[1]?.meanTimeMs).toBe((5 * HOUR_MS) / 3);
    expect(series?.steps[1]?.medianTimeMs).toBe(HOUR_MS);
    expect(series?.steps[0]?.meanTimeMs).toBeNull();
  });

  it('bins the time between two steps', () => {
    // min 1 h, max 3 h, 2 bins -> width 1 h: [1 h, 2 h) holds 2, the last bin holds 3 h.
    const result = evaluateTimeToConvert(makeDataset(events), spec, { binCount: 2 });
    expect(result).toEqual({
      averageMs: (5 * HOUR_MS) / 3,
      medianMs: HOUR_MS,
      count: 3,
      bins: [
        { fromMs: HOUR_MS, count: 2 },
        { fromMs: 2 * HOUR_MS, count: 1 },
      ],
    });
  });

  it('trends: conversion by day of entry, empty days 0', () => {
    // Mon: p1 converts, p2 converts, p4 does not -> 2/3. Tue: p3 converts -> 1/1. Wed: 0.
    const points = evaluateFunnelTrends(
      makeDataset(events),
      { ...spec, dateRange: { fromMs: MONDAY, toMs: MONDAY + 3 * DAY_MS } },
      { interval: 'day', timezone: BERLIN },
    );
    expect(points.map((p) => [p.bucketStartMs, p.entered, p.converted, p.conversionRate])).toEqual([
      [MONDAY, 3, 2, 2 / 3],
      [MONDAY + DAY_MS, 1, 1, 1],
      [MONDAY + 2 * DAY_MS, 0, 0, 0],
    ]);
  });
});
