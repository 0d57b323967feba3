import { psaCatalog } from '@tally/catalog';
import { createTestAnalytics } from '@tally/sdk/testing';
import { describe, expect, it } from 'vitest';
import { InstrumentError } from '../errors.js';
import {
  createHttpCore,
  EMITS_KEPT_REQUEST,
  EMITS_REQUEST,
  EMITS_SLOW_QUERY,
  type RequestOutcome,
} from './core.js';
import { createHttpInstrumentation } from './instrumentation.js';
import { resolveHttpOptions } from './options.js';

const makeOutcome = (overrides: Partial<RequestOutcome> = {}): RequestOutcome => ({
  method: 'GET',
  template: '/tickets/:id',
  rawPath: '/tickets/4711',
  status: 200,
  durationMs: 12.345,
  request: {},
  hasError: false,
  ...overrides,
});

function setup(options: Parameters<typeof resolveHttpOptions>[0] = {}) {
  const analytics = createTestAnalytics({ catalog: psaCatalog });
  const core = createHttpCore(analytics, resolveHttpOptions({ random: () => 0.5, ...options }));
  return { analytics, core };
}

describe('HTTP core', () => {
  it('keeps every 4xx with sample_rate 1, samples fast 2xx and 3xx', () => {
    const { analytics, core } = setup({ sampleRate: 0.2 });
    core.record(makeOutcome({ status: 401 }));
    core.record(makeOutcome({ status: 200 }));
    core.record(makeOutcome({ status: 304 }));
    expect(analytics.events.map((e) => [e.properties.status, e.properties.sample_rate])).toEqual([
      [401, 1],
    ]);
  });

  it('decides from status, duration and error alone, drawing once per sampled candidate', () => {
    const draws: number[] = [0.05, 0.5];
    let drawn = 0;
    const { analytics, core } = setup({
      sampleRate: 0.1,
      random: () => {
        drawn++;
        return draws.shift() ?? 0.9;
      },
    });
    expect(core.emits(200, 10, false)).toBe(EMITS_REQUEST); // 0.05 < 0.1
    expect(core.emits(200, 10, false)).toBe(0); // 0.5: sampled out
    expect(drawn).toBe(2);
    expect(core.emits(404, 10, false)).toBe(EMITS_KEPT_REQUEST);
    expect(core.emits(200, 10, true)).toBe(EMITS_KEPT_REQUEST);
    expect(core.emits(200, 1_500, false)).toBe(EMITS_KEPT_REQUEST);
    expect(core.emits(200, 2_500, false)).toBe(EMITS_KEPT_REQUEST | EMITS_SLOW_QUERY);
    expect(drawn).toBe(2); // kept requests draw nothing
    // A sampled-out request records nothing, even handed an outcome.
    core.record(makeOutcome(), 0);
    expect(analytics.events).toEqual([]);
    core.record(makeOutcome({ durationMs: 2_500 }), EMITS_SLOW_QUERY);
    expect(analytics.events.map((e) => e.event)).toEqual(['slow_query']);
  });

  it('sums 1 / sample_rate back to the number of requests', () => {
    let i = 0;
    const { analytics, core } = setup({ sampleRate: 0.05, random: () => (i++ % 100) / 100 });
    for (let n = 0; n < 1000; n++) core.record(makeOutcome({ status: n % 10 === 0 ? 500 : 200 }));
    const estimate = analytics.events.reduce(
      (sum, e) => sum + 1 / Number(e.properties.sample_rate),
      0,
    );
    expect(analytics.events.length).toBe(100 + 45); // every 500, and 5% of the 900 fast 200s
    expect(estimate).toBeCloseTo(1000, 6);
  });

  it('keeps every request at sampleRate 1, with its duration rounded to 0.01 ms', () => {
    const { analytics, core } = setup({ sampleRate: 1 });
    core.record(makeOutcome({ method: 'delete' }));
    analytics.expectEvent('api_request', { method: 'DELETE', duration_ms: 12.35, sample_rate: 1 });
  });

  it('records nothing for a method outside the catalog (PROPFIND) or a status outside 100-599', () => {
    const { analytics, core } = setup({ sampleRate: 1 });
    core.record(makeOutcome({ method: 'PROPFIND' }));
    core.record(makeOutcome({ status: 0 }));
    expect(analytics.events).toEqual([]);
  });

  it('is_slow strictly above slowRequestMs; slow_query strictly above slowQueryMs', () => {
    const { analytics, core } = setup({ slowRequestMs: 100, slowQueryMs: 300 });
    core.record(makeOutcome({ durationMs: 100 }));
    core.record(makeOutcome({ durationMs: 300 }));
    core.record(makeOutcome({ durationMs: 301 }));
    expect(analytics.events.map((e) => [e.event, e.properties.duration_ms])).toEqual([
      ['api_request', 300],
      ['api_request', 301],
      ['slow_query', 301],
    ]);
  });

  it('treats a throwing identify as anonymous and hands its error to onError', () => {
    const errors: unknown[] = [];
    const boom = new Error('no session');
    const { analytics, core } = setup({
      sampleRate: 1,
      identify: () => {
        throw boom;
      },
      onError: (error) => errors.push(error),
    });
    core.record(makeOutcome());
    analytics.expectEvent('api_request', { has_auth: false });
    expect(errors).toEqual([boom]);
  });

  it('calls identify only for a request that emits, preferring the adapter identify', () => {
    const seen: unknown[] = [];
    const { analytics, core } = setup({
      sampleRate: 0.1,
      identify: () => {
        throw new Error('not this one');
      },
    });
    const request = { user: 'u-3' };
    const identify = (r: typeof request) => {
      seen.push(r);
      return { distinctId: r.user };
    };
    core.record(makeOutcome({ request, identify: identify as never }));
    expect(seen).toEqual([]);
    core.record(makeOutcome({ request, identify: identify as never, status: 404 }));
    expect(seen).toEqual([request]);
    expect(analytics.expectEvent('api_request', { route: '/tickets/:id' }).distinct_id).toBe('u-3');
  });

  it('templates the raw path when no route matched', () => {
    const { analytics, core } = setup({ sampleRate: 1 });
    core.record(makeOutcome({ template: undefined, rawPath: '/tickets/4711?q=dana@example.com' }));
    analytics.expectEvent('api_request', { route: '/tickets/:id' });
    analytics.expectNoPII(['dana@example.com', '4711']);
  });
});

describe('createHttpInstrumentation options', () => {
  const analytics = createTestAnalytics({ catalog: psaCatalog });
  it.each([
    [{ sampleRate: 0 }, 'sampleRate'],
    [{ sampleRate: 1.5 }, 'sampleRate'],
    [{ slowRequestMs: -1 }, 'slowRequestMs'],
    [{ slowQueryMs: 1.5 }, 'slowQueryMs'],
    [{ random: 0.5 }, 'random'],
    [{ sampleRat: 0.1 }, 'sampleRat'],
  ])('refuses %j, naming %s', (options, key) => {
    expect(() => createHttpInstrumentation(analytics, options as never)).toThrow(InstrumentError);
    expect(() => createHttpInstrumentation(analytics, options as never)).toThrow(key);
  });

  it('freezes the resolved options', () => {
    const http = createHttpInstrumentation(analytics, { sampleRate: 0.5 });
    expect(Object.isFrozen(http.core.options)).toBe(true);
    expect(http.core.options.sampleRate).toBe(0.5);
  });
});
