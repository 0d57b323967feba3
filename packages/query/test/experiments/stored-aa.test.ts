import { evaluateFlag, type FlagEnvironment, flagDefinitionSchema } from '@tally/flags';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ExperimentResults,
  flagBinding,
  parseExperimentDefinition,
  resolveVariants,
  runExperimentResults,
  experimentStats as s,
} from '../../src/index.js';
import type { Dataset, RefEvent, RefGroup, RefPerson } from '../dataset.js';
import { mulberry32 } from '../dataset.js';
import { uuid } from '../dataset-psa.js';
import { seedCases, useLoadedCases } from '../seed-cases.js';
import { binomialInterval } from './binomial.js';

// Issue 6, Done-when (A/A): 200 experiments with no true effect, each its own project, sent
// through the product's whole path: tenants bucketed by the real flag (`evaluateFlag`), their
// exposures and outcome events appended to the DuckDB store as ingestion appends them, and the
// results computed by `runExperimentResults` (exposure SQL, metric SQL, statistics, verdicts).
// Both variants' outcomes come from one distribution. SRM warnings must stay rare and the
// decisive verdicts of both engines at their nominal rates (99% binomial bounds, never observed
// counts).

const SEEDS = 200;
/** ~150 tenants per variant: over the default minimum sample of 100 in every seed. */
const TENANTS = 300;
const DAY_MS = 86_400_000;
const START_MS = Date.parse('2024-05-06T00:00:00Z');
const END_MS = START_MS + 28 * DAY_MS;
const FLAG_KEY = 'new-ticket-form';
const ALPHA = 0.05;

const FILTERS = {
  aggregation_group_type_index: 0,
  groups: [{ properties: [], rollout_percentage: 100 }],
  multivariate: {
    variants: [
      { key: 'control', rollout_percentage: 50 },
      { key: 'test', rollout_percentage: 50 },
    ],
  },
};
const flag = flagDefinitionSchema.parse({ id: 1, key: FLAG_KEY, active: true, filters: FILTERS });
const env: FlagEnvironment = { groupTypeMapping: { '0': 'tenant' }, cohorts: {}, flags: [flag] };

const definition = parseExperimentDefinition({
  name: 'A/A: new ticket form',
  feature_flag_key: FLAG_KEY,
  metrics: [
    { kind: 'proportion', name: 'invoiced', event: 'invoice_sent' },
    { kind: 'count', name: 'tickets resolved', event: 'ticket_resolved' },
    {
      kind: 'ratio',
      name: 'time to resolution',
      lower_is_better: true,
      numerator: { event: 'ticket_resolved', property: 'time_to_resolution_minutes' },
      denominator: { event: 'ticket_resolved' },
    },
  ],
});
const METRIC_NAMES = definition.metrics.map((m) => m.name ?? m.kind);

/**
 * One experiment: each tenant has one or two users; one of them sees the form (the exposure)
 * in the first week, then the tenant resolves 0-6 tickets (lognormal minutes, median 8 h) and
 * sends an invoice with probability 0.3. Nothing depends on the variant.
 */
function experimentDataset(seed: number): Dataset {
  const rng = mulberry32(seed * 2_654_435 + 17);
  const events: RefEvent[] = [];
  const persons: RefPerson[] = [];
  const groups: RefGroup[] = [];
  for (let i = 0; i < TENANTS; i++) {
    const tenant = `tenant-${seed}-${i}`;
    groups.push({ groupTypeIndex: 0, groupKey: tenant, properties: {}, createdAtMs: START_MS });
    const users = Array.from({ length: 1 + Math.floor(rng() * 2) }, (_, u) => {
      const person: RefPerson = {
        id: uuid(rng),
        distinctIds: [`user-${seed}-${i}-${u}`],
        properties: {},
        createdAtMs: START_MS,
      };
      persons.push(person);
      return person;
    });
    const event = (name: string, at: number, properties: Record<string, unknown>) => {
      const person = users[Math.floor(rng() * users.length)] as RefPerson;
      events.push({
        uuid: uuid(rng),
        event: name,
        distinctId: person.distinctIds[0] as string,
        personId: person.id,
        timestampMs: at,
        properties,
        groups: [tenant, null, null, null, null],
      });
    };
    const answer = evaluateFlag(
      flag,
      { distinctId: `user-${seed}-${i}-0`, groups: { tenant } },
      env,
    );
    if (answer.inconclusive) throw new Error(`no flag answer for ${tenant}`);
    const exposedAt = START_MS + Math.floor(rng() * 7 * DAY_MS);
    event('$feature_flag_called', exposedAt, {
      $feature_flag: FLAG_KEY,
      $feature_flag_response: answer.value,
    });
    const later = () => exposedAt + Math.floor(rng() * (END_MS - exposedAt));
    for (let k = Math.floor(rng() * 7); k > 0; k--) {
      // Box–Muller; 1 − u keeps the logarithm finite.
      const normal = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
      const minutes = Math.round(Math.exp(Math.log(480) + 0.8 * normal));
      event('ticket_resolved', later(), { time_to_resolution_minutes: minutes });
    }
    if (rng() < 0.3) event('invoice_sent', later(), {});
  }
  return { events, persons, groups };
}

const cases = seedCases({ count: SEEDS }, (seed) => ({ dataset: experimentDataset(seed) }));
const db = useLoadedCases(cases);

const summary: Array<{ measure: string; observed: string; expected: string }> = [];
afterAll(() => {
  console.log(`A/A experiments through stored events (issue 6), ${SEEDS} seeds:`);
  console.table(summary);
});

describe('A/A experiments through stored events, 200 seeds (issue 6)', () => {
  const results: ExperimentResults[] = [];

  it('computes every experiment from the store', async () => {
    const binding = flagBinding(FILTERS);
    for (const c of cases) {
      results.push(
        await runExperimentResults({
          projectId: c.projectId,
          flagKey: FLAG_KEY,
          flag: binding,
          variants: resolveVariants(definition.parameters, binding),
          parameters: definition.parameters,
          metrics: definition.metrics,
          startMs: START_MS,
          endMs: END_MS,
          runner: db().runner,
        }),
      );
    }
    // Every tenant exposed once, in one variant, and enough of them in both.
    for (const r of results) {
      expect((r.exposures.control ?? 0) + (r.exposures.test ?? 0)).toBe(TENANTS);
      expect(r.exposures.$multiple).toBe(0);
      expect(r.minimum_sample.enough).toBe(true);
    }
  }, 300_000);

  it('rarely warns of a sample ratio mismatch', () => {
    const warnings = results.filter((r) => r.srm?.warn === true).length;
    summary.push({
      measure: 'SRM warnings (p < 0.001)',
      observed: `${warnings}/${SEEDS}`,
      expected: 'about 0.1%, at most 2',
    });
    expect(results).toHaveLength(SEEDS);
    expect(warnings).toBeLessThanOrEqual(2);
  });

  it.each(METRIC_NAMES.map((name, metric) => ({ name, metric })))(
    'keeps false decisions on $name at the nominal rates',
    ({ name, metric }) => {
      expect(results).toHaveLength(SEEDS);
      const comparisons = results.map((r) => {
        const comparison = r.metrics[metric]?.comparisons[0];
        if (comparison?.frequentist == null || comparison.bayesian == null)
          throw new Error(`${name}: no comparison in ${JSON.stringify(r.metrics[metric])}`);
        return comparison;
      });
      const positives = comparisons.filter((c) => (c.frequentist?.pValue ?? 1) < ALPHA).length;
      // The Bayesian engine's verdict (the default): CTW ≥ 0.95 won, ≤ 0.05 lost. With no
      // effect each is a one-sided 5% rule.
      const won = comparisons.filter((c) => c.verdict.status === 'won').length;
      const decisive = comparisons.filter(
        (c) => c.verdict.status === 'won' || c.verdict.status === 'lost',
      ).length;
      const [pLower, pUpper] = binomialInterval(SEEDS, ALPHA);
      const [wLower, wUpper] = binomialInterval(SEEDS, 1 - s.DEFAULT_WIN_THRESHOLD);
      const [dLower, dUpper] = binomialInterval(
        SEEDS,
        1 - s.DEFAULT_WIN_THRESHOLD + s.DEFAULT_LOSE_THRESHOLD,
      );
      summary.push(
        { measure: `${name}: p < 0.05`, observed: `${positives}`, expected: `${pLower}-${pUpper}` },
        { measure: `${name}: Bayesian won`, observed: `${won}`, expected: `${wLower}-${wUpper}` },
        {
          measure: `${name}: Bayesian won or lost`,
          observed: `${decisive}`,
          expected: `${dLower}-${dUpper}`,
        },
      );
      expect(positives).toBeGreaterThanOrEqual(pLower);
      expect(positives).toBeLessThanOrEqual(pUpper);
      expect(won).toBeGreaterThanOrEqual(wLower);
      expect(won).toBeLessThanOrEqual(wUpper);
      expect(decisive).toBeGreaterThanOrEqual(dLower);
      expect(decisive).toBeLessThanOrEqual(dUpper);
    },
  );
});
