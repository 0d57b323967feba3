import { describe, expect, it } from 'vitest';
import { runQuery } from '../../src/index.js';
import { generateDataset, mulberry32 } from '../dataset.js';
import { evaluateLifecycle } from '../reference/lifecycle.js';
import { RETENTION_TIMEZONES as TIMEZONES } from '../retention/random-retention.js';
import { seedCases, useLoadedCases } from '../seed-cases.js';
import { randomLifecycle } from './random-lifecycle.js';

// The SQL engine against the brute-force reference on generated data: 55 seeds, each its own
// project with random lifecycle queries (every interval, filters, by person and by tenant).

const QUERIES_PER_SEED = 5;
const NOW = Date.parse('2024-06-01T12:00:00Z');

const cases = seedCases({ count: 55 }, (seed) => {
  const timezone = TIMEZONES[(seed + 4) % TIMEZONES.length] as string;
  return {
    timezone,
    weekStart: (seed % 2) as 0 | 1,
    dataset: generateDataset(seed + 900, {
      timezone,
      events: 1500 + ((seed * 173) % 2000),
      persons: 12 + (seed % 25),
      tenants: 3 + (seed % 4),
    }),
  };
});

const db = useLoadedCases(cases);

const answered = { total: 0, nonZero: 0 };
const STATUSES = ['new', 'returning', 'resurrecting', 'dormant'] as const;

describe('lifecycle: SQL engine equals the reference evaluator', () => {
  it.each(cases)('seed $seed ($timezone)', async (c) => {
    const rng = mulberry32(c.seed * 15_485_863 + 5);
    for (let q = 0; q < QUERIES_PER_SEED; q++) {
      const { query, spec } = randomLifecycle(rng, c);
      const engine = await runQuery(query, {
        projectId: c.projectId,
        timezone: c.timezone,
        now: NOW,
        runner: db().runner,
        weekStartDay: c.weekStart,
      });
      if (engine.kind !== 'LifecycleQuery') throw new Error('not a lifecycle response');
      const points = evaluateLifecycle(c.dataset, spec);
      expect(
        engine.results.map((r) => ({ status: r.status, data: r.data, days: r.days.length })),
        `seed ${c.seed} query ${q}: ${JSON.stringify(query)}`,
      ).toEqual(
        STATUSES.map((status) => ({
          status,
          data: points.map((p) => p[status]),
          days: points.length,
        })),
      );
      answered.total += 1;
      if (engine.results.some((r) => r.data.some((v) => v !== 0))) answered.nonZero += 1;
    }
  });

  it('compared mostly non-empty answers', () => {
    expect(answered.total).toBe(cases.length * QUERIES_PER_SEED);
    expect(answered.nonZero / answered.total).toBeGreaterThan(0.7);
  });
});
