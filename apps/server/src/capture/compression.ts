/**
 * The compression hint a PostHog client attaches to a capture request. Where it can be found, in
 * order (`extract_compression` in `rust/capture/src/utils.rs`): the `compression` query
 * parameter, the `compression` form field, the `Content-Encoding` header. The first recognised
 * value wins; an unrecognised one counts as no hint.
 */
export type CompressionHint = 'gzip' | 'lz64' | 'base64';

const HINTS: ReadonlyMap<string, CompressionHint> = new Map([
  ['gzip', 'gzip'],
  ['gzip-js', 'gzip'],
  ['lz64', 'lz64'],
  ['lz-string', 'lz64'],
  ['base64', 'base64'],
  ['b64', 'base64'],
]);

/** Reads one hint value, case-insensitively; `undefined` when absent or not recognised. */
export function parseCompressionHint(
  value: string | null | undefined,
): CompressionHint | undefined {
  if (value === null || value === undefined) return undefined;
  return HINTS.get(value.trim().toLowerCase());
}

/** The first recognised hint of query, form and `Content-Encoding`, in that order. */
export function resolveCompressionHint(sources: {
  query: string | null | undefined;
  form: string | null | undefined;
  contentEncoding: string | null | undefined;
}): CompressionHint | undefined {
  return (
    parseCompressionHint(sources.query) ??
    parseCompressionHint(sources.form) ??
    parseCompressionHint(sources.contentEncoding)
  );
}

/** gzip member header: magic `1f 8b` and method 8 (deflate). */
export function hasGzipMagic(payload: Uint8Array): boolean {
  return payload.length >= 3 && payload[0] === 0x1f && payload[1] === 0x8b && payload[2] === 0x08;
}
