import { CaptureError } from './errors.js';
import { completeEvent, type DecodedEvent, parseEvent } from './event.js';
import { parseIsoDateTime } from './parse-date.js';
import { extractPayloadText } from './payload.js';
import { parseCaptureQuery } from './query.js';
import { parseCaptureDocument } from './shape.js';
import { resolveToken } from './token.js';

export type { DecodedEvent } from './event.js';

/** A capture request as the HTTP layer received it, before any decoding. */
export interface RawCaptureRequest {
  /** The matched capture path, e.g. `/batch/`; decides the legacy unwrap and `/engage` rules. */
  path: string;
  method: 'GET' | 'POST';
  query: URLSearchParams;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  /** Raw body bytes, possibly empty (a GET carries its payload in `?data=`). */
  body: Uint8Array;
}

export interface CaptureLimits {
  /** The raw body (or `data` query parameter) limit; see `maxBodyBytesFor`. */
  maxBodyBytes: number;
  /** The limit after decompression, enforced while inflating (gzip-bomb guard). */
  maxDecompressedBytes: number;
}

/** A decoded, validated capture request. Nothing here has been stored or minted yet. */
export interface DecodedCapture {
  /** The project token, trimmed and shape-checked (not looked up). */
  token: string;
  /** Without `$performance_event`s; may be empty when those were all it held (answer 200). */
  events: DecodedEvent[];
  /** The client's send time for clock-skew correction: body `sent_at`, else query `_`/`sent_at`. */
  sentAtMs: number | undefined;
  /** `historical_migration: true` on a batch envelope. */
  isHistorical: boolean;
  /** `beacon=1`: answer 204 with no body. */
  isBeacon: boolean;
  /** `ver`/`lib_version` from the query or the form body. */
  libVersion?: string;
}

/**
 * Decodes a PostHog capture request into events, the pipeline of posthog-wire-protocol.md §1.2:
 * payload text (locate -> base64 -> form -> hint -> decompress -> legacy unwrap) -> JSON shape ->
 * event fields -> empty batch / `$performance_event` -> token -> distinct_id and cookieless mode.
 * Pure apart from the inflate stream; no clock, no I/O.
 *
 * Throws `CaptureError` (400, 401 or 413, plain message) for anything a client must not resend.
 *
 * @example
 * ```ts
 * const decoded = await decodeCapture(
 *   {
 *     path: '/batch/',
 *     method: 'POST',
 *     query: new URL(c.req.url).searchParams,
 *     contentType: c.req.header('content-type'),
 *     contentEncoding: c.req.header('content-encoding'),
 *     body: new Uint8Array(await c.req.arrayBuffer()),
 *   },
 *   { maxBodyBytes: maxBodyBytesFor('/batch/'), maxDecompressedBytes: 20 * 1024 * 1024 },
 * );
 * ```
 */
export async function decodeCapture(
  request: RawCaptureRequest,
  limits: CaptureLimits,
): Promise<DecodedCapture> {
  const query = parseCaptureQuery(request.query);
  const { text, formLibVersion } = await extractPayloadText(request, query, limits);
  const document = parseCaptureDocument(text, request.path);
  const parsed = document.events.map((slot) =>
    parseEvent(slot.raw, slot.prefix, slot.nameWhenMissing),
  );
  if (parsed.length === 0) throw new CaptureError('empty_batch');

  // Dropped silently, as PostHog does; a request of nothing else still succeeds.
  const kept = parsed.filter((event) => event.event !== '$performance_event');
  // With every event dropped, the token is still resolved from them, so the answer is the same
  // as for any other request from that client.
  const token = resolveToken(
    document.envelopeToken,
    (kept.length > 0 ? kept : parsed).map((event) => event.tokenCandidate),
  );
  const events = kept.map(completeEvent);

  const bodySentAtMs =
    document.sentAt === undefined ? undefined : parseIsoDateTime(document.sentAt);
  const libVersion = query.libVersion ?? formLibVersion;
  return {
    token,
    events,
    sentAtMs: bodySentAtMs ?? query.sentAtMs,
    isHistorical: document.isHistorical,
    isBeacon: query.isBeacon,
    ...(libVersion === undefined ? {} : { libVersion }),
  };
}
