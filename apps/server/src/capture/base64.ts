import { Buffer } from 'node:buffer';

/**
 * Base64 as PostHog clients use it: around JSON or gzip, inside forms and query strings. Mirrors
 * `is_likely_base64` and `decode_base64` in `rust/capture/src/utils.rs`: a cheap prefix check
 * first, strict decoding second.
 */

/** Prefix checks only look this far, like the Rust capture service. */
const SNIFF_BYTES = 128;

const PLUS = 0x2b;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const SPACE = 0x20;

function isBase64Alphanumeric(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a) ||
    (byte >= 0x30 && byte <= 0x39)
  );
}

/**
 * Does the payload look like base64? Only the first 128 bytes are checked, plus length % 4.
 * `loose` also accepts spaces: a `+` that went through urldecoding comes back as a space.
 * A string is checked by its UTF-16 code units, which is the same for the ASCII that base64 is.
 */
export function isLikelyBase64(payload: Uint8Array | string, mode: 'strict' | 'loose'): boolean {
  if (payload.length === 0 || payload.length % 4 !== 0) return false;
  const end = Math.min(payload.length, SNIFF_BYTES);
  for (let i = 0; i < end; i += 1) {
    const byte = typeof payload === 'string' ? payload.charCodeAt(i) : (payload[i] as number);
    if (isBase64Alphanumeric(byte) || byte === PLUS || byte === SLASH || byte === EQUALS) continue;
    if (mode === 'loose' && byte === SPACE) continue;
    return false;
  }
  return true;
}

/** Turns the spaces urldecoding left in a base64 string back into `+`. */
export function restorePlusSigns(text: string): string {
  return text.includes(' ') ? text.replaceAll(' ', '+') : text;
}

/**
 * Decodes canonical, padded standard base64 (RFC 4648 §4), or returns `undefined`. Stricter than
 * `Buffer.from(s, 'base64')`, which skips invalid characters: like the Rust `STANDARD` engine,
 * any stray character, missing padding or non-zero trailing bits is a failure.
 */
export function decodeBase64Strict(payload: Uint8Array): Uint8Array | undefined {
  if (payload.length === 0 || payload.length % 4 !== 0) return undefined;
  let padding = 0;
  if (payload[payload.length - 1] === EQUALS)
    padding = payload[payload.length - 2] === EQUALS ? 2 : 1;
  const dataEnd = payload.length - padding;
  for (let i = 0; i < dataEnd; i += 1) {
    const byte = payload[i] as number;
    if (!(isBase64Alphanumeric(byte) || byte === PLUS || byte === SLASH)) return undefined;
  }
  // The last data character carries 4 (`==`) or 2 (`=`) unused bits that must be zero.
  if (padding > 0) {
    const last = sextet(payload[dataEnd - 1] as number);
    const unusedMask = padding === 2 ? 0b1111 : 0b11;
    if ((last & unusedMask) !== 0) return undefined;
  }
  const view = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  return Buffer.from(view.toString('latin1'), 'base64');
}

function sextet(byte: number): number {
  if (byte >= 0x41 && byte <= 0x5a) return byte - 0x41;
  if (byte >= 0x61 && byte <= 0x7a) return byte - 0x61 + 26;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30 + 52;
  return byte === PLUS ? 62 : 63;
}
