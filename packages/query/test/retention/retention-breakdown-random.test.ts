import { describe, expect, it } from 'vitest';
import { runQuery } from '../../src/index.js';
import { drill, names } from '../actors/drill.js';
import { generateDataset, mulberry32 } from '../dataset.js';
import { BREAKDOWN_NULL, BREAKDOWN_OTHER } from '../reference/breakdown.js';
import { evaluateRetentionBreakdown } from '../reference/retention.js';
import { seedCases, useLoadedCases } from '../seed-cases.js';
import { RETENTION_TIMEZONES, randomRetentionBreakdown } from './random-retention.js';

// Broken-down retention, SQL engine against the brute-force reference on generated data: 60
// seeds, each its own project, random retention queries (every type, period, cumulative,
// filters, by person or tenant) with a random event, person or tenant property breakdown and
// limit. Each bucket's triangle must match, buckets in the same order; and the actors
// drill-down of one cell of one bucket (InsightActorsQuery `breakdown`) must list the
// reference's actors of that cell.

const QUERIES_PER_SEED = 5;
const NOW = Date.parse('2024-06-01T12:00:00Z');

const cases = seedCases({ count: 60 }, (seed) => {
  const timezone = RETENTION_TIMEZONES[(seed + 2) % RETENTION_TIMEZONES.length] as string;
  return {
    timezone,
    weekStart: ((seed + 1) % 2) as 0 | 1,
    dataset: generateDataset(seed + 500, {
      timezone,
      events: 1200 + ((seed * 211) % 1800),
      persons: 10 + (seed % 25),
      tenants: 3 + (seed % 4),
    }),
  };
});

const db = useLoadedCases(cases);

const shown = (value: string): string =>
  value === BREAKDOWN_NULL ? 'None' : value === BREAKDOWN_OTHER ? 'Other' : value;
const seen = { total: 0, severalValues: 0, other: 0, none: 0, returned: 0, drilled: 0 };
/** The drill-down's `breakdown` for a bucket: its label, or sometimes PostHog's sentinel. */
const selector = (value: string, rng: () => number): string =>
  (value === BREAKDOWN_NULL || value === BREAKDOWN_OTHER) && rng() < 0.5 ? value : shown(value);

describe('retention breakdowns: SQL engine equals the reference evaluator', () => {
  it.each(cases)(
    'seed $seed ($timezone)',
    async ({ seed, projectId, timezone, weekStart, dataset }) => {
      const rng = mulberry32(seed * 4099 + 17);
      for (let q = 0; q < QUERIES_PER_SEED; q++) {
        const { query, spec } = randomRetentionBreakdown(rng, timezone, weekStart);
        const engine = await runQuery(query, {
          projectId,
          timezone,
          now: NOW,
          runner: db().runner,
          weekStartDay: weekStart,
        });
        if (engine.kind !== 'RetentionQuery') throw new Error('not a retention response');
        const reference = evaluateRetentionBreakdown(dataset, spec);
        const rows = engine.results.map((r) => ({
          value: String(r.breakdown_value),
          startMs: Date.parse(r.date),
          values: r.values.map((v) => v.count),
        }));
        const expected = reference.flatMap((bucket) =>
          bucket.cohorts.map((c) => ({
            value: shown(bucket.value),
            startMs: c.periodStartMs,
            values: c.values,
          })),
        );
        expect(rows, `seed ${seed} query ${q}: ${JSON.stringify(query)}`).toEqual(expected);
        seen.total += 1;
        const values = reference.map((b) => b.value);
        if (values.filter((v) => v !== BREAKDOWN_NULL && v !== BREAKDOWN_OTHER).length > 1)
          seen.severalValues += 1;
        if (values.includes(BREAKDOWN_OTHER)) seen.other += 1;
        if (values.includes(BREAKDOWN_NULL)) seen.none += 1;
        if (reference.some((b) => b.cohorts.some((c) => c.values.slice(1).some((v) => v > 0))))
          seen.returned += 1;

        // Drill into one cell of one bucket: a non-empty cohort when there is one.
        const pickRng = mulberry32(seed * 131 + q);
        const bucket = reference[Math.floor(pickRng() * reference.length)];
        if (bucket === undefined) continue;
        const filled = bucket.cohorts.flatMap((c, p) => (c.size > 0 ? [p] : []));
        const cohort = filled[Math.floor(pickRng() * filled.length)] ?? 0;
        const row = bucket.cohorts[cohort];
        if (row === undefined) throw new Error('no cohort');
        const offset = Math.floor(pickRng() * row.values.length);
        const source = {
          kind: 'InsightActorsQuery',
          source: query,
          interval: cohort,
          intervalOffset: offset,
          breakdown: selector(bucket.value, pickRng),
        };
        const actors = await drill(dataset, source, {
          projectId,
          timezone,
          now: NOW,
          runner: db().runner,
          weekStartDay: weekStart,
        });
        expect(names(actors), `drill ${JSON.stringify(source)}`).toEqual(row.actorIds[offset]);
        if (actors.size > 0) seen.drilled += 1;
      }
    },
  );

  it('compared answers with several values, Other, None and returns', () => {
    expect(seen.total).toBe(cases.length * QUERIES_PER_SEED);
    expect(seen.severalValues / seen.total).toBeGreaterThan(0.2);
    expect(seen.other / seen.total).toBeGreaterThan(0.15);
    expect(seen.none / seen.total).toBeGreaterThan(0.2);
    expect(seen.returned / seen.total).toBeGreaterThan(0.4);
    expect(seen.drilled / seen.total).toBeGreaterThan(0.3);
  });
});
