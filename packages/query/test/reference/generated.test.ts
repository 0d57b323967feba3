// The references on generated data: no SQL here, only identities that must hold between the
// references' own outputs (so a reference that crashes or contradicts itself fails before it is
// used to judge the engine).

import { describe, expect, it } from 'vitest';
import { type Dataset, generateDataset } from '../dataset.js';
import type { Aggregation } from './actors.js';
import { cohortMembers } from './cohorts.js';
import { evaluateFunnel, type FunnelSpec } from './funnel.js';
import { evaluateFunnelTrends } from './funnel-time.js';
import { evaluateLifecycle } from './lifecycle.js';
import { evaluateRetention } from './retention.js';
import { evaluateStickiness } from './stickiness.js';
import { bucketStart, DAY_MS } from './time.js';

const TZ = 'Europe/Berlin';
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const BY_TENANT: Aggregation = { kind: 'group', groupTypeIndex: 0 };

function range(ds: Dataset) {
  const fromMs = bucketStart(ds.events[0]?.timestampMs ?? 0, 'day', TZ);
  return { fromMs, toMs: fromMs + 63 * DAY_MS };
}
const stepCounts = (ds: Dataset, spec: FunnelSpec): number[] =>
  evaluateFunnel(ds, spec)[0]?.steps.map((s) => s.count) ?? [];
const sumSeries = (ds: Dataset, spec: FunnelSpec): number[] =>
  evaluateFunnel(ds, spec).reduce<number[]>(
    (acc, s) => s.steps.map((x, i) => x.count + (acc[i] ?? 0)),
    [],
  );

describe.each(SEEDS)('references on generated data, seed %i', (seed) => {
  const ds = generateDataset(seed);
  const dateRange = range(ds);
  const ticket: FunnelSpec = {
    steps: [
      { event: 'ticket_created' },
      { event: 'ticket_assigned' },
      { event: 'ticket_resolved' },
    ],
    dateRange,
    window: { count: 7, unit: 'day' },
  };

  it('funnel counts shrink step by step and order types nest (strict <= ordered <= unordered)', () => {
    const ordered = stepCounts(ds, ticket);
    const strict = stepCounts(ds, { ...ticket, order: 'strict' });
    const unordered = stepCounts(ds, { ...ticket, order: 'unordered' });
    const held = stepCounts(ds, { ...ticket, holdConstant: ['ticket_id'] });
    for (let k = 1; k < 3; k++) expect(ordered[k]).toBeLessThanOrEqual(ordered[k - 1] ?? 0);
    const entrants = new Set(
      ds.events
        .filter((e) => e.event === 'ticket_created' && e.personId !== null)
        .map((e) => e.personId),
    );
    expect(ordered[0]).toBe(entrants.size);
    ordered.forEach((count, k) => {
      expect(strict[k]).toBeLessThanOrEqual(count);
      expect(held[k]).toBeLessThanOrEqual(count);
      expect(unordered[k]).toBeGreaterThanOrEqual(count);
    });
  });

  it('funnel breakdowns count each actor once, folded or not', () => {
    const plain = stepCounts(ds, ticket);
    for (const attribution of [
      { kind: 'first_touch' },
      { kind: 'last_touch' },
      { kind: 'step', step: 1 },
    ] as const) {
      const breakdown = { source: 'event' as const, key: 'priority', attribution };
      expect(sumSeries(ds, { ...ticket, breakdown })).toEqual(plain);
      expect(sumSeries(ds, { ...ticket, breakdown: { ...breakdown, limit: 2 } })).toEqual(plain);
    }
    const byTenantPlan = {
      source: 'group' as const,
      key: 'plan',
      groupTypeIndex: 0,
      attribution: { kind: 'first_touch' as const },
    };
    expect(sumSeries(ds, { ...ticket, aggregation: BY_TENANT, breakdown: byTenantPlan })).toEqual(
      stepCounts(ds, { ...ticket, aggregation: BY_TENANT }),
    );
  });

  it('exclusions only remove actors; funnel trends see every entrant', () => {
    const plain = stepCounts(ds, ticket);
    const excluded = stepCounts(ds, {
      ...ticket,
      exclusions: [{ event: 'ticket_comment_added', fromStep: 0, toStep: 1 }],
    });
    excluded.forEach((count, k) => {
      expect(count).toBeLessThanOrEqual(plain[k] ?? 0);
    });
    const trends = evaluateFunnelTrends(ds, ticket, { interval: 'week', timezone: TZ });
    expect(trends.reduce((n, p) => n + p.entered, 0)).toBeGreaterThanOrEqual(plain[0] ?? 0);
  });

  it('retention cells never exceed the cohort; cumulative dominates and shrinks', () => {
    for (const aggregation of [{ kind: 'person' } as const, BY_TENANT]) {
      const spec = {
        startEvent: { event: 'user_logged_in' },
        returnEvent: { event: null },
        period: 'week' as const,
        retentionType: 'recurring' as const,
        totalPeriods: 8,
        fromMs: dateRange.fromMs,
        timezone: TZ,
        aggregation,
      };
      const plain = evaluateRetention(ds, spec);
      const cumulative = evaluateRetention(ds, { ...spec, cumulative: true });
      plain.forEach((cohort, p) => {
        expect(cohort.values[0]).toBe(cohort.size);
        cohort.values.forEach((v, k) => {
          expect(v).toBeLessThanOrEqual(cohort.size);
          const c = cumulative[p]?.values ?? [];
          expect(c[k]).toBeGreaterThanOrEqual(v);
          if (k > 0) expect(c[k]).toBeLessThanOrEqual(c[k - 1] ?? 0);
        });
      });
    }
  });

  it('stickiness and lifecycle account for every active actor', () => {
    const series = { event: 'feature_used' };
    const spec = { series, dateRange, interval: 'week' as const, timezone: TZ };
    const sticky = evaluateStickiness(ds, spec);
    const lifecycle = evaluateLifecycle(ds, spec);
    const active = new Set(
      ds.events
        .filter((e) => e.event === 'feature_used' && e.personId !== null)
        .map((e) => e.personId),
    );
    expect(sticky.reduce((n, p) => n + p.count, 0)).toBe(active.size);
    expect(evaluateStickiness(ds, { ...spec, cumulative: true })[0]?.count).toBe(active.size);
    for (const point of lifecycle) {
      const inBucket = new Set(
        ds.events
          .filter(
            (e) =>
              e.event === 'feature_used' &&
              e.personId !== null &&
              bucketStart(e.timestampMs, 'week', TZ) === point.bucketStartMs,
          )
          .map((e) => e.personId),
      );
      expect(point.new + point.returning + point.resurrecting).toBe(inBucket.size);
      expect(point.dormant).toBeLessThanOrEqual(0);
    }
  });

  it('cohort negation complements and groups combine like sets', () => {
    const now = dateRange.fromMs + 40 * DAY_MS;
    const leaf = {
      type: 'performed_event_multiple' as const,
      event: { event: 'ticket_created' },
      operator: 'gte' as const,
      count: 3,
      within: { count: 14, unit: 'day' as const },
    };
    const admin = {
      type: 'person_property' as const,
      key: 'is_admin',
      operator: 'exact' as const,
      value: true,
    };
    const of = (filter: Parameters<typeof cohortMembers>[1]) => cohortMembers(ds, filter, now);
    const a = of({ kind: 'dynamic', filter: leaf });
    const notA = of({ kind: 'dynamic', filter: { ...leaf, negated: true } });
    const b = of({ kind: 'dynamic', filter: admin });
    expect([...a, ...notA].sort()).toEqual(ds.persons.map((p) => p.id).sort());
    expect(of({ kind: 'dynamic', filter: { type: 'AND', values: [leaf, admin] } })).toEqual(
      a.filter((id) => b.includes(id)),
    );
    expect(of({ kind: 'dynamic', filter: { type: 'OR', values: [leaf, admin] } })).toEqual(
      [...new Set([...a, ...b])].sort(),
    );
  });
});
