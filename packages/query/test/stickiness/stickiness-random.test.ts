import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQuery } from '../../src/index.js';
import { type Dataset, generateDataset, mulberry32 } from '../dataset.js';
import { type LoadedDatabase, loadDatasets } from '../duckdb-runner.js';
import { evaluateStickiness } from '../reference/stickiness.js';
import { RETENTION_TIMEZONES as TIMEZONES } from '../retention/random-retention.js';
import { randomStickiness } from './random-stickiness.js';

// The SQL engine against the brute-force reference on generated data: 55 seeds, each its own
// project with random stickiness queries (intervals, intervalCount, criteria, cumulative,
// several series, by person and by tenant).

const SEEDS = Array.from({ length: 55 }, (_, i) => i + 1);
const QUERIES_PER_SEED = 5;
const NOW = Date.parse('2024-06-01T12:00:00Z');

interface Case {
  seed: number;
  projectId: number;
  timezone: string;
  weekStart: 0 | 1;
  dataset: Dataset;
}

const cases: Case[] = SEEDS.map((seed, i) => {
  const timezone = TIMEZONES[(seed + 2) % TIMEZONES.length] as string;
  return {
    seed,
    projectId: i + 1,
    timezone,
    weekStart: ((seed + 1) % 2) as 0 | 1,
    dataset: generateDataset(seed + 500, {
      timezone,
      events: 1500 + ((seed * 211) % 2000),
      persons: 12 + (seed % 25),
      tenants: 3 + (seed % 4),
    }),
  };
});

let db: LoadedDatabase;
beforeAll(async () => {
  db = await loadDatasets(cases.map((c) => c.dataset));
}, 120_000);
afterAll(() => db?.close());

const answered = { total: 0, nonZero: 0 };

describe('stickiness: SQL engine equals the reference evaluator', () => {
  it.each(cases)('seed $seed ($timezone)', async (c) => {
    const rng = mulberry32(c.seed * 104_729 + 11);
    for (let q = 0; q < QUERIES_PER_SEED; q++) {
      const { query, specs } = randomStickiness(rng, c);
      const engine = await runQuery(query, {
        projectId: c.projectId,
        timezone: c.timezone,
        now: NOW,
        runner: db.runner,
        weekStartDay: c.weekStart,
      });
      if (engine.kind !== 'StickinessQuery') throw new Error('not a stickiness response');
      const reference = specs.map((spec) => evaluateStickiness(c.dataset, spec));
      expect(
        engine.results.map((r) => ({ data: r.data, days: r.days })),
        `seed ${c.seed} query ${q}: ${JSON.stringify(query)}`,
      ).toEqual(
        reference.map((points) => ({
          data: points.map((p) => p.count),
          days: points.map((p) => p.intervals),
        })),
      );
      answered.total += 1;
      if (engine.results.some((r) => r.data.some((v) => v > 0))) answered.nonZero += 1;
    }
  });

  it('compared mostly non-empty answers', () => {
    expect(answered.total).toBe(SEEDS.length * QUERIES_PER_SEED);
    expect(answered.nonZero / answered.total).toBeGreaterThan(0.7);
  });
});
