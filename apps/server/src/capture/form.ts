import { Buffer } from 'node:buffer';
import { isLikelyBase64, restorePlusSigns } from './base64.js';

/** The form fields PostHog clients put in an `application/x-www-form-urlencoded` body. */
export interface CaptureForm {
  /** The payload; `undefined` when absent or empty. */
  data: string | undefined;
  compression: string | undefined;
  /** `ver`, alias `lib_version`. */
  libVersion: string | undefined;
}

const FORM_MIME_TYPE = 'application/x-www-form-urlencoded';

/** Prefix checks only look this far, like the Rust capture service. */
const SNIFF_BYTES = 128;
const AMPERSAND = 0x26;
const FORM_KEYS = ['data=', '_=', 'ip=', 'compression=', 'ver='].map((key) => Buffer.from(key));

/**
 * Does the payload look like an urlencoded capture form (`data=…`, `compression=…&data=…`)?
 * A known key must start the payload or follow an `&` within the first 128 bytes
 * (`is_likely_urlencoded_form` in `rust/capture/src/utils.rs`).
 */
export function isLikelyUrlencodedForm(payload: Uint8Array): boolean {
  const end = Math.min(payload.length, SNIFF_BYTES);
  for (const key of FORM_KEYS) {
    for (let start = 0; start + key.length <= end; start += 1) {
      if (start > 0 && payload[start - 1] !== AMPERSAND) continue;
      let matches = true;
      for (let i = 0; i < key.length; i += 1) {
        if (payload[start + i] !== key[i]) {
          matches = false;
          break;
        }
      }
      if (matches) return true;
    }
  }
  return false;
}

/**
 * Does the payload start with a capture form key? Used to accept a form sent without the form
 * Content-Type. Only the start counts: a binary (gzip) body that happens to hold `&ip=` in its
 * first 128 bytes must not be taken for a form.
 */
export function startsWithFormKey(payload: Uint8Array): boolean {
  return FORM_KEYS.some(
    (key) => payload.length >= key.length && key.every((byte, i) => payload[i] === byte),
  );
}

/**
 * True when the Content-Type's media type is `application/x-www-form-urlencoded`, ignoring case
 * and parameters (`; charset=UTF-8`). The Rust service compares the whole header verbatim; a
 * browser may append a charset, so we are more lenient.
 */
export function isFormContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const mediaType = contentType.split(';', 1)[0] ?? '';
  return mediaType.trim().toLowerCase() === FORM_MIME_TYPE;
}

/**
 * Parses an urlencoded capture form (`data=…&compression=…&ver=…`). When `data` looks like
 * base64, spaces are turned back into `+`: some clients do not escape `+`, and urldecoding turns
 * it into a space (`extract_payload_bytes` in `rust/capture/src/payload/common.rs`).
 *
 * @example
 * ```ts
 * parseCaptureForm(Buffer.from('data=eyJ9&compression=base64')).data; // 'eyJ9'
 * ```
 */
export function parseCaptureForm(body: Uint8Array): CaptureForm {
  const params = new URLSearchParams(
    Buffer.from(body.buffer, body.byteOffset, body.length).toString(),
  );
  let data = nonEmpty(params.get('data'));
  if (data !== undefined && isLikelyBase64(data, 'loose')) data = restorePlusSigns(data);
  return {
    data,
    compression: nonEmpty(params.get('compression')),
    libVersion: nonEmpty(params.get('ver')) ?? nonEmpty(params.get('lib_version')),
  };
}

function nonEmpty(value: string | null): string | undefined {
  return value === null || value === '' ? undefined : value;
}
