// The demo's "New ticket form" experiment end to end: the simulator sets up the flag and the
// experiment in a real Tally (in this process, on a port), the PSA asks the flag through its SDK
// when a ticket is submitted, the simulator gives new-form tickets their known effect
// (NEW_TICKET_FORM_SESSIONS_FACTOR), and Tally's results recover it.
//
// Sample size: the unit is the tenant, and a few busy tenants with long queues dominate the
// time-to-resolution ratio, so the run needs enough tenants and enough days for queues to
// differ. Measured (chance to win of the new form, seeds 1-10): 28 days x 80 tenants won 10/10,
// lowest 0.9915 (seed 9), effect -35% to -63%; 28 x 48 won 9/10 (seed 9: 0.81); 21 x 64 won
// 4/5 (seed 5: 0.88). A simulation of about 50 s on two cores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../server/src/server.js';
import { API_KEY, openTestTally, TOKEN } from '../../server/test/helpers.js';
import {
  DEMO_EXPERIMENT_NAME,
  type SimulationResult,
  setUpDemoExperiment,
  simulate,
} from '../src/index.js';

const DAYS = 28;
const TENANTS = 80;
const SEED = 1;
const DAY_MS = 86_400_000;

type Tally = Awaited<ReturnType<typeof openTestTally>>;

async function serve(tally: Tally) {
  const { server, url } = await listen(tally.app, 0, '127.0.0.1');
  return {
    url,
    close: async () => {
      await new Promise<void>((done) => server.close(() => done()));
      await tally.close();
    },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: the tests read the answers by their shape
async function get(url: string): Promise<any> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${API_KEY}` } });
  expect(response.status).toBe(200);
  return response.json();
}

describe('the "New ticket form" demo experiment', () => {
  let tally: Awaited<ReturnType<typeof serve>>;
  let result: SimulationResult;
  const startDate = new Date(Math.floor(Date.now() / DAY_MS - DAYS - 1) * DAY_MS);

  beforeAll(async () => {
    tally = await serve(await openTestTally());
    result = await simulate({
      seed: SEED,
      days: DAYS,
      tenants: TENANTS,
      tallyUrl: tally.url,
      token: TOKEN,
      apiKey: API_KEY,
      startDate,
    });
  }, 300_000);
  afterAll(async () => {
    await tally?.close();
  });

  it('sets up the tenant-bucketed 50/50 flag and the experiment, started on the first day', async () => {
    const experiment = result.experiment;
    if (experiment === undefined) throw new Error('the run had an API key: expected an experiment');
    const base = `${tally.url}/api/projects/${experiment.projectId}`;
    const flag = await get(`${base}/feature_flags/${experiment.flagId}`);
    expect(flag).toMatchObject({
      key: 'new-ticket-form',
      filters: {
        aggregation_group_type_index: 0,
        multivariate: {
          variants: [
            { key: 'control', rollout_percentage: 50 },
            { key: 'test', rollout_percentage: 50 },
          ],
        },
      },
    });
    const stored = await get(`${base}/experiments/${experiment.experimentId}`);
    expect(stored).toMatchObject({
      name: DEMO_EXPERIMENT_NAME,
      feature_flag_key: 'new-ticket-form',
      status: 'running',
      start_date: startDate.toISOString(),
      parameters: { minimum_exposed_units: TENANTS / 4 },
    });
    expect(stored.metrics[0]).toMatchObject({ kind: 'ratio', lower_is_better: true });
  });

  it('recovers the known effect: shorter time to resolution, chance to win above 95%', async () => {
    const experiment = result.experiment;
    if (experiment === undefined) throw new Error('the run had an API key: expected an experiment');
    const results = await get(experiment.resultsUrl);
    const { control, test } = results.exposures;
    expect(control).toBeGreaterThanOrEqual(TENANTS / 4);
    expect(test).toBeGreaterThanOrEqual(TENANTS / 4);
    expect(results.exposures.$multiple).toBe(0);
    expect(results.srm.warn).toBe(false);
    expect(results.minimum_sample.enough).toBe(true);
    const [resolution] = results.metrics;
    const [controlValue, testValue] = resolution.variants.map((v: { value: number }) => v.value);
    expect(testValue).toBeLessThan(controlValue);
    const comparison = resolution.comparisons[0];
    expect(comparison.variant).toBe('test');
    expect(comparison.effect.estimate).toBeLessThan(0);
    expect(comparison.bayesian.chanceToWin).toBeGreaterThan(0.95);
    expect(comparison.verdict.status).toBe('won');
  });

  it('reuses the flag and the experiment when set up again on the same Tally', async () => {
    const again = await setUpDemoExperiment({
      tallyUrl: tally.url,
      apiKey: API_KEY,
      token: TOKEN,
      tenants: TENANTS,
      startMs: startDate.getTime() + DAY_MS,
    });
    expect(again).toEqual(result.experiment);
  });
});

describe('setting up the demo experiment', () => {
  it("stops with Tally's 400 when the flag's key holds a flag without variants", async () => {
    const tally = await serve(await openTestTally());
    try {
      const flag = await fetch(`${tally.url}/api/projects/1/feature_flags`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          key: 'new-ticket-form',
          filters: { groups: [{ properties: [], rollout_percentage: 100 }] },
        }),
      });
      expect(flag.status).toBe(201);
      await expect(
        setUpDemoExperiment({
          tallyUrl: tally.url,
          apiKey: API_KEY,
          token: TOKEN,
          tenants: 24,
          startMs: Date.now() - 7 * DAY_MS,
        }),
      ).rejects.toThrow(
        'experiment setup: POST /api/projects/1/experiments answered 400 invalid_body feature_flag_key',
      );
    } finally {
      await tally.close();
    }
  });
});
