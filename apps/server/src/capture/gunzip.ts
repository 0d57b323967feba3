import { Buffer } from 'node:buffer';
import { createGunzip } from 'node:zlib';
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
 * @example
 * ```ts
 * const json = await gunzipCapped(body, 20 * 1024 * 1024);
 * ```
 */
export function gunzipCapped(compressed: Uint8Array, maxBytes: number): Promise<Uint8Array> {
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
