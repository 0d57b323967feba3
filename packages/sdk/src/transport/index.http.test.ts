import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCounters } from '../counters.js';
import type { SdkError } from '../errors.js';
import { createTransport } from './index.js';
import type { TransportContext, WireEvent } from './types.js';

// The spool against a real collector: real global fetch, a node:http server on port 0, real
// files. Only sleep is faked, so retries do not take seconds.

interface Collector {
  readonly host: string;
  /** Every uuid a 200 acknowledged, in arrival order, duplicates kept. */
  readonly received: string[];
  requests: number;
  isUp: boolean;
}

let server: Server;
let collector: Collector;
let spoolDir: string;

beforeEach(async () => {
  const state = { received: [] as string[], requests: 0, isUp: false };
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      state.requests += 1;
      if (!state.isUp) {
        res.writeHead(503, { 'Content-Type': 'text/plain' }).end('sink unavailable');
        return;
      }
      const raw = Buffer.concat(chunks);
      const json = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      const body = JSON.parse(json.toString('utf8')) as { batch: WireEvent[] };
      for (const event of body.batch) state.received.push(event.uuid);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"Ok"}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  collector = Object.assign(state, { host: `http://127.0.0.1:${port}` });
  spoolDir = await mkdtemp(join(tmpdir(), 'tally-spool-'));
});

afterEach(async () => {
  server.closeAllConnections();
  server.close();
  await rm(spoolDir, { recursive: true, force: true });
});

/** A host port nobody listens on: connections are refused, like a collector that is not running. */
async function closedPortHost(): Promise<string> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, 'close');
  return `http://127.0.0.1:${port}`;
}

/** One "process": a fresh transport (and counters) on the shared spool folder. */
function startProcess(host: string) {
  const errors: SdkError[] = [];
  const context: TransportContext = {
    config: {
      host,
      token: 'phc_test',
      maxBatchSize: 3,
      maxBatchBytes: 500_000,
      gzip: true,
      maxRetries: 2,
      retryBaseMs: 100,
      retryMaxMs: 1000,
      requestTimeoutMs: 5000,
      spoolDir,
      maxSpoolBytes: 10_000_000,
      userAgent: 'tally-node/test',
    },
    hooks: { fetch: globalThis.fetch, now: Date.now, sleep: async () => {}, random: () => 0.5 },
    counters: createCounters(),
    onError: (error) => errors.push(error),
  };
  return { transport: createTransport(context), counters: context.counters, errors };
}

let nextUuid = 0;
function makeEvents(count: number): WireEvent[] {
  return Array.from({ length: count }, () => ({
    event: 'ticket_created',
    distinct_id: 'user_1',
    uuid: `0194c8a0-0000-7000-8000-${String(++nextUuid).padStart(12, '0')}`,
    timestamp: new Date().toISOString(),
    properties: { priority: 'high' },
  }));
}

const sorted = (values: readonly string[]) => [...values].sort();

describe('transport spool across a collector outage and restarts', () => {
  it('delivers every spooled event exactly once after a restart', async () => {
    // Process 1: the collector answers 503.
    const first = startProcess(collector.host);
    const outage = makeEvents(7);
    await first.transport.send(outage);
    expect(collector.requests).toBe(3); // first batch: 1 attempt + 2 retries, the rest spooled
    expect(first.counters).toMatchObject({ spooled: 7, sent: 0 });
    expect(first.errors.map((e) => [e.code, e.detail])).toEqual([['http_error', 'status 503']]);

    // Process 2: the collector is not even listening.
    const second = startProcess(await closedPortHost());
    const unreachable = makeEvents(4);
    await second.transport.send(unreachable);
    expect(second.counters.spooled).toBe(4);
    expect(second.errors.map((e) => e.code)).toEqual(['network_error']);

    // Process 3: the collector is back. Two drains at once must not send anything twice.
    collector.isUp = true;
    const third = startProcess(collector.host);
    expect(third.transport.spoolStats()).toMatchObject({ batches: 5, events: 11 });
    await Promise.all([third.transport.drainSpool(), third.transport.drainSpool()]);

    expect(sorted(collector.received)).toEqual(
      sorted([...outage, ...unreachable].map((e) => e.uuid)),
    );
    expect(third.counters).toMatchObject({ unspooled: 11, sent: 11, errors: 0 });
    expect(third.transport.spoolStats()).toEqual({ batches: 0, events: 0, bytes: 0 });
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it('stops draining at the first failure and keeps the files', async () => {
    const down = startProcess(collector.host);
    await down.transport.spool(makeEvents(6));
    expect(down.transport.spoolStats().batches).toBe(2);

    await down.transport.drainSpool();
    expect(collector.requests).toBe(1); // one attempt, then the drain gives up until next time
    expect(down.errors.map((e) => e.code)).toEqual(['http_error']);
    expect(down.transport.spoolStats()).toMatchObject({ batches: 2, events: 6 });
    expect(await readdir(spoolDir)).toHaveLength(2);

    collector.isUp = true;
    await down.transport.drainSpool();
    expect(collector.received).toHaveLength(6);
    expect(down.transport.spoolStats().batches).toBe(0);
  });
});
