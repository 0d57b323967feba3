import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { base64, decode, errorOf, FORM, makeEvent, makeJsEvent, TOKEN } from './decode.fixtures.js';

// The byte-level encodings PostHog clients have used: gzip by hint or magic bytes, LZ64,
// base64 (raw, in a form, in a GET query), the legacy second unwrap.

describe('decodeCapture: encodings real clients send', () => {
  it('decodes old posthog-js /e/?compression=gzip-js (gzip array, query hint)', async () => {
    const decoded = await decode({
      path: '/e/',
      query: `ip=1&_=1767225600000&ver=1.200.0&compression=gzip-js`,
      contentType: 'text/plain',
      body: gzipSync(JSON.stringify([makeJsEvent(), makeJsEvent({ event: '$autocapture' })])),
    });
    expect(decoded.token).toBe(TOKEN);
    expect(decoded.events.map((event) => event.event)).toEqual(['$pageview', '$autocapture']);
    expect(decoded.events[0]?.distinctId).toBe('anon-1');
    expect(decoded.sentAtMs).toBe(1_767_225_600_000);
    expect(decoded.libVersion).toBe('1.200.0');
  });

  it('decodes current posthog-js /e/ (gzip batch envelope, no hint: magic bytes)', async () => {
    const decoded = await decode({
      path: '/e/',
      query: 'ip=0&ver=1.260.0',
      contentType: 'text/plain',
      body: gzipSync(
        JSON.stringify({
          api_key: TOKEN,
          batch: [makeJsEvent({ $set: { email_domain: 'example.test' } })],
          sent_at: '2026-01-01T00:00:05.000Z',
        }),
      ),
    });
    expect(decoded.token).toBe(TOKEN);
    expect(decoded.sentAtMs).toBe(Date.UTC(2026, 0, 1, 0, 0, 5));
    expect(decoded.events[0]?.set).toEqual({ email_domain: 'example.test' });
  });

  it('decodes /e/?compression=lz64 with a form body data=<lz64> (older posthog-js)', async () => {
    // Produced by the independent compressor in lz64.test.ts from the JSON below.
    const lz64 =
      'NobwRApgbhB2AuYBcYAkAHAhgc2gSwgHcwAaMdAJwHt0IL4CBnZcVAYwFcKK54B9LgBtkYABbx46RkgD0MzOnQA6CAA9MAW3SCIS+BEbwZDNgGsI8RgH5DmeB0YBeGnFJpBeAEYjCEb2VQPTz4YCkY8KlgRAEYlAFYABiUEtwATPEM8WDZ+PFSRTFhIgFpBAC8ANgAWN3gqcyiUdFE2Pn1DNvq4PkxPNmiAJgBmN1QGDQhkaIB2CumBgbiKhKTBoYBfMnGDeE10EQGEgYrihOjT6IAVFaQblaU1gC0wdYBdIA===';
    // [{"event":"$pageview","properties":{"$current_url":"https://app.example.test/tickets?status=open",
    //   "$lib":"web","$lib_version":"1.50.0","distinct_id":"anon-lz64","token":"phc_test_token_abc123",
    //   "$time":1767225600.123},"timestamp":"2026-01-01T00:00:00.123Z"}]
    const decoded = await decode({
      path: '/e/',
      query: 'compression=lz64&_=1767225600500&ver=1.50.0',
      contentType: FORM,
      body: `data=${encodeURIComponent(lz64)}`,
    });
    expect(decoded.token).toBe(TOKEN);
    expect(decoded.events).toHaveLength(1);
    expect(decoded.events[0]).toMatchObject({
      event: '$pageview',
      distinctId: 'anon-lz64',
      timestamp: '2026-01-01T00:00:00.123Z',
      properties: { $current_url: 'https://app.example.test/tickets?status=open' },
    });
  });

  it('decodes an lz64 form whose + signs were not escaped', async () => {
    const lz64 =
      'NobwRApgbhB2AuYBcYAkAHAhgc2gSwgHcwAaMdAJwHt0IL4CBnZcVAYwFcKK54B9LgBtkYABbx46RkgD0MzOnQA6CAA9MAW3SCIS+BEbwZDNgGsI8RgH5DmeB0YBeGnFJpBeAEYjCEb2VQPTz4YCkY8KlgRAEYlAFYABiUEtwATPEM8WDZ+PFSRTFhIgFpBAC8ANgAWN3gqcyiUdFE2Pn1DNvq4PkxPNmiAJgBmN1QGDQhkaIB2CumBgbiKhKTBoYBfMnGDeE10EQGEgYrihOjT6IAVFaQblaU1gC0wdYBdIA===';
    expect(lz64).toContain('+');
    const decoded = await decode({
      path: '/e/',
      query: 'compression=lz64',
      contentType: FORM,
      body: `data=${lz64.replaceAll('=', '%3D')}`,
    });
    expect(decoded.events[0]?.distinctId).toBe('anon-lz64');
  });

  it('decodes a raw base64 body (optimistic base64)', async () => {
    const decoded = await decode({
      path: '/capture/',
      contentType: 'text/plain',
      body: base64(JSON.stringify(makeEvent({ api_key: TOKEN }))),
    });
    expect(decoded.events[0]?.event).toBe('ticket_created');
  });

  it('decodes base64 of gzip (base64 first, then the gzip magic)', async () => {
    const decoded = await decode({
      path: '/i/v0/e/',
      body: gzipSync(JSON.stringify(makeEvent({ api_key: TOKEN }))).toString('base64'),
    });
    expect(decoded.events[0]?.distinctId).toBe('user-1');
  });

  it('decodes a form data=<base64> whose + signs became spaces', async () => {
    // Pad the payload until its base64 holds a '+', so urldecoding really turns it into a space.
    let json = '';
    for (let pad = 0; !base64(json).includes('+'); pad += 1) {
      json = JSON.stringify([
        makeJsEvent({ properties: { token: TOKEN, distinct_id: 'd', note: '>?'.repeat(pad) } }),
      ]);
    }
    const body = `data=${base64(json)}`; // not urlencoded: '+' arrives as a space
    expect(new URLSearchParams(body).get('data')).toContain(' ');
    const decoded = await decode({
      path: '/e/',
      query: 'compression=base64',
      contentType: FORM,
      body,
    });
    expect(decoded.events[0]?.distinctId).toBe('d');
  });

  it('decodes a form body sent without the form Content-Type', async () => {
    const body = `data=${encodeURIComponent(base64(JSON.stringify(makeJsEvent())))}`;
    const decoded = await decode({
      path: '/e/',
      query: 'compression=b64',
      contentType: 'text/plain',
      body,
    });
    expect(decoded.events[0]?.event).toBe('$pageview');
  });

  it('decodes a sendBeacon request (compression=base64, form, beacon=1)', async () => {
    const json = JSON.stringify({
      api_key: TOKEN,
      batch: [makeJsEvent()],
      sent_at: '2026-01-01T00:00:01.000Z',
    });
    const decoded = await decode({
      path: '/e/',
      query: 'compression=base64&beacon=1',
      contentType: `${FORM}; charset=UTF-8`,
      body: `data=${encodeURIComponent(base64(json))}`,
    });
    expect(decoded.isBeacon).toBe(true);
    expect(decoded.events).toHaveLength(1);
  });

  it('decodes a form data=<base64> without a hint on a legacy path (second unwrap)', async () => {
    const body = `data=${encodeURIComponent(base64(JSON.stringify(makeJsEvent())))}&ver=1.9.0`;
    const decoded = await decode({ path: '/e', contentType: FORM, body });
    expect(decoded.events[0]?.event).toBe('$pageview');
    expect(decoded.libVersion).toBe('1.9.0');
    // The second unwrap is for legacy paths only.
    const error = await errorOf(decode({ path: '/i/v0/e/', contentType: FORM, body }));
    expect(error.code).toBe('bad_json');
  });

  it('decodes a legacy GET ?data=<base64 json>', async () => {
    const data = base64(JSON.stringify(makeJsEvent()));
    const decoded = await decode({
      path: '/e/',
      method: 'GET',
      query: new URLSearchParams({ data, ver: '1.0.0', _: '1767225600000' }).toString(),
    });
    expect(decoded.events[0]?.distinctId).toBe('anon-1');
    expect(decoded.sentAtMs).toBe(1_767_225_600_000);
  });

  it('decodes a legacy GET whose base64 lost its + signs in the query string', async () => {
    let json = '';
    for (let pad = 0; !base64(json).includes('+'); pad += 1) {
      json = JSON.stringify(
        makeJsEvent({ properties: { token: TOKEN, distinct_id: 'q', n: '>?'.repeat(pad) } }),
      );
    }
    const decoded = await decode({ path: '/track/', method: 'GET', query: `data=${base64(json)}` });
    expect(decoded.events[0]?.distinctId).toBe('q');
  });
});
