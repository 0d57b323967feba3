import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createCounters } from '../counters.js';
import type { SdkError } from '../errors.js';
import { createTransport } from './index.js';
import type { TransportConfig, TransportContext, WireEvent } from './types.js';

type Step = number | Error;
interface Call {
  readonly url: string;
  readonly method: string | undefined;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

const NOW = Date.parse('2026-01-02T03:04:05.678Z');

const makeEvent = (i: number, overrides: Partial<WireEvent> = {}): WireEvent => ({
  event: 'ticket_created',
  distinct_id: 'user_1',
  uuid: `0194c8a0-0000-7000-8000-${String(i).padStart(12, '0')}`,
  timestamp: '2026-01-02T03:04:00.000Z',
  properties: { priority: 'high', $lib: 'tally-node' },
  ...overrides,
});

interface SetupOptions {
  readonly now?: () => number;
  readonly onError?: (error: SdkError) => void;
}

function setup(script: Step[], config: Partial<TransportConfig> = {}, options: SetupOptions = {}) {
  const calls: Call[] = [];
  const delays: number[] = [];
  const errors: SdkError[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    calls.push({
      url: String(input),
      method: init?.method,
      headers: { ...(init?.headers as Record<string, string>) },
      body: Buffer.from(init?.body as Uint8Array),
    });
    const step = script.shift() ?? 200;
    if (step instanceof Error) throw step;
    return new Response(null, { status: step });
  };
  const context: TransportContext = {
    config: {
      host: 'https://collector.test',
      token: 'phc_secret_token',
      maxBatchSize: 100,
      maxBatchBytes: 500_000,
      gzip: true,
      maxRetries: 2,
      retryBaseMs: 100,
      retryMaxMs: 30_000,
      requestTimeoutMs: 10_000,
      spoolDir: undefined,
      maxSpoolBytes: 1_000_000,
      userAgent: 'tally-node/1.2.3',
      ...config,
    },
    hooks: {
      fetch,
      now: options.now ?? (() => NOW),
      sleep: async (ms) => void delays.push(ms),
      random: () => 0.5,
    },
    counters: createCounters(),
    onError: options.onError ?? ((error) => errors.push(error)),
  };
  return { transport: createTransport(context), counters: context.counters, calls, delays, errors };
}

/** The JSON a call carried, gunzipped when it says so, with the write token redacted. */
function decode(call: Call): { api_key: string; batch: WireEvent[]; sent_at: string } {
  const raw = call.headers['Content-Encoding'] === 'gzip' ? gunzipSync(call.body) : call.body;
  return { ...JSON.parse(raw.toString('utf8')), api_key: '<redacted>' };
}

const uuidsOf = (calls: readonly Call[]) =>
  calls.map((call) => decode(call).batch.map((e) => e.uuid));

let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  dirs = [];
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tally-spool-'));
  dirs.push(dir);
  return dir;
}

describe('createTransport: wire format', () => {
  it('POSTs a gzipped PostHog /batch/ body with a fixed sent_at and the headers', async () => {
    const { transport, calls, counters } = setup([200]);
    await transport.send([makeEvent(1), makeEvent(2, { event: 'ticket_resolved' })]);
    expect(calls).toHaveLength(1);
    const [call] = calls;
    if (call === undefined) throw new Error('no call');
    expect({ url: call.url, method: call.method, headers: call.headers }).toMatchInlineSnapshot(`
      {
        "headers": {
          "Content-Encoding": "gzip",
          "Content-Type": "application/json",
          "User-Agent": "tally-node/1.2.3",
        },
        "method": "POST",
        "url": "https://collector.test/batch/",
      }
    `);
    expect(decode(call)).toMatchInlineSnapshot(`
      {
        "api_key": "<redacted>",
        "batch": [
          {
            "distinct_id": "user_1",
            "event": "ticket_created",
            "properties": {
              "$lib": "tally-node",
              "priority": "high",
            },
            "timestamp": "2026-01-02T03:04:00.000Z",
            "uuid": "0194c8a0-0000-7000-8000-000000000001",
          },
          {
            "distinct_id": "user_1",
            "event": "ticket_resolved",
            "properties": {
              "$lib": "tally-node",
              "priority": "high",
            },
            "timestamp": "2026-01-02T03:04:00.000Z",
            "uuid": "0194c8a0-0000-7000-8000-000000000002",
          },
        ],
        "sent_at": "2026-01-02T03:04:05.678Z",
      }
    `);
    expect(counters.sent).toBe(2);
    // The snapshot sorts keys; the wire order is api_key, batch, sent_at.
    expect(Object.keys(JSON.parse(gunzipSync(call.body).toString('utf8')))).toEqual([
      'api_key',
      'batch',
      'sent_at',
    ]);
  });

  it('resends the identical body bytes, original sent_at included, on every retry', async () => {
    let clock = NOW;
    // The clock moves between attempts; the body must not.
    const now = () => (clock += 1000);
    const { transport, calls } = setup([503, new TypeError('fetch failed'), 200], {}, { now });
    await transport.send([makeEvent(1)]);
    expect(calls).toHaveLength(3);
    const [first, ...rest] = calls.map((call) => call.body);
    for (const body of rest) expect(Buffer.compare(body, first ?? Buffer.alloc(0))).toBe(0);
    expect(decode(calls[2] as Call).sent_at).toBe(new Date(NOW + 1000).toISOString());
  });

  it('sends plain JSON without Content-Encoding when gzip is off', async () => {
    const { transport, calls } = setup([200], { gzip: false });
    await transport.send([makeEvent(1)]);
    expect(calls[0]?.headers['Content-Encoding']).toBeUndefined();
    expect(JSON.parse(calls[0]?.body.toString('utf8') ?? '').api_key).toBe('phc_secret_token');
  });

  it('splits a send into batches of maxBatchSize events', async () => {
    const { transport, calls, counters } = setup([], { maxBatchSize: 2 });
    await transport.send([1, 2, 3, 4, 5].map((i) => makeEvent(i)));
    expect(uuidsOf(calls).map((uuids) => uuids.length)).toEqual([2, 2, 1]);
    expect(counters.sent).toBe(5);
  });
});

describe('createTransport: failures', () => {
  it('drops a batch the collector answers 400 to, without retrying, and reports it', async () => {
    const { transport, calls, counters, errors, delays } = setup([400]);
    await transport.send([makeEvent(1), makeEvent(2)]);
    expect(calls).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(counters).toMatchObject({ sent: 0, rejected: 2, errors: 1 });
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['batch_rejected', 'collector rejected a batch; it is not retried: status 400'],
    ]);
  });

  it('splits a batch in halves on 413 and sends each, without counting a failure', async () => {
    const { transport, calls, counters, errors } = setup([413, 200, 200]);
    await transport.send([1, 2, 3, 4].map((i) => makeEvent(i)));
    expect(uuidsOf(calls).map((uuids) => uuids.length)).toEqual([4, 2, 2]);
    expect(counters).toMatchObject({ sent: 4, rejected: 0, errors: 0 });
    expect(errors).toEqual([]);
  });

  it('drops a single event the collector answers 413 to', async () => {
    const { transport, counters, errors } = setup([413, 413, 200]);
    await transport.send([makeEvent(1), makeEvent(2)]);
    expect(counters).toMatchObject({ sent: 1, rejected: 1 });
    expect(errors.map((e) => e.detail)).toEqual(['status 413']);
  });

  it('drops an event larger than maxBatchBytes and sends the rest', async () => {
    const { transport, calls, counters, errors } = setup([200], { maxBatchBytes: 1000 });
    await transport.send([makeEvent(1, { properties: { blob: 'x'.repeat(2000) } }), makeEvent(2)]);
    expect(uuidsOf(calls)).toEqual([[makeEvent(2).uuid]]);
    expect(counters).toMatchObject({ sent: 1, rejected: 1 });
    expect(errors.map((e) => e.code)).toEqual(['batch_rejected']);
    expect(errors[0]?.message).not.toContain('xxx');
  });

  it('spools a batch after retries are exhausted, and the rest of the send untried', async () => {
    const spoolDir = await tempDir();
    const { transport, calls, counters, errors } = setup([503, 503, 503], {
      spoolDir,
      maxBatchSize: 2,
    });
    await transport.send([1, 2, 3, 4].map((i) => makeEvent(i)));
    expect(calls).toHaveLength(3); // 1 attempt + 2 retries of the first batch only
    expect(counters).toMatchObject({ sent: 0, retries: 2, spooled: 4, errors: 1 });
    expect(errors.map((e) => [e.code, e.detail])).toEqual([['http_error', 'status 503']]);
    expect(transport.spoolStats()).toMatchObject({ batches: 2, events: 4 });
    expect((await readdir(spoolDir)).filter((name) => name.endsWith('.json'))).toHaveLength(2);
  });

  it('drops and counts undelivered events when there is no spool', async () => {
    const down = new TypeError('fetch failed');
    const { transport, counters, errors } = setup([down, down, down]);
    await transport.send([makeEvent(1), makeEvent(2)]);
    expect(counters).toMatchObject({ sent: 0, droppedUndelivered: 2, spooled: 0, errors: 1 });
    expect(errors.map((e) => [e.code, e.detail])).toEqual([['network_error', 'fetch failed']]);
  });

  it('never rejects, even when the host onError throws', async () => {
    const onError = () => {
      throw new Error('host bug');
    };
    const { transport, counters } = setup([400], {}, { onError });
    await expect(transport.send([makeEvent(1)])).resolves.toBeUndefined();
    expect(counters).toMatchObject({ rejected: 1, errors: 1 });
  });
});

describe('createTransport: spool without network', () => {
  it('spool() and spoolSync() write files that spoolStats() counts', async () => {
    const spoolDir = await tempDir();
    const { transport, calls, counters } = setup([], { spoolDir });
    await transport.spool([makeEvent(1), makeEvent(2)]);
    transport.spoolSync([makeEvent(3)]);
    expect(calls).toEqual([]);
    expect(counters.spooled).toBe(3);
    const stats = transport.spoolStats();
    expect(stats).toMatchObject({ batches: 2, events: 3 });
    expect(stats.bytes).toBeGreaterThan(0);
  });

  it('counts spool() events as undelivered when there is no spool folder', async () => {
    const { transport, counters, errors } = setup([]);
    await transport.spool([makeEvent(1)]);
    transport.spoolSync([makeEvent(2)]);
    expect(counters.droppedUndelivered).toBe(2);
    expect(errors).toEqual([]);
    expect(transport.spoolStats()).toEqual({ batches: 0, events: 0, bytes: 0 });
  });
});

describe('createTransport: drainSpool', () => {
  it('drops a rejected spooled batch, goes on, and stamps a fresh sent_at', async () => {
    const spoolDir = await tempDir();
    let clock = NOW;
    const { transport, calls, counters } = setup(
      [400, 200],
      { spoolDir, maxBatchSize: 2 },
      { now: () => clock },
    );
    await transport.spool([1, 2, 3, 4].map((i) => makeEvent(i)));
    clock = NOW + 3_600_000; // an hour-long outage
    await transport.drainSpool();
    expect(counters).toMatchObject({ rejected: 2, sent: 2, unspooled: 2, errors: 1 });
    expect(decode(calls[1] as Call).sent_at).toBe(new Date(clock).toISOString());
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it('keeps only the undelivered half when a 413 split fails part-way', async () => {
    const spoolDir = await tempDir();
    const { transport, calls, counters, errors } = setup([413, 200, 503, 200], { spoolDir });
    await transport.spool([1, 2, 3, 4].map((i) => makeEvent(i)));
    await transport.drainSpool();
    expect(uuidsOf(calls).map((uuids) => uuids.length)).toEqual([4, 2, 2]);
    expect(counters).toMatchObject({ unspooled: 2, retries: 0 });
    expect(errors.map((e) => e.code)).toEqual(['http_error']);
    expect(transport.spoolStats()).toMatchObject({ batches: 1, events: 2 });
    await transport.drainSpool();
    expect(uuidsOf(calls).at(-1)).toEqual([makeEvent(3).uuid, makeEvent(4).uuid]);
    expect(counters.unspooled).toBe(4);
    expect(await readdir(spoolDir)).toEqual([]);
  });
});
