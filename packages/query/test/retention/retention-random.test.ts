import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQuery } from '../../src/index.js';
import { type Dataset, generateDataset, mulberry32 } from '../dataset.js';
import { type LoadedDatabase, loadDatasets } from '../duckdb-runner.js';
import { evaluateRetention } from '../reference/retention.js';
import { RETENTION_TIMEZONES, randomRetention } from './random-retention.js';

// The SQL engine against the brute-force reference on generated data: 60 seeds, each its own
// project (time zone, week start, data) with random retention queries, by person and by tenant.

const SEEDS = Array.from({ length: 60 }, (_, i) => i + 1);
const QUERIES_PER_SEED = 6;
const NOW = Date.parse('2024-06-01T12:00:00Z');

interface Case {
  seed: number;
  projectId: number;
  timezone: string;
  weekStart: 0 | 1;
  dataset: Dataset;
}

const cases: Case[] = SEEDS.map((seed, i) => {
  const timezone = RETENTION_TIMEZONES[seed % RETENTION_TIMEZONES.length] as string;
  return {
    seed,
    projectId: i + 1,
    timezone,
    weekStart: (seed % 2) as 0 | 1,
    dataset: generateDataset(seed, {
      timezone,
      events: 1500 + ((seed * 137) % 2000),
      persons: 12 + (seed % 30),
      tenants: 3 + (seed % 4),
    }),
  };
});

let db: LoadedDatabase;
beforeAll(async () => {
  db = await loadDatasets(cases.map((c) => c.dataset));
}, 120_000);
afterAll(() => db?.close());

const answered = { total: 0, returned: 0, byPeriod: new Map<string, number>() };

describe('retention: SQL engine equals the reference evaluator', () => {
  it.each(cases)(
    'seed $seed ($timezone)',
    async ({ seed, projectId, timezone, weekStart, dataset }) => {
      const rng = mulberry32(seed * 7919 + 3);
      for (let q = 0; q < QUERIES_PER_SEED; q++) {
        const { query, spec } = randomRetention(rng, timezone, weekStart);
        const engine = await runQuery(query, {
          projectId,
          timezone,
          now: NOW,
          runner: db.runner,
          weekStartDay: weekStart,
        });
        if (engine.kind !== 'RetentionQuery') throw new Error('not a retention response');
        const reference = evaluateRetention(dataset, spec);
        const label = `seed ${seed} query ${q}: ${JSON.stringify(query)}`;
        expect(
          engine.results.map((r) => ({
            startMs: Date.parse(r.date),
            values: r.values.map((v) => v.count),
          })),
          label,
        ).toEqual(reference.map((c) => ({ startMs: c.periodStartMs, values: c.values })));
        answered.total += 1;
        if (reference.some((c) => c.values.slice(1).some((v) => v > 0))) answered.returned += 1;
        answered.byPeriod.set(spec.period, (answered.byPeriod.get(spec.period) ?? 0) + 1);
      }
    },
  );

  it('compared mostly answers where someone returned, for every period', () => {
    expect(answered.total).toBe(SEEDS.length * QUERIES_PER_SEED);
    expect(answered.returned / answered.total).toBeGreaterThan(0.5);
    expect([...answered.byPeriod.keys()].sort()).toEqual(['day', 'hour', 'month', 'week']);
  });
});
