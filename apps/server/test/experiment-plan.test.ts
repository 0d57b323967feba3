import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tally } from '../src/server.js';
import { API_KEY, openTestTally } from './helpers.js';

// The experiment planner: sample size and days for an effect, or the effect a size can detect.
// Expected values computed independently with Python's statistics.NormalDist:
// n = ceil(2 (z_0.975 + z_0.8)^2 sigma^2 / mde^2), z sum = 2.8015851.

let tally: Tally;
beforeAll(async () => {
  tally = await openTestTally();
});
afterAll(async () => {
  await tally.close();
});

async function plan(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await tally.app.request('/api/projects/1/experiments/plan', {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('POST /api/projects/:id/experiments/plan', () => {
  it('sizes a conversion experiment and says how many days it takes', async () => {
    const { status, json } = await plan({
      metric: 'proportion',
      baseline_rate: 0.3,
      mde: 0.03,
      entrants_per_day: 40,
    });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      sample_size_per_variant: 3663,
      total_sample_size: 7326,
      days_needed: 184,
      alpha: 0.05,
      power: 0.8,
    });
    expect(json.relative_mde).toBeCloseTo(0.1, 12);
  });

  it('sizes a mean metric by a relative effect', async () => {
    const { json } = await plan({ metric: 'mean', mean: 20, variance: 100, relative_mde: 0.1 });
    expect(json).toMatchObject({ sample_size_per_variant: 393, mde: 2, days_needed: null });
  });

  it('answers the detectable effect for a given size', async () => {
    const { json } = await plan({
      metric: 'proportion',
      baseline_rate: 0.3,
      sample_size_per_variant: 5000,
    });
    expect(json.mde as number).toBeCloseTo(0.025676952655744083, 9);
    expect(json.relative_mde as number).toBeGreaterThan(0.025676952655744083 / 0.3);
  });

  it('refuses bad input with 400 naming the field', async () => {
    for (const [body, attr] of [
      [{ metric: 'proportion', baseline_rate: 1.5, mde: 0.1 }, 'baseline_rate'],
      [
        { metric: 'proportion', baseline_rate: 0.3 },
        'mde (or relative_mde, or sample_size_per_variant)',
      ],
      [{ metric: 'mean', mean: 0, variance: 1, mde: 1 }, 'mean'],
      [{ metric: 'median', mde: 1 }, 'metric'],
      [{ metric: 'proportion', baseline_rate: 0.3, mde: 0.1, power: 1 }, 'power'],
    ] as const) {
      const { status, json } = await plan(body);
      expect(status, JSON.stringify(body)).toBe(400);
      expect(json.attr).toBe(attr);
    }
  });
});
