import { Buffer } from 'node:buffer';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  base64,
  decode,
  errorOf,
  FORM,
  makeEvent,
  makeJsEvent,
  type RequestInit,
  TOKEN,
} from './decode.fixtures.js';
import { maxBodyBytesFor } from './paths.js';

describe('decodeCapture: malformed requests', () => {
  const batch = (events: unknown[], envelope: Record<string, unknown> = { api_key: TOKEN }) =>
    JSON.stringify({ ...envelope, batch: events });

  it.each<[string, RequestInit, string, number, string | undefined]>([
    ['no body and no data', { path: '/batch/' }, 'missing_payload', 400, undefined],
    [
      'a form without data',
      { path: '/e/', contentType: FORM, body: 'ver=1.0.0&_=1767225600000' },
      'missing_payload',
      400,
      'data',
    ],
    [
      'bad gzip (Content-Encoding: gzip, not gzip)',
      { path: '/batch/', contentEncoding: 'gzip', body: '{"not":"gzip"}' },
      'bad_encoding',
      400,
      undefined,
    ],
    [
      'bad base64 (compression=base64, cut short)',
      {
        path: '/e/',
        query: 'compression=base64',
        contentType: FORM,
        body: `data=${base64('{"event":"x"}').slice(0, -3)}`,
      },
      'bad_encoding',
      400,
      undefined,
    ],
    [
      'bad lz64',
      { path: '/e/', query: 'compression=lz64', contentType: FORM, body: 'data=%21%21%21%21' },
      'bad_encoding',
      400,
      undefined,
    ],
    [
      'a form Content-Type on a JSON body',
      { path: '/e/', contentType: FORM, body: JSON.stringify(makeJsEvent()) },
      'bad_encoding',
      400,
      undefined,
    ],
    [
      'bad JSON',
      { path: '/batch/', body: '{"api_key": "phc_x", "batch": [' },
      'bad_json',
      400,
      undefined,
    ],
    ['a JSON scalar', { path: '/batch/', body: '42' }, 'bad_json', 400, undefined],
    [
      'a batch that is not an array',
      { path: '/batch/', body: JSON.stringify({ api_key: TOKEN, batch: {} }) },
      'bad_json',
      400,
      'batch',
    ],
    ['an empty batch', { path: '/batch/', body: batch([]) }, 'empty_batch', 400, undefined],
    ['an empty array', { path: '/e/', body: '[]' }, 'empty_batch', 400, undefined],
    [
      'a missing event name',
      { path: '/batch/', body: batch([makeEvent(), { distinct_id: 'x' }]) },
      'missing_event',
      400,
      'batch[1].event',
    ],
    [
      'an object without event outside /engage',
      { path: '/i/v0/e/', body: JSON.stringify({ api_key: TOKEN, distinct_id: 'x', $set: {} }) },
      'engage_only',
      400,
      'event',
    ],
    [
      'a missing distinct_id',
      { path: '/batch/', body: batch([makeEvent({ distinct_id: undefined })]) },
      'missing_distinct_id',
      400,
      'batch[0].distinct_id',
    ],
    [
      'an invalid uuid',
      {
        path: '/batch/',
        body: batch([makeEvent(), makeEvent(), makeEvent({ uuid: 'secret-not-a-uuid' })]),
      },
      'invalid_uuid',
      400,
      'batch[2].uuid',
    ],
    [
      'a non-string timestamp',
      { path: '/batch/', body: batch([makeEvent({ timestamp: 1767225600 })]) },
      'invalid_timestamp',
      400,
      'batch[0].timestamp',
    ],
    [
      'a non-string batch sent_at',
      {
        path: '/batch/',
        body: JSON.stringify({ api_key: TOKEN, batch: [makeEvent()], sent_at: 5 }),
      },
      'invalid_timestamp',
      400,
      'sent_at',
    ],
    [
      'a non-boolean $cookieless_mode',
      { path: '/batch/', body: batch([makeEvent({ properties: { $cookieless_mode: 'on' } })]) },
      'invalid_cookieless_mode',
      400,
      'batch[0].properties.$cookieless_mode',
    ],
    [
      'a phx_ personal API key',
      { path: '/batch/', body: batch([makeEvent()], { api_key: 'phx_personal_secret' }) },
      'invalid_token',
      401,
      'api_key',
    ],
    [
      'inconsistent tokens',
      {
        path: '/e/',
        body: JSON.stringify([
          makeJsEvent(),
          makeJsEvent({ properties: { token: 'phc_other', distinct_id: 'a' } }),
        ]),
      },
      'inconsistent_tokens',
      401,
      'batch[1].properties.token',
    ],
    [
      'a missing token',
      { path: '/i/v0/e/', body: JSON.stringify(makeEvent()) },
      'missing_token',
      401,
      undefined,
    ],
    [
      'invalid UTF-8',
      { path: '/i/v0/e/', body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
      'bad_encoding',
      400,
      undefined,
    ],
  ])('refuses %s', async (_name, init, code, status, field) => {
    const error = await errorOf(decode(init));
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.field).toBe(field);
  });

  it('refuses a truncated gzip body', async () => {
    const gzip = gzipSync(batch([makeEvent(), makeEvent()]));
    const error = await errorOf(
      decode({ path: '/batch/', body: gzip.subarray(0, gzip.length - 20) }),
    );
    expect(error.code).toBe('bad_encoding');
    expect(error.reason).toBe('invalid_gzip');
  });

  it('stops a gzip bomb (50 MB of zeros) with 413', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(maxBodyBytesFor('/batch/'));
    const error = await errorOf(decode({ path: '/batch/', contentEncoding: 'gzip', body: bomb }));
    expect(error.code).toBe('payload_too_large');
    expect(error.status).toBe(413);
    expect(error.reason).toBe('decompressed_size');
  });

  it('refuses a body over the endpoint limit with 413 before decoding it', async () => {
    const oversize = Buffer.alloc(maxBodyBytesFor('/e/') + 1, 0x20);
    const error = await errorOf(decode({ path: '/e/', body: oversize }));
    expect(error.code).toBe('payload_too_large');
    expect(error.status).toBe(413);
    expect(error.reason).toBe('compressed_size');
    // The same bytes fit the 20 MiB /batch/ limit (and then fail as JSON).
    expect((await errorOf(decode({ path: '/batch/', body: oversize }))).code).toBe('bad_json');
  });

  it('refuses plain and form payloads over the decompressed limit', async () => {
    const big = JSON.stringify(
      makeEvent({ api_key: TOKEN, properties: { blob: 'x'.repeat(5000) } }),
    );
    expect((await errorOf(decode({ path: '/i/v0/e/', body: big }, 4096))).code).toBe(
      'payload_too_large',
    );
    const wrapped = `data=${encodeURIComponent(base64(big))}`;
    const error = await errorOf(decode({ path: '/e/', contentType: FORM, body: wrapped }, 6000));
    expect(error.code).toBe('payload_too_large');
  });

  it('never echoes user input in the message', async () => {
    const secret = 'phx_personal_secret';
    const token = await errorOf(
      decode({ path: '/batch/', body: batch([makeEvent()], { api_key: secret }) }),
    );
    expect(token.message).not.toContain(secret);
    const uuid = await errorOf(
      decode({ path: '/batch/', body: batch([makeEvent({ uuid: 'secret-uuid' })]) }),
    );
    expect(uuid.message).toBe('uuid is not a valid UUID: batch[0].uuid');
  });
});
