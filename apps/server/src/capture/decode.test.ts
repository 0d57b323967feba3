import { Buffer } from 'node:buffer';
import { PostHog } from 'posthog-node';
import { describe, expect, it } from 'vitest';
import { decode, makeEvent, makeJsEvent, TOKEN } from './decode.fixtures.js';
import type { DecodedCapture } from './decode.js';

// Request shapes and token rules. Encodings: decode-encodings.test.ts; refusals:
// decode-errors.test.ts.

describe('decodeCapture: JSON shapes real clients send', () => {
  it('decodes a posthog-node /batch/ request (gzip JSON, Content-Encoding: gzip), recorded', async () => {
    const sent: Array<{ url: string; headers: Record<string, string>; body: Uint8Array }> = [];
    const client = new PostHog(TOKEN, {
      host: 'http://tally.test',
      flushAt: 100,
      flushInterval: 0,
      fetch: async (url, options) => {
        const body = options.body;
        sent.push({
          url,
          headers: options.headers,
          body: typeof body === 'string' ? Buffer.from(body) : new Uint8Array(body as Uint8Array),
        });
        return {
          status: 200,
          text: async () => '{"status":"Ok"}',
          json: async () => ({ status: 'Ok' }),
        };
      },
    });
    client.capture({
      distinctId: 'user-1',
      event: 'ticket_created',
      properties: { priority: 'high' },
    });
    client.identify({ distinctId: 'user-1', properties: { plan: 'pro' } });
    client.alias({ distinctId: 'user-1', alias: 'anon-9' });
    client.groupIdentify({ groupType: 'company', groupKey: 'acme', properties: { seats: 12 } });
    await client.shutdown();

    expect(sent).toHaveLength(1);
    const [request] = sent;
    if (request === undefined) throw new Error('posthog-node sent nothing');
    const url = new URL(request.url);
    expect(url.pathname).toBe('/batch/');
    expect(request.headers['Content-Encoding']).toBe('gzip');

    const decoded = await decode({
      path: url.pathname,
      query: url.search,
      contentType: request.headers['Content-Type'],
      contentEncoding: request.headers['Content-Encoding'],
      body: request.body,
    });
    expect(decoded.token).toBe(TOKEN);
    expect(decoded.isHistorical).toBe(false);
    expect(decoded.isBeacon).toBe(false);
    expect(decoded.sentAtMs).toBeGreaterThan(Date.UTC(2025, 0, 1));
    expect(decoded.events.map((event) => event.event)).toEqual([
      'ticket_created',
      '$identify',
      '$create_alias',
      '$groupidentify',
    ]);
    const [capture, identify, alias] = decoded.events;
    expect(capture?.distinctId).toBe('user-1');
    expect(capture?.uuid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(capture?.properties).toMatchObject({ priority: 'high', $lib: 'posthog-node' });
    expect(capture?.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(identify?.set).toEqual({ plan: 'pro' });
    expect(alias?.properties).toMatchObject({ alias: 'anon-9' });
  });

  it('turns an /engage object without event into $identify', async () => {
    const decoded = await decode({
      path: '/engage/',
      body: JSON.stringify({ $token: TOKEN, $distinct_id: 'user-7', $set: { plan: 'team' } }),
    });
    expect(decoded.events).toHaveLength(1);
    expect(decoded.events[0]).toMatchObject({
      event: '$identify',
      distinctId: 'user-7',
      set: { plan: 'team' },
    });
  });

  it('decodes a single event on /i/v0/e', async () => {
    const decoded = await decode({
      path: '/i/v0/e',
      contentType: 'application/json',
      body: JSON.stringify(makeEvent({ api_key: TOKEN, offset: 250 })),
    });
    expect(decoded.events).toEqual([
      {
        event: 'ticket_created',
        distinctId: 'user-1',
        uuid: '019c3b2e-4f5a-7c3d-8e9f-0a1b2c3d4e5f',
        token: TOKEN,
        timestamp: '2026-01-01T00:00:00.000Z',
        offsetMs: 250,
        properties: { $lib: 'test', priority: 'high' },
        set: undefined,
        setOnce: undefined,
      },
    ]);
    expect('libVersion' in decoded).toBe(false);
  });

  it('decodes an array of events with tokens in properties', async () => {
    const decoded = await decode({
      path: '/capture',
      body: JSON.stringify([makeJsEvent(), makeJsEvent({ uuid: '' })]),
    });
    expect(decoded.token).toBe(TOKEN);
    expect(decoded.events[1]?.uuid).toBeUndefined();
  });

  it('decodes a batch whose envelope uses the token alias, marked historical', async () => {
    const decoded = await decode({
      path: '/batch',
      body: JSON.stringify({ token: TOKEN, historical_migration: true, batch: [makeEvent()] }),
    });
    expect(decoded.token).toBe(TOKEN);
    expect(decoded.isHistorical).toBe(true);
  });

  it('lets the envelope token win over event tokens', async () => {
    const decoded = await decode({
      path: '/batch/',
      body: JSON.stringify({ api_key: ` ${TOKEN}\n`, batch: [makeEvent({ token: 'phc_other' })] }),
    });
    expect(decoded.token).toBe(TOKEN);
    expect(decoded.events[0]?.token).toBe('phc_other');
  });

  it('prefers the body sent_at over the query one, and ignores an unparseable body sent_at', async () => {
    const body = (sentAt: string) =>
      JSON.stringify({ api_key: TOKEN, batch: [makeEvent()], sent_at: sentAt });
    const query = '_=1767225600000';
    expect(
      (await decode({ path: '/batch/', query, body: body('2026-02-01T00:00:00Z') })).sentAtMs,
    ).toBe(Date.UTC(2026, 1, 1));
    expect((await decode({ path: '/batch/', query, body: body('yesterday') })).sentAtMs).toBe(
      1_767_225_600_000,
    );
  });

  it('drops $performance_event silently, even when nothing else is left', async () => {
    const mixed = await decode({
      path: '/e/',
      body: JSON.stringify([makeJsEvent({ event: '$performance_event' }), makeJsEvent()]),
    });
    expect(mixed.events.map((event) => event.event)).toEqual(['$pageview']);

    const only = await decode({
      path: '/e/',
      body: JSON.stringify([
        makeJsEvent({ event: '$performance_event', properties: { token: TOKEN } }),
      ]),
    });
    expect(only).toEqual<DecodedCapture>({
      token: TOKEN,
      events: [],
      sentAtMs: undefined,
      isHistorical: false,
      isBeacon: false,
    });
  });

  it('accepts a UTF-8 byte order mark and non-ASCII properties', async () => {
    const decoded = await decode({
      path: '/i/v0/e/',
      body: Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(
          JSON.stringify(makeEvent({ api_key: TOKEN, properties: { title: 'Café ✓ 日本' } })),
        ),
      ]),
    });
    expect(decoded.events[0]?.properties.title).toBe('Café ✓ 日本');
  });
});
