// The same seed gives the same run: every PSA request, response status and generated person.
// Opted out (ALGA_USAGE_STATS=false), so no Tally is needed: the SDK captures nothing.
import { describe, expect, it } from 'vitest';
import { simulate } from '../src/index.js';

const run = (seed: number) =>
  simulate({
    seed,
    days: 4,
    tenants: 3,
    tallyUrl: 'http://127.0.0.1:9',
    token: 'phc_unusedtoken0001',
    startDate: '2026-03-02',
    env: { ALGA_USAGE_STATS: 'false' },
  });

describe('simulate', () => {
  it('repeats a run exactly for the same seed, and differs for another', async () => {
    const a = await run(5);
    const b = await run(5);
    const c = await run(6);
    expect(a.requests).toBeGreaterThan(50);
    expect(b).toEqual(a);
    expect(c.pii).not.toEqual(a.pii);
    expect(a.sdk.captured).toBe(0);
    // No API key: no experiment, every tenant on the classic ticket form.
    expect(a.experiment).toBeUndefined();
  }, 120_000);

  it('names the bad option without echoing its value', async () => {
    await expect(
      simulate({
        tallyUrl: 'http://127.0.0.1:9',
        token: 'not a token!',
        startDate: '2026-03-02',
      }),
    ).rejects.toThrow(/^token: /);
    await expect(
      simulate({ tallyUrl: 'x', token: 'phc_unusedtoken0001', startDate: '2026-03-02' }),
    ).rejects.toThrow(/^tallyUrl: /);
    await expect(
      simulate({
        tallyUrl: 'http://127.0.0.1:9',
        token: 'phc_unusedtoken0001',
        startDate: '2026-03-02',
        days: 0,
      }),
    ).rejects.toThrow(/^days: /);
  });
});
