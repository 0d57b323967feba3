import { describe, expect, it } from 'vitest';
import { createCounters } from '../counters.js';
import type { SdkError } from '../errors.js';
import { postBatch } from './post.js';
import type { TransportConfig, TransportContext, TransportHooks } from './types.js';

// Fake clock: sleep records the delay and resolves at once; fetch plays a script of answers.
type Step = number | { status: number; headers?: Record<string, string> } | Error;

const NOW = Date.parse('2026-01-02T03:04:05.000Z');

function setup(
  script: Step[],
  config: Partial<TransportConfig> = {},
  hooks: Partial<TransportHooks> = {},
) {
  const delays: number[] = [];
  const bodies: Uint8Array[] = [];
  const errors: SdkError[] = [];
  const fetch: typeof globalThis.fetch = async (_input, init) => {
    bodies.push(init?.body as Uint8Array);
    const step = script.shift();
    if (step === undefined) throw new Error('fetch called more often than scripted');
    if (step instanceof Error) throw step;
    const { status, headers = {} } = typeof step === 'number' ? { status: step } : step;
    // 204 and 304 must not have a body; others carry one so the transport has to cancel it.
    return new Response(status === 204 || status === 304 ? null : 'body', { status, headers });
  };
  const context: TransportContext = {
    config: {
      host: 'https://collector.test',
      token: 'phc_test',
      maxBatchSize: 100,
      maxBatchBytes: 1_000_000,
      gzip: true,
      maxRetries: 3,
      retryBaseMs: 100,
      retryMaxMs: 30_000,
      requestTimeoutMs: 10_000,
      spoolDir: undefined,
      maxSpoolBytes: 1_000_000,
      userAgent: 'tally-sdk/test',
      ...config,
    },
    hooks: {
      fetch,
      now: () => NOW,
      sleep: async (ms) => {
        delays.push(ms);
      },
      random: () => 0.5,
      ...hooks,
    },
    counters: createCounters(),
    onError: (error) => errors.push(error),
  };
  return { context, delays, bodies, errors };
}

const BODY = new Uint8Array([1, 2, 3, 4]);

describe('postBatch', () => {
  it('retries a network error with exponential, jittered delays, then succeeds', async () => {
    const { context, delays, bodies } = setup([
      new TypeError('fetch failed'),
      new TypeError('fetch failed'),
      new TypeError('fetch failed'),
      200,
    ]);
    expect(await postBatch(context, BODY, 3)).toEqual({ kind: 'sent' });
    // random() = 0.5 of windows 100, 200, 400.
    expect(delays).toEqual([50, 100, 200]);
    expect(context.counters.retries).toBe(3);
    expect(bodies).toHaveLength(4);
  });

  it('keeps every delay inside its jitter window', async () => {
    const script = [503, 503, 503, 503, 503, 503, 200];
    const { context, delays } = setup(script, { retryMaxMs: 1000 }, { random: () => 0.999 });
    await postBatch(context, BODY, 6);
    const windows = [100, 200, 400, 800, 1000, 1000];
    delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(windows[i] ?? 0);
    });
  });

  it('waits at least Retry-After seconds on a 503', async () => {
    const { context, delays } = setup([{ status: 503, headers: { 'Retry-After': '7' } }, 200]);
    expect(await postBatch(context, BODY, 3)).toEqual({ kind: 'sent' });
    expect(delays[0]).toBeGreaterThanOrEqual(7000);
  });

  it('honours an HTTP-date Retry-After on a 429', async () => {
    const retryAt = new Date(NOW + 12_000).toUTCString();
    const { context, delays } = setup([{ status: 429, headers: { 'Retry-After': retryAt } }, 204]);
    expect(await postBatch(context, BODY, 3)).toEqual({ kind: 'sent' });
    expect(delays).toEqual([12_000]);
  });

  it('does not retry a 400 and reports it as rejected', async () => {
    const { context, delays } = setup([400]);
    expect(await postBatch(context, BODY, 3)).toEqual({ kind: 'rejected', status: 400 });
    expect(delays).toEqual([]);
  });

  it('treats an unfollowed 3xx as rejected, not delivered', async () => {
    const { context } = setup([304]);
    expect(await postBatch(context, BODY, 3)).toEqual({ kind: 'rejected', status: 304 });
  });

  it('returns too_large on 413 without retrying the same bytes', async () => {
    const { context, delays } = setup([413]);
    expect(await postBatch(context, BODY, 3)).toEqual({ kind: 'too_large' });
    expect(delays).toEqual([]);
  });

  it('sends the identical body bytes on every attempt', async () => {
    const { context, bodies } = setup([500, new TypeError('fetch failed'), 408, 200]);
    await postBatch(context, BODY, 3);
    expect(bodies).toHaveLength(4);
    for (const body of bodies) expect(Buffer.compare(Buffer.from(body), Buffer.from(BODY))).toBe(0);
  });

  it('fails with http_error after maxRetries retries of a 5xx', async () => {
    const { context, delays } = setup([502, 502, 502]);
    const outcome = await postBatch(context, BODY, 2);
    expect(outcome.kind).toBe('failed');
    expect(outcome.kind === 'failed' && [outcome.error.code, outcome.error.detail]).toEqual([
      'http_error',
      'status 502',
    ]);
    expect(delays).toHaveLength(2);
    expect(context.counters.retries).toBe(2);
  });

  it('aborts a request after requestTimeoutMs and reports a network_error timeout', async () => {
    // Hangs until the transport's AbortSignal fires, like a collector that never answers.
    const fetch: typeof globalThis.fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    const { context } = setup([], { requestTimeoutMs: 20 }, { fetch });
    const outcome = await postBatch(context, BODY, 0);
    expect(outcome.kind === 'failed' && [outcome.error.code, outcome.error.detail]).toEqual([
      'network_error',
      'timeout after 20 ms',
    ]);
  });
});
