import { describe, expect, it } from 'vitest';
import { runQuery } from '../../src/index.js';
import { generateDataset, mulberry32 } from '../dataset.js';
import { randomLifecycle } from '../lifecycle/random-lifecycle.js';
import { evaluateLifecycle } from '../reference/lifecycle.js';
import { evaluateRetention } from '../reference/retention.js';
import { evaluateStickiness } from '../reference/stickiness.js';
import { RETENTION_TIMEZONES, randomRetention } from '../retention/random-retention.js';
import { seedCases, useLoadedCases } from '../seed-cases.js';
import { randomStickiness } from '../stickiness/random-stickiness.js';
import { drill, names, sorted } from './drill.js';

// Retention, stickiness and lifecycle drill-downs against the references (which list the actors
// of every cell / interval count / status) on 55 seeds, each its own project: random queries of
// the insights' random tests (every period, type, cumulative, criteria, by person and by tenant)
// and random points of them, mostly non-empty ones. The actors must equal the reference's and
// their number the insight's value at that point.

const POINTS_PER_SEED = 3;
const NOW = Date.parse('2024-06-01T12:00:00Z');
const STATUSES = ['new', 'returning', 'resurrecting', 'dormant'] as const;

const cases = seedCases({ count: 55 }, (seed) => {
  const timezone = RETENTION_TIMEZONES[seed % RETENTION_TIMEZONES.length] as string;
  return {
    timezone,
    weekStart: (seed % 2) as 0 | 1,
    dataset: generateDataset(seed + 2000, {
      timezone,
      events: 1500 + ((seed * 149) % 2000),
      persons: 12 + (seed % 30),
      tenants: 3 + (seed % 4),
    }),
  };
});

type Case = (typeof cases)[number];
const db = useLoadedCases(cases);

type Rng = () => number;
/** A random index, preferring (85%) one whose weight is not zero. */
function pickIndex(rng: Rng, weights: readonly number[]): number {
  const filled = weights.flatMap((w, i) => (w !== 0 ? [i] : []));
  if (filled.length > 0 && rng() < 0.85) return filled[Math.floor(rng() * filled.length)] as number;
  return Math.floor(rng() * weights.length);
}

const optionsOf = (c: Case) => ({
  projectId: c.projectId,
  timezone: c.timezone,
  now: NOW,
  runner: db().runner,
  weekStartDay: c.weekStart,
});
const answered = {
  retention: { total: 0, nonEmpty: 0 },
  stickiness: { total: 0, nonEmpty: 0 },
  lifecycle: { total: 0, nonEmpty: 0 },
};
const covered = new Set<string>();

describe('retention drill-down: the actors of a cell equal the reference', () => {
  it.each(cases)('seed $seed ($timezone)', async (c) => {
    const rng = mulberry32(c.seed * 92_821 + 7);
    for (let q = 0; q < POINTS_PER_SEED; q++) {
      const { query, spec } = randomRetention(rng, c.timezone, c.weekStart);
      const reference = evaluateRetention(c.dataset, spec);
      const engine = await runQuery(query, optionsOf(c));
      if (engine.kind !== 'RetentionQuery') throw new Error('not a retention response');
      const cohort = pickIndex(
        rng,
        reference.map((r) => r.size),
      );
      const row = reference[cohort];
      if (row === undefined) throw new Error('no cohort');
      const offset = pickIndex(rng, row.values);
      const source = { kind: 'InsightActorsQuery', source: query, interval: cohort };
      const withOffset =
        offset === 0 && rng() < 0.5 ? source : { ...source, intervalOffset: offset };
      const label = `seed ${c.seed} query ${q}: ${JSON.stringify(withOffset)}`;
      const actual = await drill(c.dataset, withOffset, optionsOf(c));
      expect(names(actual), label).toEqual(row.actorIds[offset]);
      expect(actual.size, label).toBe(engine.results[cohort]?.values[offset]?.count);
      // The row's appearances: the offsets whose reference actor lists hold the actor.
      const rowActors = await drill(c.dataset, source, optionsOf(c), 'appearances');
      const expectedRow = new Map(
        (row.actorIds[0] ?? []).map((a) => [
          a,
          row.actorIds.flatMap((ids, k) => (ids.includes(a) ? [k] : [])),
        ]),
      );
      expect(sorted(rowActors), `${label}: appearances`).toEqual(sorted(expectedRow));
      count('retention', actual.size);
      if (actual.size > 0) {
        covered.add(`retention:${spec.retentionType}`);
        if (spec.cumulative === true && offset > 0) covered.add('retention:cumulative');
        if (offset > 0) covered.add('retention:returned');
        if (spec.windowMs !== undefined && offset > 0) covered.add('retention:rolling');
      }
    }
  });
});

describe('stickiness drill-down: the actors active N intervals equal the reference', () => {
  it.each(cases)('seed $seed ($timezone)', async (c) => {
    const rng = mulberry32(c.seed * 48_611 + 13);
    for (let q = 0; q < POINTS_PER_SEED; q++) {
      const { query, specs } = randomStickiness(rng, c);
      const series = Math.floor(rng() * specs.length);
      const spec = specs[series];
      if (spec === undefined) throw new Error('no series');
      const points = evaluateStickiness(c.dataset, spec);
      const engine = await runQuery(query, optionsOf(c));
      if (engine.kind !== 'StickinessQuery') throw new Error('not a stickiness response');
      const at = pickIndex(
        rng,
        points.map((p) => p.count),
      );
      const point = points[at];
      if (point === undefined) throw new Error('no point');
      // Comparing, the specs are the series over the range, then over the previous range.
      const seriesCount = (query.series as unknown[]).length;
      const source = {
        kind: 'InsightActorsQuery',
        source: query,
        series: series % seriesCount,
        day: point.intervals,
        ...(series >= seriesCount ? { compare: 'previous' } : {}),
      };
      const label = `seed ${c.seed} query ${q}: ${JSON.stringify(source)}`;
      const actual = await drill(c.dataset, source, optionsOf(c));
      expect(names(actual), label).toEqual(point.actorIds);
      expect(actual.size, label).toBe(engine.results[series]?.data[at]);
      count('stickiness', actual.size);
      if (actual.size > 0 && spec.cumulative === true) covered.add('stickiness:cumulative');
      if (actual.size > 0 && spec.aggregation?.kind === 'group') covered.add('stickiness:tenants');
      if (actual.size > 0 && series >= seriesCount) covered.add('stickiness:previous');
    }
  });
});

describe('lifecycle drill-down: the actors of a status and period equal the reference', () => {
  it.each(cases)('seed $seed ($timezone)', async (c) => {
    const rng = mulberry32(c.seed * 27_449 + 19);
    for (let q = 0; q < POINTS_PER_SEED; q++) {
      const { query, spec } = randomLifecycle(rng, c);
      const points = evaluateLifecycle(c.dataset, spec);
      const engine = await runQuery(query, optionsOf(c));
      if (engine.kind !== 'LifecycleQuery') throw new Error('not a lifecycle response');
      const status = STATUSES[Math.floor(rng() * STATUSES.length)] ?? 'new';
      const at = pickIndex(
        rng,
        points.map((p) => p[status]),
      );
      const result = engine.results.find((r) => r.status === status);
      const source = { kind: 'InsightActorsQuery', source: query, day: result?.days[at], status };
      const label = `seed ${c.seed} query ${q}: ${JSON.stringify(source)}`;
      const actual = await drill(c.dataset, source, optionsOf(c));
      expect(names(actual), label).toEqual(points[at]?.actorIds[status]);
      expect(actual.size, label).toBe(Math.abs(result?.data[at] ?? Number.NaN));
      count('lifecycle', actual.size);
      if (actual.size > 0) covered.add(`lifecycle:${status}`);
    }
  });

  it('compared mostly non-empty points, of every kind', () => {
    for (const [kind, { total, nonEmpty }] of Object.entries(answered)) {
      expect(total, kind).toBe(cases.length * POINTS_PER_SEED);
      expect(nonEmpty / total, kind).toBeGreaterThan(0.6);
    }
    expect([...covered].sort()).toEqual(
      expect.arrayContaining([
        'lifecycle:dormant',
        'lifecycle:new',
        'lifecycle:resurrecting',
        'lifecycle:returning',
        'retention:cumulative',
        'retention:first_ever',
        'retention:first_time',
        'retention:recurring',
        'retention:returned',
        'retention:rolling',
        'stickiness:cumulative',
        'stickiness:previous',
        'stickiness:tenants',
      ]),
    );
  });
});

function count(kind: keyof typeof answered, size: number): void {
  answered[kind].total += 1;
  if (size > 0) answered[kind].nonEmpty += 1;
}
