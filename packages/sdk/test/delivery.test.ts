import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { createAnalytics, type WireEvent } from '@tally/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { baseOptions, TICKET_CREATED, tempDir } from './helpers.js';

describe('wire snapshot', () => {
  it('sends this exact /batch/ body (token redacted)', async () => {
    const requests: Array<{ url: string; headers: Record<string, string>; body: unknown }> = [];
    let n = 0;
    const analytics = createAnalytics(
      baseOptions({
        now: () => Date.UTC(2026, 10, 25, 9, 30, 0, 123),
        uuid: () => `0193a5c8-0000-7000-8000-${String(++n).padStart(12, '0')}`,
        fetch: (async (url: string, init: RequestInit) => {
          const headers = Object.fromEntries(new Headers(init.headers).entries());
          const body = JSON.parse(gunzipSync(Buffer.from(init.body as Uint8Array)).toString());
          requests.push({ url, headers, body: { ...body, api_key: '<redacted>' } });
          return new Response('{"status":"Ok"}');
        }) as typeof fetch,
      }),
    );
    analytics.capture('ticket_created', TICKET_CREATED, { userId: 'user-1', tenantId: 'tenant-1' });
    analytics.capture(
      'user_logged_out',
      { user_type: 'msp', session_minutes: 42, trigger: 'user' },
      { userId: 'user-1' },
    );
    await analytics.shutdown();
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchInlineSnapshot(`
      {
        "body": {
          "api_key": "<redacted>",
          "batch": [
            {
              "distinct_id": "user-1",
              "event": "ticket_created",
              "properties": {
                "$geoip_disable": true,
                "$groups": {
                  "tenant": "tenant-1",
                },
                "$lib": "tally-node",
                "$lib_version": "0.1.0",
                "app_version": "2.1.0",
                "board_id": "b7a9c7e2-3f1d-4a57-9a0e-4f0b6f1f2d11",
                "created_via": "email",
                "deployment": "hosted",
                "environment": "test",
                "has_asset": false,
                "has_category": true,
                "has_description": true,
                "has_subcategory": false,
                "is_assigned": true,
                "priority": "high",
                "priority_id": "prio-17",
                "schema_version": 1,
                "ticket_id": "c0f3b1de-8d8e-4bb1-9a55-0b0c8f6a7e21",
                "ticket_type": "incident",
                "used_template": false,
              },
              "timestamp": "2026-11-25T09:30:00.123Z",
              "uuid": "0193a5c8-0000-7000-8000-000000000001",
            },
            {
              "distinct_id": "user-1",
              "event": "user_logged_out",
              "properties": {
                "$geoip_disable": true,
                "$lib": "tally-node",
                "$lib_version": "0.1.0",
                "app_version": "2.1.0",
                "deployment": "hosted",
                "environment": "test",
                "schema_version": 1,
                "session_minutes": 42,
                "trigger": "user",
                "user_type": "msp",
              },
              "timestamp": "2026-11-25T09:30:00.123Z",
              "uuid": "0193a5c8-0000-7000-8000-000000000002",
            },
          ],
          "sent_at": "2026-11-25T09:30:00.123Z",
        },
        "headers": {
          "content-encoding": "gzip",
          "content-type": "application/json",
          "user-agent": "tally-node/0.1.0",
        },
        "url": "http://collector.test/batch/",
      }
    `);
  });
});

describe('sending clock', () => {
  it('stamps sent_at from sendNow and timestamps from now, so a replay keeps its dates', async () => {
    const sentAts: string[] = [];
    const timestamps: string[] = [];
    const analytics = createAnalytics(
      baseOptions({
        // Historical capture time (a simulation), sent today.
        now: () => Date.UTC(2026, 0, 5, 8),
        sendNow: () => Date.UTC(2026, 10, 25, 9, 30),
        fetch: (async (_url: string, init: RequestInit) => {
          const body = JSON.parse(gunzipSync(Buffer.from(init.body as Uint8Array)).toString());
          sentAts.push(body.sent_at);
          timestamps.push(...body.batch.map((e: WireEvent) => e.timestamp));
          return new Response('{"status":"Ok"}');
        }) as typeof fetch,
      }),
    );
    analytics.capture('ticket_created', TICKET_CREATED, { userId: 'user-1', tenantId: 'tenant-1' });
    await analytics.shutdown();
    expect(timestamps).toEqual(['2026-01-05T08:00:00.000Z']);
    expect(sentAts).toEqual(['2026-11-25T09:30:00.000Z']);
  });

  it('refuses a sendNow that is not a function, naming it', () => {
    expect(() => createAnalytics(baseOptions({ sendNow: 5 as never }))).toThrow(/sendNow/);
  });
});

/** A collector on a real port: answers `status` and records every uuid it acknowledged. */
async function startCollector(
  status: () => number,
): Promise<{ server: Server; url: string; received: string[] }> {
  const received: string[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const body = JSON.parse(
      (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString(),
    );
    const code = status();
    if (code === 200) received.push(...body.batch.map((e: WireEvent) => e.uuid));
    res.writeHead(code, { 'content-type': 'application/json' }).end('{"status":"Ok"}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

describe('disk spool across a restart', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const s of servers) s.close();
  });

  it('keeps what a down collector could not take and delivers it once after a restart', async () => {
    const dataDir = tempDir();
    let isUp = false;
    const collector = await startCollector(() => (isUp ? 200 : 503));
    servers.push(collector.server);
    const options = baseOptions({
      host: collector.url,
      dataDir,
      maxRetries: 1,
      retryBaseMs: 1,
      retryMaxMs: 2,
    });

    // First process: the collector answers 503 throughout.
    const first = createAnalytics(options);
    for (let i = 0; i < 250; i++)
      first.capture('ticket_created', TICKET_CREATED, { userId: `u${i}` });
    await first.flush();
    for (let i = 0; i < 30; i++)
      first.capture('ticket_created', TICKET_CREATED, { userId: `v${i}` });
    await first.shutdown(5_000);
    expect(collector.received).toHaveLength(0);
    expect(first.counters().spooled).toBe(280);

    // Second process on the same data dir: the collector is back.
    isUp = true;
    const second = createAnalytics(options);
    second.capture('ticket_created', TICKET_CREATED, { userId: 'after-restart' });
    await second.flush();
    await second.shutdown(5_000);
    expect(collector.received).toHaveLength(281);
    expect(new Set(collector.received).size).toBe(281);
    expect(second.counters()).toMatchObject({ unspooled: 280, sent: 281 });
  });

  it('spools what is still unsent when shutdown times out, and sends it next time', async () => {
    const dataDir = tempDir();
    let isHanging = true;
    const received: string[] = [];
    const fetch = (async (_url: string, init: RequestInit) => {
      if (isHanging) return new Promise<Response>(() => {});
      const body = JSON.parse(gunzipSync(Buffer.from(init.body as Uint8Array)).toString());
      received.push(...body.batch.map((e: WireEvent) => e.uuid));
      return new Response('{"status":"Ok"}');
    }) as typeof globalThis.fetch;
    const errors: string[] = [];
    const first = createAnalytics(
      baseOptions({ fetch, dataDir, onError: (e) => errors.push(e.code) }),
    );
    for (let i = 0; i < 5; i++)
      first.capture('ticket_created', TICKET_CREATED, { userId: `u${i}` });
    await first.shutdown(100);
    expect(errors).toContain('shutdown_timeout');

    isHanging = false;
    const second = createAnalytics(baseOptions({ fetch, dataDir }));
    await second.flush();
    await second.shutdown();
    expect(received).toHaveLength(5);
    expect(new Set(received).size).toBe(5);
  });
});
