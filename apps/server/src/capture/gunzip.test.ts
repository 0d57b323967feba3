import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CaptureError } from './errors.js';
import { gunzipCapped, SYNC_INFLATE_MAX_INPUT } from './gunzip.js';

async function errorOf(promise: Promise<unknown>): Promise<CaptureError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CaptureError) return error;
    throw error;
  }
  throw new Error('expected a CaptureError');
}

describe('gunzipCapped', () => {
  it('inflates a gzip payload', async () => {
    const out = await gunzipCapped(gzipSync('{"event":"a"}'), 1024);
    expect(Buffer.from(out).toString()).toBe('{"event":"a"}');
  });

  it('inflates concatenated gzip members', async () => {
    const joined = Buffer.concat([gzipSync('[1,'), gzipSync('2]')]);
    expect(Buffer.from(await gunzipCapped(joined, 1024)).toString()).toBe('[1,2]');
  });

  it('allows output exactly at the limit and refuses one byte more', async () => {
    expect((await gunzipCapped(gzipSync(Buffer.alloc(1024, 65)), 1024)).length).toBe(1024);
    const error = await errorOf(gunzipCapped(gzipSync(Buffer.alloc(1025, 65)), 1024));
    expect(error.code).toBe('payload_too_large');
  });

  it('stops a gzip bomb (50 MB of zeros) at the limit', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100 * 1024);
    const error = await errorOf(gunzipCapped(bomb, 1024 * 1024));
    expect(error.code).toBe('payload_too_large');
    expect(error.status).toBe(413);
    expect(error.reason).toBe('decompressed_size');
  });

  it('refuses data that is not gzip', async () => {
    const error = await errorOf(gunzipCapped(Buffer.from('not gzip at all'), 1024));
    expect(error.code).toBe('bad_encoding');
    expect(error.reason).toBe('invalid_gzip');
  });

  it('refuses a truncated gzip stream', async () => {
    const full = gzipSync(JSON.stringify({ event: 'a', properties: { padding: 'x'.repeat(500) } }));
    const error = await errorOf(gunzipCapped(full.subarray(0, full.length - 12), 1 << 20));
    expect(error.code).toBe('bad_encoding');
  });

  it('refuses a corrupted deflate stream', async () => {
    const corrupt = Buffer.from(gzipSync('{"event":"a","distinct_id":"b"}'));
    corrupt.fill(0xff, 10, 16);
    expect((await errorOf(gunzipCapped(corrupt, 1024))).code).toBe('bad_encoding');
  });

  describe('bodies too big to inflate in one synchronous call (streamed)', () => {
    // Random bytes do not compress, so the gzip body is bigger than the synchronous limit.
    const plain = randomBytes(SYNC_INFLATE_MAX_INPUT * 2);
    const big = gzipSync(plain);

    it('inflates them', async () => {
      expect(big.length).toBeGreaterThan(SYNC_INFLATE_MAX_INPUT);
      expect(Buffer.from(await gunzipCapped(big, plain.length)).equals(plain)).toBe(true);
    });

    it('refuses output past the limit', async () => {
      const error = await errorOf(gunzipCapped(big, plain.length - 1));
      expect(error.code).toBe('payload_too_large');
    });

    it('refuses a truncated stream', async () => {
      const error = await errorOf(gunzipCapped(big.subarray(0, big.length - 12), 1 << 20));
      expect(error.code).toBe('bad_encoding');
    });
  });
});
