import { describe, expect, it } from 'vitest';
import { normalizeFunnel } from '../../src/funnels/normalize.js';
import { type FunnelStrategy, isGreedyChainFunnel, planFunnel } from '../../src/funnels/plan.js';
import { shapeFunnel } from '../../src/funnels/shape.js';
import { DEFAULT_WEEK_START_DAY, parseQuery } from '../../src/index.js';
import { DUCKDB } from '../../src/sql/dialect.js';
import { generateDataset, mulberry32 } from '../dataset.js';
import { seedCases, useLoadedCases } from '../seed-cases.js';
import { TIMEZONES } from '../trends/random-queries.js';
import { randomFunnel } from './random-funnels.js';

// The greedy-chain strategy (sql/duckdb/funnels-fast.ts) against the general walk on the same
// plans, field by field (counts and exact mean/median times), on 60 generated seeds; and the
// planner picks it exactly for ordered steps funnels without exclusions, held properties, or
// step/all-events attribution. The reference comparison (funnels-random.test.ts) covers both.

const NOW = Date.parse('2024-06-01T12:00:00Z');
const ORDERS = ['ordered', 'strict', 'unordered'] as const;

const cases = seedCases({ count: 60, firstSeed: 201 }, (seed) => {
  const timezone = TIMEZONES[seed % TIMEZONES.length] as string;
  return {
    timezone,
    dataset: generateDataset(seed, {
      timezone,
      events: 1500 + ((seed * 137) % 2000),
      persons: 12 + (seed % 30),
      tenants: 3 + (seed % 4),
    }),
  };
});

const db = useLoadedCases(cases);

const compared = { greedy: 0, converted: 0 };

describe('funnels: the greedy chain equals the general walk', () => {
  it.each(cases)('seed $seed ($timezone)', async (c) => {
    const rng = mulberry32(c.seed * 104_729);
    for (let q = 0; q < 8; q++) {
      // Mostly qualifying funnels; some others to check the planner keeps them on the walk.
      const qualifying = q < 6;
      const { query } = randomFunnel(rng, c.timezone, {
        orders: qualifying ? ['ordered'] : ORDERS,
        exclusions: !qualifying,
        breakdown: q % 2 === 1,
        holdConstant: !qualifying && rng() < 0.5,
      });
      const node = parseQuery(query);
      if (node.kind !== 'FunnelsQuery') throw new Error('not a funnel query');
      const funnel = normalizeFunnel(node, {
        projectId: c.projectId,
        timezone: c.timezone,
        nowMs: NOW,
        weekStartDay: DEFAULT_WEEK_START_DAY,
      });
      const plan = planFunnel(funnel);
      const label = `seed ${c.seed} query ${q}: ${JSON.stringify(query)}`;
      const attribution = funnel.breakdown?.attribution.kind;
      const expected =
        funnel.order === 'ordered' &&
        funnel.exclusions.length === 0 &&
        funnel.holdConstant.length === 0 &&
        attribution !== 'step' &&
        attribution !== 'all_events';
      expect(plan.statement.strategy, label).toBe(expected ? 'greedy_chain' : 'walk');
      expect(isGreedyChainFunnel(funnel), label).toBe(expected);
      if (!expected) continue;
      const run = async (strategy: FunnelStrategy) => {
        const sql = DUCKDB.funnels({ ...plan.statement, strategy });
        return shapeFunnel(plan, await db().runner(sql.sql, sql.params));
      };
      const greedy = await run('greedy_chain');
      expect(greedy, label).toEqual(await run('walk'));
      compared.greedy += 1;
      const lists = (funnel.breakdown === null ? [greedy] : greedy) as Array<
        Array<{ count: number }>
      >;
      if (lists.some((steps) => (steps.at(-1)?.count ?? 0) > 0)) compared.converted += 1;
    }
  });

  it('compared mostly funnels with converters', () => {
    expect(compared.greedy).toBeGreaterThan(cases.length * 4);
    expect(compared.converted / compared.greedy).toBeGreaterThan(0.3);
  });
});
