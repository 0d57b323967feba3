import { CaptureError, type CaptureErrorReason } from './errors.js';

/** Where a token was found, for error messages: `api_key`, `batch[2].token`, `properties.token`. */
export interface TokenCandidate {
  token: string;
  field: string;
}

/** Project tokens are at most this long (`validate_token` in `rust/capture/src/token.rs`). */
export const MAX_TOKEN_LENGTH = 64;

/**
 * Decides the request's project token (posthog-wire-protocol.md §1.4): the batch envelope's
 * `api_key`/`token` is authoritative; otherwise every event that carries a token must carry the
 * same one (events without one are fine). The result is trimmed and shape-checked; whether the
 * project exists is not capture's business.
 *
 * Throws 401 `missing_token`, `inconsistent_tokens` or `invalid_token`.
 *
 * @example
 * ```ts
 * resolveToken(undefined, [{ token: 'phc_abc', field: 'batch[0].token' }]); // 'phc_abc'
 * ```
 */
export function resolveToken(
  envelope: TokenCandidate | undefined,
  events: ReadonlyArray<TokenCandidate | undefined>,
): string {
  if (envelope !== undefined) return validateToken(envelope);
  let chosen: TokenCandidate | undefined;
  for (const candidate of events) {
    if (candidate === undefined) continue;
    if (chosen === undefined) {
      chosen = candidate;
    } else if (candidate.token.trim() !== chosen.token.trim()) {
      throw new CaptureError('inconsistent_tokens', { field: candidate.field });
    }
  }
  if (chosen === undefined) throw new CaptureError('missing_token');
  return validateToken(chosen);
}

/**
 * Trims surrounding whitespace (a key pasted with a newline still works) and rejects an empty
 * token, one longer than 64 characters, non-ASCII, starting with `phx_` (a personal API key,
 * which must never be used to send events) or containing NUL.
 */
export function validateToken(candidate: TokenCandidate): string {
  const token = candidate.token.trim();
  const reason = invalidTokenReason(token);
  if (reason !== undefined)
    throw new CaptureError('invalid_token', { reason, field: candidate.field });
  return token;
}

function invalidTokenReason(token: string): CaptureErrorReason | undefined {
  if (token === '') return 'empty';
  if (token.length > MAX_TOKEN_LENGTH) return 'too_long';
  if (!isAscii(token)) return 'not_ascii';
  if (token.startsWith('phx_')) return 'personal_api_key';
  if (token.includes('\0')) return 'null_byte';
  return undefined;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}
