import { Buffer } from 'node:buffer';
import { decodeBase64Strict, isLikelyBase64, restorePlusSigns } from './base64.js';
import { hasGzipMagic, parseCompressionHint, resolveCompressionHint } from './compression.js';
import { CaptureError } from './errors.js';
import {
  isFormContentType,
  isLikelyUrlencodedForm,
  parseCaptureForm,
  startsWithFormKey,
} from './form.js';
import { gunzipCapped } from './gunzip.js';
import { decompressFromBase64 } from './lz64.js';
import { isLegacyPath } from './paths.js';
import type { CaptureQuery } from './query.js';

export interface PayloadSource {
  path: string;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  body: Uint8Array;
}

export interface PayloadLimits {
  /** Limit on the raw payload (body or `data` query parameter) before decompression. */
  maxBodyBytes: number;
  /** Limit on the payload after decompression and unwrapping, in UTF-8 bytes. */
  maxDecompressedBytes: number;
}

export interface PayloadText {
  /** The JSON text, ready for `JSON.parse`. */
  text: string;
  /** `ver`/`lib_version` from the form body, when there was one. */
  formLibVersion: string | undefined;
}

/**
 * Stages 1-6 of the capture decoding pipeline (posthog-wire-protocol.md §1.2, in order):
 * locate the raw bytes -> optimistic base64 -> urlencoded form -> compression hint ->
 * decompress (gzip by hint or magic bytes, LZ64, base64, else UTF-8) -> legacy base64 unwrap.
 */
export async function extractPayloadText(
  source: PayloadSource,
  query: CaptureQuery,
  limits: PayloadLimits,
): Promise<PayloadText> {
  // 1. Locate: a non-empty `data` query parameter (legacy GET) wins over the body.
  let payload: Uint8Array;
  const fromBody = query.data === undefined;
  if (query.data !== undefined) {
    const data = isLikelyBase64(query.data, 'loose') ? restorePlusSigns(query.data) : query.data;
    payload = Buffer.from(data);
  } else if (source.body.length > 0) {
    payload = source.body;
  } else {
    throw new CaptureError('missing_payload');
  }
  if (payload.length > limits.maxBodyBytes) {
    throw new CaptureError('payload_too_large', { reason: 'compressed_size' });
  }

  // 2. Optimistic base64. Skipped when the hint already says LZ64: LZ64 is written in the base64
  // alphabet and decoding it as base64 would destroy it.
  const earlyHint =
    parseCompressionHint(query.compression) ?? parseCompressionHint(source.contentEncoding);
  if (
    earlyHint !== 'lz64' &&
    !isLikelyUrlencodedForm(payload) &&
    isLikelyBase64(payload, 'strict')
  ) {
    payload = decodeBase64Strict(payload) ?? payload;
  }

  // 3. Form. With the form Content-Type the body must look like a form; without it, a body
  // that starts with a form key (`data=…`) is still read as one. A `data` query parameter is
  // never a form.
  let formCompression: string | undefined;
  let formLibVersion: string | undefined;
  if (fromBody) {
    let isForm = startsWithFormKey(payload);
    if (isFormContentType(source.contentType)) {
      isForm = isLikelyUrlencodedForm(payload);
      if (!isForm) throw new CaptureError('bad_encoding', { reason: 'expected_form' });
    }
    if (isForm) {
      const form = parseCaptureForm(payload);
      if (form.data === undefined) throw new CaptureError('missing_payload', { field: 'data' });
      payload = Buffer.from(form.data);
      formCompression = form.compression;
      formLibVersion = form.libVersion;
    }
  }

  // 4. Compression hint: query -> form -> Content-Encoding.
  const hint = resolveCompressionHint({
    query: query.compression,
    form: formCompression,
    contentEncoding: source.contentEncoding,
  });

  // 5. Decompress. gzip is sniffed even without a hint: current posthog-js sends none.
  const max = limits.maxDecompressedBytes;
  if (hint === 'base64') payload = decodeHintedBase64(payload);
  let text: string;
  if (hint === 'gzip' || hasGzipMagic(payload)) {
    text = decodeUtf8(await gunzipCapped(payload, max));
  } else if (hint === 'lz64') {
    const lz64 = restorePlusSigns(Buffer.from(payload).toString('latin1'));
    text = decompressFromBase64(lz64, max);
    if (Buffer.byteLength(text) > max) throw tooLarge();
  } else {
    if (payload.length > max) throw tooLarge();
    text = decodeUtf8(payload);
  }

  // 6. Legacy endpoints: a payload still in base64 is unwrapped once more.
  if (isLegacyPath(source.path)) text = unwrapLegacyBase64(text, max);

  return { text, formLibVersion };
}

/**
 * `compression=base64` (posthog-js `sendBeacon`): a payload written in the base64 alphabet must
 * decode, else 400. Anything else (JSON, gzip bytes) was already decoded by stage 2 and passes.
 */
function decodeHintedBase64(payload: Uint8Array): Uint8Array {
  if (!isBase64Alphabet(payload)) return payload;
  const decoded = decodeBase64Strict(
    Buffer.from(restorePlusSigns(Buffer.from(payload).toString('latin1')), 'latin1'),
  );
  if (decoded === undefined) throw new CaptureError('bad_encoding', { reason: 'invalid_base64' });
  return decoded;
}

function isBase64Alphabet(payload: Uint8Array): boolean {
  if (payload.length === 0) return false;
  for (const byte of payload) {
    const ok =
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      (byte >= 0x30 && byte <= 0x39) ||
      byte === 0x2b ||
      byte === 0x2f ||
      byte === 0x3d ||
      byte === 0x20;
    if (!ok) return false;
  }
  return true;
}

/** Keeps the text when it does not decode to UTF-8, like `decompress_payload` in Rust capture. */
function unwrapLegacyBase64(text: string, max: number): string {
  // Checked on the string first: JSON fails at its first character, without copying anything.
  if (!isLikelyBase64(text, 'strict')) return text;
  const decoded = decodeBase64Strict(Buffer.from(text));
  if (decoded === undefined) return text;
  let unwrapped: string;
  try {
    unwrapped = UTF8.decode(decoded);
  } catch {
    return text;
  }
  if (decoded.length > max) throw tooLarge();
  return unwrapped;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch (cause) {
    throw new CaptureError('bad_encoding', { reason: 'invalid_utf8', cause });
  }
}

function tooLarge(): CaptureError {
  return new CaptureError('payload_too_large', { reason: 'decompressed_size' });
}
