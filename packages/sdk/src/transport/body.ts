import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { SerializedEvent } from './batch.js';

const gzipAsync = promisify(gzip);

// Every ISO-8601 timestamp from toISOString() in years 0..9999 has this length.
const SENT_AT_SAMPLE = new Date(0).toISOString();

/**
 * The PostHog `/batch/` body, key order `api_key`, `batch`, `sent_at` (wire protocol §1.2 step 7,
 * §3.3). Built by concatenating the already-serialized events, so nothing is stringified twice.
 */
export function buildBodyJson(
  token: string,
  events: readonly SerializedEvent[],
  sentAt: string,
): string {
  const batch = events.map((event) => event.json).join(',');
  const apiKey = JSON.stringify(token);
  return `{"api_key":${apiKey},"batch":[${batch}],"sent_at":${JSON.stringify(sentAt)}}`;
}

/** Size of the body around the events: what every batch pays before its first event. */
export function envelopeBytes(token: string): number {
  return Buffer.byteLength(buildBodyJson(token, [], SENT_AT_SAMPLE));
}

/** The bytes that go on the wire; gzip runs on the libuv pool so the host's loop is not blocked. */
export async function encodeBody(json: string, isGzip: boolean): Promise<Uint8Array> {
  return isGzip ? await gzipAsync(json) : Buffer.from(json);
}
