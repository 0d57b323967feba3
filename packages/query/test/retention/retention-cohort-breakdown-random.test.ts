import { describe, expect, it } from 'vitest';
import { runQuery } from '../../src/index.js';
import { drill, names } from '../actors/drill.js';
import { randomCohortTrio } from '../cohorts/random-cohorts.js';
import { personIdMaps } from '../cohorts/store-ids.js';
import { generateDataset, mulberry32 } from '../dataset.js';
import { evaluateRetention } from '../reference/retention.js';
import { DAY_MS } from '../reference/time.js';
import { seedCases, useLoadedCases } from '../seed-cases.js';
import { RETENTION_TIMEZONES, randomRetention } from './random-retention.js';

// Retention broken down by cohort, SQL engine against the reference on 50 seeds: three cohorts
// per seed (a static list, two dynamic ones), a random subset of them and `all` in a random
// order. Each bucket is the reference run on the events of the cohort's persons (`all`: every
// event), so a person in two cohorts counts in both; the drill-down into one cell of one bucket
// lists that run's actors.

const DATA_START = Date.UTC(2024, 2, 4);

const cases = seedCases({ count: 50 }, (seed) => {
  const timezone = RETENTION_TIMEZONES[(seed + 1) % RETENTION_TIMEZONES.length] as string;
  return {
    timezone,
    weekStart: (seed % 2) as 0 | 1,
    dataset: generateDataset(seed + 900, {
      timezone,
      events: 1000 + ((seed * 173) % 1500),
      persons: 12 + (seed % 25),
      tenants: 3 + (seed % 4),
    }),
  };
});

const db = useLoadedCases(cases);

const seen = { total: 0, overlapping: 0, nonEmpty: 0, drilled: 0 };

describe('retention cohort breakdowns: SQL engine equals the reference', () => {
  it.each(cases)('seed $seed ($timezone)', async (c) => {
    const rng = mulberry32(c.seed * 6_151 + 11);
    const ids = await personIdMaps(db().runner, c.projectId, c.dataset);
    const nowMs = DATA_START + (20 + Math.floor(rng() * 50)) * DAY_MS;
    const { members, json } = randomCohortTrio(rng, c.dataset, ids.storeIdOf, nowMs);
    const options = {
      projectId: c.projectId,
      timezone: c.timezone,
      now: nowMs,
      runner: db().runner,
      weekStartDay: c.weekStart,
      cohorts: json,
    };

    const { query, spec } = randomRetention(rng, c.timezone, c.weekStart);
    const pool: Array<number | 'all'> = [1, 2, 3, 'all'];
    const chosen = pool.filter(() => rng() < 0.6);
    if (chosen.length === 0) chosen.push(pool[Math.floor(rng() * pool.length)] as number | 'all');
    chosen.sort(() => rng() - 0.5);
    const breakdown = chosen.map((id) => (id !== 'all' && rng() < 0.5 ? String(id) : id));
    const engineQuery = { ...query, breakdownFilter: { breakdown_type: 'cohort', breakdown } };
    const engine = await runQuery(engineQuery, options);
    if (engine.kind !== 'RetentionQuery') throw new Error('not a retention response');

    const references = chosen.map((id) => {
      const data =
        id === 'all'
          ? c.dataset
          : {
              ...c.dataset,
              events: c.dataset.events.filter(
                (e) => e.personId !== null && (members.get(id)?.has(e.personId) ?? false),
              ),
            };
      return { value: String(id), cohorts: evaluateRetention(data, spec) };
    });
    const label = `seed ${c.seed}: ${JSON.stringify(engineQuery)}`;
    expect(
      engine.results.map((r) => ({
        value: r.breakdown_value,
        startMs: Date.parse(r.date),
        values: r.values.map((v) => v.count),
      })),
      label,
    ).toEqual(
      references.flatMap((b) =>
        b.cohorts.map((p) => ({ value: b.value, startMs: p.periodStartMs, values: p.values })),
      ),
    );
    seen.total += 1;
    const sizes = references.map((b) => b.cohorts.reduce((sum, p) => sum + p.size, 0));
    if (sizes.some((s) => s > 0)) seen.nonEmpty += 1;
    const cohortIds = chosen.filter((id): id is number => id !== 'all');
    const inTwo = [...c.dataset.persons].some(
      (p) => cohortIds.filter((id) => members.get(id)?.has(p.id)).length > 1,
    );
    if (inTwo) seen.overlapping += 1;

    // Drill into one cell of one bucket (a non-empty cohort when there is one).
    const bucket = references[Math.floor(rng() * references.length)];
    if (bucket === undefined) throw new Error('no bucket');
    const filled = bucket.cohorts.flatMap((p, i) => (p.size > 0 ? [i] : []));
    const cohort = filled[Math.floor(rng() * filled.length)] ?? 0;
    const row = bucket.cohorts[cohort];
    if (row === undefined) throw new Error('no cohort');
    const offset = Math.floor(rng() * row.values.length);
    const source = {
      kind: 'InsightActorsQuery',
      source: engineQuery,
      interval: cohort,
      intervalOffset: offset,
      breakdown: bucket.value,
    };
    const actors = await drill(c.dataset, source, options);
    expect(names(actors), `drill ${JSON.stringify(source)}`).toEqual(row.actorIds[offset]);
    if (actors.size > 0) seen.drilled += 1;
  });

  it('compared non-empty buckets, persons in two cohorts, and non-empty drill-downs', () => {
    expect(seen.total).toBe(cases.length);
    expect(seen.nonEmpty / seen.total).toBeGreaterThan(0.5);
    expect(seen.overlapping / seen.total).toBeGreaterThan(0.2);
    expect(seen.drilled / seen.total).toBeGreaterThan(0.3);
  });
});
