import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Tally } from '../src/server.js';
import { API_KEY, allEvents, inProcessFetch, openTestTally, TOKEN } from './helpers.js';

const BASE = 'http://tally.test';
let tally: Tally;
let fetchIn: typeof fetch;

beforeEach(async () => {
  tally = await openTestTally();
  fetchIn = inProcessFetch(tally);
});
afterEach(async () => {
  await tally.close();
});

const uuid = (n: number) => `0193a5c8-0000-7000-8000-${String(n).padStart(12, '0')}`;
const event = (n: number, extra: Record<string, unknown> = {}) => ({
  event: 'feature_used',
  distinct_id: `user-${n % 7}`,
  uuid: uuid(n),
  timestamp: '2026-11-25T10:00:00.000Z',
  properties: {
    feature: 'ticket_creation',
    feature_category: 'ticketing',
    is_first_use: false,
    $lib: 'test',
  },
  ...extra,
});

function post(path: string, body: string | Uint8Array, headers: Record<string, string> = {}) {
  return tally.app.request(path, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

describe('capture', () => {
  it('stores a gzipped /batch/ body and answers {"status":"Ok"} after the commit', async () => {
    const body = gzipSync(
      JSON.stringify({
        api_key: TOKEN,
        batch: [event(1), event(2)],
        sent_at: '2026-11-25T10:00:00.000Z',
      }),
    );
    const response = await post('/batch/', body, { 'content-encoding': 'gzip' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'Ok' });
    const stored = await allEvents(fetchIn, BASE);
    expect(stored.map((e) => e.uuid).sort()).toEqual([uuid(1), uuid(2)]);
  });

  it.each([
    '/batch',
    '/batch/',
    '/e',
    '/e/',
    '/i/v0/e',
    '/i/v0/e/',
    '/capture',
    '/capture/',
    '/track',
    '/track/',
  ])('accepts events on %s', async (path) => {
    const response = await post(path, JSON.stringify({ ...event(1), api_key: TOKEN }));
    expect(response.status).toBe(200);
    expect(await allEvents(fetchIn, BASE)).toHaveLength(1);
  });

  it('stores a retried batch once', async () => {
    const body = JSON.stringify({ api_key: TOKEN, batch: [event(1), event(2), event(3)] });
    for (let i = 0; i < 3; i++) expect((await post('/batch/', body)).status).toBe(200);
    expect(await allEvents(fetchIn, BASE)).toHaveLength(3);
  });

  it('answers 204 to a beacon', async () => {
    const response = await post('/e/?beacon=1', JSON.stringify([{ ...event(1), token: TOKEN }]));
    expect(response.status).toBe(204);
  });

  it.each([
    [
      'a bad gzip body',
      () =>
        post('/batch/', Buffer.from([0x1f, 0x8b, 0x08, 0, 1, 2, 3]), {
          'content-encoding': 'gzip',
        }),
      400,
    ],
    ['invalid JSON', () => post('/batch/', '{"api_key":'), 400],
    ['an empty batch', () => post('/batch/', JSON.stringify({ api_key: TOKEN, batch: [] })), 400],
    [
      'a missing event name',
      () => post('/batch/', JSON.stringify({ api_key: TOKEN, batch: [{ distinct_id: 'x' }] })),
      400,
    ],
    [
      'a missing distinct_id',
      () => post('/batch/', JSON.stringify({ api_key: TOKEN, batch: [{ event: 'x' }] })),
      400,
    ],
    [
      'an invalid uuid',
      () =>
        post('/batch/', JSON.stringify({ api_key: TOKEN, batch: [event(1, { uuid: 'nope' })] })),
      400,
    ],
    ['no token', () => post('/batch/', JSON.stringify({ batch: [event(1)] })), 401],
    [
      'a personal key as token',
      () => post('/batch/', JSON.stringify({ api_key: API_KEY, batch: [event(1)] })),
      401,
    ],
    [
      'an unknown token',
      () =>
        post('/batch/', JSON.stringify({ api_key: 'phc_nobodyhasthistoken', batch: [event(1)] })),
      401,
    ],
    ['a body over the limit', () => post('/e/', 'x'.repeat(3 * 1_048_576)), 413],
  ])('rejects %s with the right status and stores nothing', async (_, send, status) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect((await response.text()).length).toBeGreaterThan(0);
    expect(await allEvents(fetchIn, BASE)).toHaveLength(0);
  });

  it('stores a bucketed property sent as its label, buckets a raw number, drops a made-up label', async () => {
    const invoice = (n: number, amount: unknown) =>
      event(n, {
        event: 'invoice_generated',
        properties: { invoice_id: `inv-${n}`, generation: 'manual', amount, $lib: 'test' },
      });
    const body = JSON.stringify({
      api_key: TOKEN,
      batch: [invoice(1, '1000-10000'), invoice(2, 2_500), invoice(3, '$2,500')],
    });
    expect((await post('/batch/', body)).status).toBe(200);
    const stored = await allEvents(fetchIn, BASE);
    const amounts = Object.fromEntries(stored.map((e) => [e.uuid, e.properties.amount]));
    expect(amounts).toEqual({
      [uuid(1)]: '1000-10000',
      [uuid(2)]: '1000-10000',
      [uuid(3)]: undefined,
    });
  });

  it('scrubs PII a foreign client sends, and never stores an IP', async () => {
    const body = {
      api_key: TOKEN,
      batch: [
        {
          event: '$pageview',
          distinct_id: 'jane.doe@example.com',
          uuid: uuid(1),
          properties: {
            $current_url:
              'https://psa.example.com/tickets?searchQuery=John+Smith&email=jane.doe@example.com',
            $ip: '203.0.113.7',
            note: 'call +1 (555) 123-4567',
            $set: { email: 'jane.doe@example.com' },
          },
        },
      ],
    };
    expect((await post('/batch/', JSON.stringify(body))).status).toBe(200);
    const [stored] = await allEvents(fetchIn, BASE);
    const text = JSON.stringify(stored);
    for (const secret of ['jane', 'example.com', '203.0.113.7', '555', 'John'])
      expect(text).not.toContain(secret);
    expect(stored?.properties.$current_url).toBe('/tickets');
    expect(stored?.distinct_id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('drops catalogued properties that break their schema and counts the violation', async () => {
    const bad = event(1, {
      properties: {
        feature: 'not_a_feature',
        feature_category: 'ticketing',
        is_first_use: false,
        title: 'x',
      },
    });
    expect((await post('/batch/', JSON.stringify({ api_key: TOKEN, batch: [bad] }))).status).toBe(
      200,
    );
    const [stored] = await allEvents(fetchIn, BASE);
    expect(stored?.properties).not.toHaveProperty('feature');
    expect(stored?.properties).not.toHaveProperty('title');
    expect(stored?.properties.feature_category).toBe('ticketing');
  });

  it('counts uncatalogued events, and drops them once the project is strict', async () => {
    const custom = { event: 'clicked_the_thing', distinct_id: 'u', properties: {} };
    expect(
      (await post('/batch/', JSON.stringify({ api_key: TOKEN, batch: [custom] }))).status,
    ).toBe(200);
    const patch = await tally.app.request('/api/projects/1', {
      method: 'PATCH',
      body: JSON.stringify({ strict: true }),
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    });
    expect(patch.status).toBe(200);
    expect(
      (await post('/batch/', JSON.stringify({ api_key: TOKEN, batch: [custom, event(9)] }))).status,
    ).toBe(200);
    const stored = await allEvents(fetchIn, BASE);
    expect(stored.map((e) => e.event).sort()).toEqual(['clicked_the_thing', 'feature_used']);
  });

  it('keeps flag exposures in a strict project, their properties checked against the catalog', async () => {
    const exposure = (response: unknown, reason: string) => ({
      event: '$feature_flag_called',
      distinct_id: 'u-flags',
      properties: {
        $feature_flag: 'new-ticket-form',
        $feature_flag_response: response,
        '$feature/new-ticket-form': response,
        $feature_flag_reason: reason,
        locally_evaluated: true,
      },
    });
    const before = (await allEvents(fetchIn, BASE)).length;
    const response = await post(
      '/batch/',
      JSON.stringify({
        api_key: TOKEN,
        batch: [
          exposure('new-form', 'condition_match'),
          exposure('dana@example.com', 'free text'),
          // What posthog-node sends: the flag server's description of the reason.
          exposure('classic', 'Out of rollout bound'),
        ],
      }),
    );
    expect(response.status).toBe(200);
    const stored = (await allEvents(fetchIn, BASE)).slice(0, -before || undefined);
    const flags = stored.filter((e) => e.event === '$feature_flag_called');
    expect(flags).toHaveLength(3);
    expect(flags.map((e) => e.properties)).toContainEqual(
      expect.objectContaining({
        $feature_flag_response: 'classic',
        $feature_flag_reason: 'out_of_rollout_bound',
      }),
    );
    const byResponse = flags.map((e) => e.properties);
    expect(byResponse).toContainEqual(
      expect.objectContaining({
        $feature_flag: 'new-ticket-form',
        $feature_flag_response: 'new-form',
        $feature_flag_reason: 'condition_match',
      }),
    );
    // A response that is no variant key (here an email) and a free-text reason are dropped.
    const bad = byResponse.find((p) => p.$feature_flag_response === undefined);
    expect(bad).toBeDefined();
    expect(bad).not.toHaveProperty('$feature_flag_reason');
    expect(JSON.stringify(flags)).not.toContain('dana@example.com');
  });
});

describe('read API', () => {
  it('needs a personal API key: none, a wrong one and the write token get 401', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer phx_wrongwrongwrongwrong' },
      { authorization: `Bearer ${TOKEN}` },
    ]) {
      const response = await tally.app.request('/api/projects/1/events', { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ type: 'authentication_error' });
    }
  });

  it('names the bad parameter', async () => {
    const response = await tally.app.request('/api/projects/1/events?limit=0', {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'invalid_query', attr: 'limit' });
  });

  it('pages newest first with next', async () => {
    const batch = Array.from({ length: 25 }, (_, i) =>
      event(i, { timestamp: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString() }),
    );
    await post('/batch/', JSON.stringify({ api_key: TOKEN, batch }));
    const first = (await (
      await tally.app.request('/api/projects/1/events?limit=10', {
        headers: { authorization: `Bearer ${API_KEY}` },
      })
    ).json()) as { results: Array<{ uuid: string }>; next: string };
    expect(first.results.map((e) => e.uuid)).toEqual(
      Array.from({ length: 10 }, (_, i) => uuid(24 - i)),
    );
    expect(first.next).toMatch(/^\/api\/projects\/1\/events\?/);
    const all = await allEvents(fetchIn, BASE);
    expect(all.map((e) => e.uuid)).toEqual(Array.from({ length: 25 }, (_, i) => uuid(24 - i)));
  });
});

describe('limits', () => {
  it('answers 429 with Retry-After when a token sends faster than its rate limit', async () => {
    const limited = await openTestTally({
      TALLY_RATE_LIMIT_PER_SECOND: '1',
      TALLY_RATE_LIMIT_BURST: '5',
    });
    const send = (from: number) =>
      limited.app.request('/batch/', {
        method: 'POST',
        body: JSON.stringify({
          api_key: TOKEN,
          batch: [0, 1, 2, 3, 4].map((i) => event(from + i)),
        }),
      });
    expect((await send(0)).status).toBe(200);
    const refused = await send(5);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await allEvents(inProcessFetch(limited), BASE)).toHaveLength(5);
    await limited.close();
  });

  it('answers 503 with Retry-After instead of queueing without bound when the writer is behind', async () => {
    const small = await openTestTally({ TALLY_MAX_PENDING_ROWS: '3' });
    // Five requests of three events at once: while the first is being committed, the others
    // would take the writer past its limit.
    const responses = await Promise.all(
      [0, 1, 2, 3, 4].map((r) =>
        small.app.request('/batch/', {
          method: 'POST',
          body: JSON.stringify({ api_key: TOKEN, batch: [0, 1, 2].map((i) => event(r * 10 + i)) }),
        }),
      ),
    );
    const refused = responses.filter((r) => r.status === 503);
    const accepted = responses.filter((r) => r.status === 200);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length + accepted.length).toBe(5);
    expect(refused.every((r) => r.headers.get('retry-after') === '1')).toBe(true);
    // Only what was acknowledged is stored.
    expect(await allEvents(inProcessFetch(small), BASE)).toHaveLength(accepted.length * 3);
    await small.close();
  });

  it('answers CORS preflights for browser clients', async () => {
    const response = await tally.app.request('/e/', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
  });
});
