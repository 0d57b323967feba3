import { describe, expect, it } from 'vitest';
import { normalizeDistinctId } from './distinct-id.js';
import { CaptureError } from './errors.js';
import { completeEvent, parseEvent } from './event.js';
import { canonicalUuid } from './uuid.js';

function errorOf(run: () => unknown): CaptureError {
  try {
    run();
  } catch (error) {
    if (error instanceof CaptureError) return error;
    throw error;
  }
  throw new Error('expected a CaptureError');
}

const decode = (raw: unknown, prefix = 'batch[0]') => completeEvent(parseEvent(raw, prefix));

describe('normalizeDistinctId', () => {
  it.each([
    ['a string as it is', 'user-1', 'user-1'],
    ['surrounding whitespace kept', '  hello  ', '  hello  '],
    ['an integer', 23, '23'],
    ['a float', 23.4, '23.4'],
    ['a boolean', true, 'true'],
    ['an array as JSON', ['a', 'b'], '["a","b"]'],
    ['an object as JSON with sorted keys', { string: 'a', number: 3 }, '{"number":3,"string":"a"}'],
    ['NUL replaced', 'a\0b', 'a\uFFFDb'],
  ])('keeps %s', (_name, value, expected) => {
    expect(normalizeDistinctId(value)).toBe(expected);
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
    ['whitespace only', ' \t\n'],
  ])('treats %s as no id', (_name, value) => {
    expect(normalizeDistinctId(value)).toBeUndefined();
  });

  it('cuts at 200 code points, never inside a surrogate pair', () => {
    expect(normalizeDistinctId('x'.repeat(250))).toBe('x'.repeat(200));
    expect(normalizeDistinctId('€'.repeat(250))).toBe('€'.repeat(200));
    const emoji = normalizeDistinctId('🍎'.repeat(150));
    expect(emoji).toBe('🍎'.repeat(150));
    expect(normalizeDistinctId('🍎'.repeat(250))).toBe('🍎'.repeat(200));
  });
});

describe('canonicalUuid', () => {
  const canonical = '67e55044-10b1-426f-9247-bb680e5fe0c8';
  it.each([
    ['hyphenated', canonical],
    ['upper case', canonical.toUpperCase()],
    ['simple', canonical.replaceAll('-', '')],
    ['braced', `{${canonical}}`],
    ['URN', `urn:uuid:${canonical}`],
  ])('accepts the %s form', (_name, text) => {
    expect(canonicalUuid(text)).toBe(canonical);
  });

  it('accepts any version, the nil UUID and a v7', () => {
    expect(canonicalUuid('00000000-0000-0000-0000-000000000000')).toBeDefined();
    expect(canonicalUuid('019c3b2e-4f5a-7c3d-8e9f-0a1b2c3d4e5f')).toBeDefined();
  });

  it.each([
    'not-a-uuid',
    '67e55044-10b1-426f-9247-bb680e5fe0c',
    '67e5504410b1-426f-9247-bb680e5fe0c8x',
    'g7e55044-10b1-426f-9247-bb680e5fe0c8',
  ])('refuses %j', (text) => {
    expect(canonicalUuid(text)).toBeUndefined();
  });
});

describe('parseEvent and completeEvent', () => {
  it('reads a posthog-js style event (token and distinct_id in properties)', () => {
    const event = decode({
      event: '$pageview',
      uuid: '019C3B2E-4F5A-7C3D-8E9F-0A1B2C3D4E5F',
      timestamp: '2026-01-01T00:00:00.000Z',
      properties: { token: 'phc_js', distinct_id: 'anon-1', $current_url: 'https://x.test/' },
      $set: { plan: 'pro' },
      $set_once: { first_seen: 'today' },
    });
    expect(event).toEqual({
      event: '$pageview',
      distinctId: 'anon-1',
      uuid: '019c3b2e-4f5a-7c3d-8e9f-0a1b2c3d4e5f',
      token: 'phc_js',
      timestamp: '2026-01-01T00:00:00.000Z',
      offsetMs: undefined,
      properties: { token: 'phc_js', distinct_id: 'anon-1', $current_url: 'https://x.test/' },
      set: { plan: 'pro' },
      setOnce: { first_seen: 'today' },
    });
  });

  it('prefers distinct_id, then $distinct_id, then properties.distinct_id', () => {
    expect(
      decode({ event: 'e', distinct_id: 23, properties: { distinct_id: 'p' } }).distinctId,
    ).toBe('23');
    expect(decode({ event: 'e', $distinct_id: 'alias' }).distinctId).toBe('alias');
    expect(
      decode({ event: 'e', distinct_id: null, properties: { distinct_id: 'p' } }).distinctId,
    ).toBe('p');
  });

  it('reads the token from token, $token, api_key, then properties.token', () => {
    expect(decode({ event: 'e', distinct_id: 'd', $token: 't1' }).token).toBe('t1');
    expect(decode({ event: 'e', distinct_id: 'd', api_key: 't2' }).token).toBe('t2');
    expect(
      decode({ event: 'e', distinct_id: 'd', token: 't3', properties: { token: 'x' } }).token,
    ).toBe('t3');
    expect(
      decode({ event: 'e', distinct_id: 'd', properties: { token: 42 } }).token,
    ).toBeUndefined();
  });

  it('merges $set from properties and the top level, the top level winning', () => {
    const event = decode({
      event: 'e',
      distinct_id: 'd',
      properties: { $set: { a: 1, b: 1 }, $set_once: { c: 1 } },
      $set: { b: 2 },
    });
    expect(event.set).toEqual({ a: 1, b: 2 });
    expect(event.setOnce).toEqual({ c: 1 });
    expect(event.properties.$set).toEqual({ a: 1, b: 1 });
  });

  it('treats an empty uuid as absent and keeps integer offsets', () => {
    const event = decode({ event: 'e', distinct_id: 'd', uuid: '', offset: 1500 });
    expect(event.uuid).toBeUndefined();
    expect(event.offsetMs).toBe(1500);
  });

  it('accepts $cookieless_mode as a boolean', () => {
    expect(
      decode({ event: 'e', distinct_id: 'd', properties: { $cookieless_mode: true } }).event,
    ).toBe('e');
  });

  it.each([
    ['a missing name', { distinct_id: 'd' }, 'missing_event', 'batch[0].event'],
    ['an empty name', { event: '', distinct_id: 'd' }, 'missing_event', 'batch[0].event'],
    ['a numeric name', { event: 7, distinct_id: 'd' }, 'missing_event', 'batch[0].event'],
    ['a bad uuid', { event: 'e', distinct_id: 'd', uuid: 'nope' }, 'invalid_uuid', 'batch[0].uuid'],
    ['a numeric uuid', { event: 'e', distinct_id: 'd', uuid: 5 }, 'invalid_uuid', 'batch[0].uuid'],
    [
      'a numeric timestamp',
      { event: 'e', distinct_id: 'd', timestamp: 1 },
      'invalid_timestamp',
      'batch[0].timestamp',
    ],
    [
      'a fractional offset',
      { event: 'e', distinct_id: 'd', offset: 1.5 },
      'invalid_timestamp',
      'batch[0].offset',
    ],
    [
      'properties that are not an object',
      { event: 'e', distinct_id: 'd', properties: [] },
      'bad_json',
      'batch[0].properties',
    ],
    [
      'a $set that is not an object',
      { event: 'e', distinct_id: 'd', $set: 'x' },
      'bad_json',
      'batch[0].$set',
    ],
    [
      'a numeric token',
      { event: 'e', distinct_id: 'd', token: 5 },
      'invalid_token',
      'batch[0].token',
    ],
    ['no distinct_id', { event: 'e' }, 'missing_distinct_id', 'batch[0].distinct_id'],
    [
      'an empty distinct_id',
      { event: 'e', distinct_id: '' },
      'missing_distinct_id',
      'batch[0].distinct_id',
    ],
    [
      'a string $cookieless_mode',
      { event: 'e', distinct_id: 'd', properties: { $cookieless_mode: 'yes' } },
      'invalid_cookieless_mode',
      'batch[0].properties.$cookieless_mode',
    ],
    [
      'a null $cookieless_mode',
      { event: 'e', distinct_id: 'd', properties: { $cookieless_mode: null } },
      'invalid_cookieless_mode',
      'batch[0].properties.$cookieless_mode',
    ],
  ])('refuses %s', (_name, raw, code, field) => {
    const error = errorOf(() => decode(raw));
    expect(error.code).toBe(code);
    expect(error.field).toBe(field);
  });

  it('names fields without a prefix for a single event', () => {
    expect(errorOf(() => decode({ event: 'e', distinct_id: 'd', uuid: 'x' }, '')).field).toBe(
      'uuid',
    );
  });

  it('refuses an array element that is not an object', () => {
    const error = errorOf(() => decode('just a string', 'batch[4]'));
    expect(error.code).toBe('bad_json');
    expect(error.field).toBe('batch[4]');
  });

  it('never reads inherited properties', () => {
    expect(errorOf(() => decode(JSON.parse('{"event":"e","properties":{}}'))).code).toBe(
      'missing_distinct_id',
    );
    const event = decode(JSON.parse('{"event":"e","distinct_id":"d","__proto__":{"token":"x"}}'));
    expect(event.token).toBeUndefined();
  });
});
