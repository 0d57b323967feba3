import { Buffer } from 'node:buffer';
import { createGunzip, gunzipSync } from 'node:zlib';
import { CaptureError } from './errors.js';

/**
 * Inflates a gzip payload, refusing to produce more than `maxBytes`.
 *
 * The output is counted chunk by chunk while inflating and the stream is destroyed as soon as the
 * count passes the limit, so a gzip bomb (50 MB of zeros is ~50 KB compressed) costs at most
 * `maxBytes` of memory and the CPU to get there (`decompress_gzip_to_bytes` in
 * `rust/capture/src/payload/decompression.rs` does the same with 8 KiB reads).
 *
 * Throws `payload_too_large` (413) past the limit and `bad_encoding` (400) for data that is not
 * valid gzip, including a truncated stream. Concatenated gzip members are all inflated.
 *
 * Bodies up to `SYNC_INFLATE_MAX_INPUT` compressed bytes (every SDK batch) are inflated in one
 * synchronous call with the same cap: a stream's thread-pool round trips and chunk callbacks cost
 * ~5 us per event of a 100-event batch, more than the inflating (bench/ingest). Larger bodies
 * stream, so one big request does not hold the event loop.
 *
 * @example
 * ```ts
 * const json = await gunzipCapped(body, 20 * 1024 * 1024);
 * ```
 */
export function gunzipCapped(compressed: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  if (compressed.length <= SYNC_INFLATE_MAX_INPUT) {
    try {
      return Promise.resolve(gunzipSync(compressed, { maxOutputLength: Math.max(1, maxBytes) }));
    } catch (cause) {
      return Promise.reject(
        (cause as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE'
          ? new CaptureError('payload_too_large', { reason: 'decompressed_size' })
          : new CaptureError('bad_encoding', { reason: 'invalid_gzip', cause }),
      );
    }
  }
  return gunzipStream(compressed, maxBytes);
}

/** Compressed bodies up to this size are inflated synchronously. */
export const SYNC_INFLATE_MAX_INPUT = 64 * 1024;

function gunzipStream(compressed: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip();
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const fail = (error: CaptureError): void => {
      if (settled) return;
      settled = true;
      gunzip.destroy();
      reject(error);
    };
    gunzip.on('data', (chunk: Buffer) => {
      if (settled) return;
      total += chunk.length;
      if (total > maxBytes) {
        fail(new CaptureError('payload_too_large', { reason: 'decompressed_size' }));
        return;
      }
      chunks.push(chunk);
    });
    gunzip.on('error', (cause: unknown) => {
      fail(new CaptureError('bad_encoding', { reason: 'invalid_gzip', cause }));
    });
    gunzip.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, total));
    });
    gunzip.end(compressed);
  });
}
